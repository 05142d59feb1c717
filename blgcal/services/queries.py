"""Read-side queries: filtered, paginated events in a constant number of SQL queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from blgcal.domain.filters import EventFilter
from blgcal.domain.types import Visibility
from blgcal.models import Body, Event, EventBody, EventTag, Observance

SEARCHED = (Event.title, Event.code, Event.city, Event.venue, Event.description)


@dataclass(frozen=True)
class Page:
    items: Sequence[Event]
    page: int
    per_page: int
    has_next: bool


def filtered(flt: EventFilter, *, include_staff: bool = False) -> Select[tuple[Event]]:
    """A SELECT of the events matching *flt* (any order, dated or not)."""
    query = select(Event)
    if not include_staff:
        query = query.where(Event.visibility == Visibility.PUBLIC)
    if flt.date_from:
        query = query.where(Event.last_date >= flt.date_from)
    if flt.date_to:
        query = query.where(Event.first_date <= flt.date_to)
    if flt.bodies:
        query = query.where(exists().where(EventBody.event_id == Event.id,
                                           EventBody.body_slug.in_(flt.bodies)))
    if flt.tags:
        query = query.where(exists().where(EventTag.event_id == Event.id,
                                           EventTag.tag.in_(flt.tags)))
    if flt.kinds:
        query = query.where(Event.kind.in_(flt.kinds))
    if flt.statuses:
        query = query.where(Event.status.in_(flt.statuses))
    if flt.countries:
        query = query.where(Event.country.in_(flt.countries))
    for word in flt.text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in SEARCHED)))
    return query


def chronological(query: Select[tuple[Event]], *, descending: bool = False) -> Select[tuple[Event]]:
    if descending:
        return query.order_by(Event.first_date.desc(), Event.start_dt.desc(), Event.id.desc())
    return query.order_by(Event.first_date, Event.start_dt, Event.last_date, Event.id)


def paginate(session: Session, query: Select[tuple[Event]], flt: EventFilter) -> Page:
    """One page of *query*: fetch one row extra to learn whether more follow."""
    offset = (flt.page - 1) * flt.per_page
    rows = list(session.scalars(query.offset(offset).limit(flt.per_page + 1)))
    return Page(rows[: flt.per_page], flt.page, flt.per_page, len(rows) > flt.per_page)


def events_page(session: Session, flt: EventFilter, *, include_staff: bool = False) -> Page:
    """Dated events matching *flt*, oldest first (the API's list)."""
    query = filtered(flt, include_staff=include_staff).where(Event.first_date.is_not(None))
    return paginate(session, chronological(query), flt)


def upcoming_page(session: Session, flt: EventFilter, *, today: date,
                  include_staff: bool = False) -> Page:
    """Dated events that have not ended before *today*, soonest first."""
    query = filtered(flt, include_staff=include_staff).where(Event.last_date >= today)
    return paginate(session, chronological(query), flt)


def past_page(session: Session, flt: EventFilter, *, today: date,
              include_staff: bool = False) -> Page:
    """Dated events that ended before *today*, most recent first."""
    query = filtered(flt, include_staff=include_staff).where(Event.last_date < today)
    return paginate(session, chronological(query, descending=True), flt)


def undated(session: Session, flt: EventFilter, *, include_staff: bool = False) -> list[Event]:
    """Events known without dates ("dates to be announced"), by expected window."""
    query = filtered(flt.with_page(1), include_staff=include_staff)
    query = query.where(Event.first_date.is_(None)).order_by(Event.expected, Event.title)
    return list(session.scalars(query))


def count(session: Session, flt: EventFilter, *, include_staff: bool = False) -> int:
    subquery = filtered(flt, include_staff=include_staff).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def bodies(session: Session) -> list[Body]:
    """Every body: BLG members first, then the rest, each by short name."""
    return list(session.scalars(select(Body).order_by(Body.blg_member.desc(), Body.short_name)))


def body_slugs(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(Body.slug)))


def observances(session: Session) -> list[Observance]:
    return list(session.scalars(select(Observance).order_by(Observance.name)))
