"""Administration: accounts and reset links."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from blgcal.db import get_session
from blgcal.domain.permissions import Role, is_admin
from blgcal.models import User
from blgcal.services import accounts, queries
from blgcal.services.mail import mail_configured, send_mail
from blgcal.web.auth import require
from blgcal.web.feeds.links import base_url
from blgcal.web.forms import ConfirmForm, UserForm, options

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@require(is_admin)
def users() -> str:
    return render_template("admin/users.html", users=accounts.users(get_session()))


@bp.route("/users/new", methods=["GET", "POST"])
@require(is_admin)
def new_user() -> Response | str:
    form = _user_form()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                get_session(), form.email.data or "", role=Role(form.role.data),
                bodies=form.bodies.data or (), name=form.name.data or "",
                now=datetime.now(UTC))
        except accounts.AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            get_session().commit()
            return _reset_link_page(user, created=True)
    return render_template("admin/user.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(is_admin)
def edit_user(user_id: int) -> Response | str:
    user = get_session().get(User, user_id) or abort(404)
    form = _user_form(obj=user)
    if not form.is_submitted():
        form.role.data, form.bodies.data = user.role.value, sorted(user.bodies)
    elif form.validate():
        accounts.set_role(user, Role(form.role.data), form.bodies.data or ())
        accounts.set_active(user, bool(form.active.data))
        user.name = form.name.data or ""
        get_session().commit()
        flash(f"Saved {user.email}.")
        return redirect(url_for("admin.users"))
    return render_template("admin/user.html", form=form, user=user, confirm=ConfirmForm())


@bp.post("/users/<int:user_id>/reset-link")
@require(is_admin)
def reset_link(user_id: int) -> str:
    user = get_session().get(User, user_id) or abort(404)
    return _reset_link_page(user, created=False)


def _reset_link_page(user: User, *, created: bool) -> str:
    token = accounts.reset_token(user, current_app.config["SECRET_KEY"])
    link = base_url() + url_for("auth.reset_password", token=token)
    mailed = False
    if mail_configured(current_app.config):
        send_mail(current_app.config, to=user.email, subject="Your blgcal password",
                  body=f"Set your blgcal password here (valid "
                       f"{current_app.config['RESET_LINK_HOURS']} hours, once):\n\n{link}\n")
        mailed = True
    return render_template("admin/reset_link.html", user=user, link=link, mailed=mailed,
                           created=created)


def _user_form(obj: User | None = None) -> UserForm:
    form = UserForm(obj=obj)
    form.bodies.choices = options((b.slug, b.short_name) for b in queries.bodies(get_session()))
    return form
