"""Public pages: agenda, past events, month view, event and body pages."""

from __future__ import annotations

from typing import Protocol

from flask import Blueprint, abort, current_app, redirect, render_template
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.domain.filters import EventFilter
from blgcal.domain.permissions import (
    can_create,
    can_edit_bodies,
    can_see_staff_events,
    may_see_event,
)
from blgcal.domain.places import country_name
from blgcal.domain.types import Kind, Status
from blgcal.models import Body, Event
from blgcal.services import queries
from blgcal.services.agenda import AgendaQuery, MonthQuery, PastQuery
from blgcal.services.event_rows import to_domain
from blgcal.web.auth import principal
from blgcal.web.caches import cached, countries_in_use, known_bodies
from blgcal.web.findings import event_clashes
from blgcal.web.params import request_filters
from blgcal.web.urls import url_keeping_query

bp = Blueprint("pages", __name__)


@bp.get("/")
def agenda() -> Response:
    flt = request_filters()
    wanted = AgendaQuery(flt, today(), int(current_app.config["AGENDA_PAST_MEETINGS"]), staff())
    return filtered_page(wanted, "pages/agenda.html", "agenda", flt=flt)


@bp.get("/past")
def past() -> Response:
    flt = request_filters()
    return filtered_page(PastQuery(flt, today(), staff()), "pages/past.html", "page", flt=flt)


@bp.get("/month")
def this_month() -> Response:
    day = today()
    return redirect(url_keeping_query("pages.month", year=day.year, month=day.month))


@bp.get("/month/<int:year>/<int:month>")
def month(year: int, month: int) -> Response:
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        abort(404)
    flt = request_filters()
    return filtered_page(MonthQuery(flt, year, month, staff()), "pages/month.html", "grid",
                         flt=flt, today=today())


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> str:
    found = get_session().get(Event, event_id)
    if found is None or not shown(found):
        abort(404)
    sides = [to_domain(child) for child in found.children if shown(child)]
    parent = found.parent if found.parent is not None and shown(found.parent) else None
    return render_template("pages/event.html", event=found, parent=parent, side_events=sides,
                           can_edit=can_edit_bodies(principal(), found.bodies),
                           can_add_side=found.kind.is_meeting and can_create(principal()),
                           clashes=event_clashes(found.id))


@bp.get("/bodies")
def bodies() -> str:
    return render_template("pages/bodies.html", bodies=queries.bodies(get_session()))


@bp.get("/bodies/<slug>")
def body(slug: str) -> Response:
    if slug not in known_bodies():
        abort(404)
    wanted = AgendaQuery(EventFilter(bodies=(slug,), per_page=100), today(), recent=10,
                         include_staff=staff())

    def render() -> str:
        session = get_session()
        return render_template(
            "pages/body.html", body=session.get(Body, slug), today=today(),
            agenda=wanted.read(session),
            led=[o for o in queries.observances(session) if o.lead_body == slug])

    return cached(render, shows=lambda: wanted.fingerprint(get_session()))


class PageQuery(Protocol):
    """What a page shows (:mod:`blgcal.services.agenda`), read whole or only fingerprinted."""

    def read(self, session: Session) -> object: ...

    def fingerprint(self, session: Session) -> str: ...


def filtered_page(wanted: PageQuery, template: str, name: str, **context: object) -> Response:
    """*template* with *wanted*'s events as *name* and the filter pickers, cached under
    *wanted*'s fingerprint (so a write elsewhere keeps it)."""
    def render() -> str:
        return render_template(template, **{name: wanted.read(get_session())}, **context,
                               **_filter_choices())

    return cached(render, shows=lambda: wanted.fingerprint(get_session()))


def staff() -> bool:
    """Whether the visitor may see staff-only events."""
    return can_see_staff_events(principal())


def shown(row: Event) -> bool:
    """Whether this visitor may see the event *row*."""
    return may_see_event(staff(), visibility=row.visibility, deleted=row.deleted_dt is not None)


def _filter_choices() -> dict[str, object]:
    """(value, label) pairs for the filter form's pickers."""
    return {"choices": {
        "bodies": [(b.slug, b.short_name) for b in queries.bodies(get_session())],
        "kinds": [(kind.value, kind.label) for kind in Kind],
        "statuses": [(status.value, status.value.capitalize()) for status in Status],
        "countries": sorted(((code, country_name(code))
                             for code in countries_in_use(include_staff=staff())),
                            key=lambda pair: pair[1]),
    }}


@bp.get("/healthz")
def health() -> dict[str, str]:
    """Liveness: the process answers. Cheap by design (also the benchmarks' floor)."""
    return {"status": "ok"}
