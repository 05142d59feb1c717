"""Signing in and out, passwords, and who the current visitor is.

Sign-in is throttled per client address and per account (Flask-Limiter,
shared through Redis when ``REDIS_URL`` is set) and answers an unknown email
and a wrong password alike. Only failed attempts count: a person who signs in
ten times a day never meets the limit, a guesser does. The account's limit is
shared by the clients it does not know; a browser that signed in to it before
has a limit of its own (:mod:`blgcal.web.devices`), so the guesser does not
lock the owner out. A refused attempt gets the site's page saying when to try
again, with ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from blgcal.db import get_session
from blgcal.domain.permissions import Principal
from blgcal.models import User
from blgcal.services import accounts
from blgcal.web import devices
from blgcal.web.forms import LoginForm, PasswordChangeForm, ResetPasswordForm
from blgcal.web.redirects import safe_next

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
limiter = Limiter(get_remote_address, default_limits=[])
F = TypeVar("F", bound=Callable[..., Any])
WRONG = "Wrong email or password."


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.session_protection = "strong"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)
    app.register_blueprint(bp)
    app.context_processor(lambda: {"principal": principal()})


@login_manager.user_loader
def _load_user(alternative_id: str) -> User | None:
    return accounts.user_by_session_id(get_session(), alternative_id)


def principal() -> Principal | None:
    """The signed-in person as the policy sees them, or None."""
    if current_user.is_authenticated:
        return cast(User, current_user).principal
    return None


def require(check: Callable[[Principal | None], bool]) -> Callable[[F], F]:
    """Refuse the view (401 for visitors, 403 for others) unless *check* passes."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not check(principal()):
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapped)
    return decorate


def _email_key() -> str:
    return "login:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _limit(name: str) -> str:
    return str(current_app.config[name])


def _failed_sign_in(response: Response) -> bool:
    """Whether a sign-in attempt counts: it did not sign in (a success redirects)
    and was not itself refused by the limit."""
    return response.status_code not in {302, 303, 429}


def _too_many_attempts(exc: RateLimitExceeded) -> tuple[str, int]:
    """The site's page for a refused attempt, saying when the next one may be made."""
    limit = limiter.current_limit
    reset_at = limit.reset_at if limit is not None else int(time.time()) + 60
    # The limiter rounds its reset up to the next whole second: round, not ceil.
    minutes = max(1, round((reset_at - time.time()) / 60))
    return render_template("errors/too_many.html", minutes=minutes,
                           retry_dt=datetime.fromtimestamp(reset_at, UTC)), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"],
               deduct_when=_failed_sign_in)
@limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_ACCOUNT"), methods=["POST"], key_func=_email_key,
               deduct_when=_failed_sign_in, exempt_when=devices.trusted)
@limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_DEVICE"), methods=["POST"],
               key_func=devices.device_key, deduct_when=_failed_sign_in,
               exempt_when=devices.untrusted)
def login() -> Response | str:
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(get_session(), form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a fresh session: nothing from before sign-in survives
            user.last_login_dt = datetime.now(UTC)
            get_session().commit()
            login_user(user)
            return devices.remember_device(
                redirect(safe_next(form.next.data, url_for("pages.agenda"))), user)
        form.password.errors = [WRONG]
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    accounts.end_sessions(cast(User, current_user))
    get_session().commit()
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("pages.agenda"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    form = PasswordChangeForm()
    user = cast(User, current_user._get_current_object())  # type: ignore[attr-defined]  # the User, not the proxy
    if form.validate_on_submit():
        if accounts.authenticate(get_session(), user.email, form.current.data or "") is None:
            form.current.errors = ["That is not your current password."]
        else:
            accounts.set_password(user, form.new.data or "")
            get_session().commit()
            login_user(user)  # keep this session; every other one has ended
            flash("Password changed. Your other sessions have been signed out.")
            # The new password voided every device cookie; this browser keeps one.
            return devices.remember_device(redirect(url_for("pages.agenda")), user)
    return render_template("auth/password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
def reset_password(token: str) -> Response | str:
    user = accounts.user_for_reset(get_session(), token, current_app.config["SECRET_KEY"],
                                   max_age_seconds=int(current_app.config["RESET_LINK_HOURS"]) * 3600)
    if user is None:
        abort(404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.new.data or "")
        get_session().commit()
        flash("Your password is set. Please sign in.")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user)
