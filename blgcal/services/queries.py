"""Read-side queries: filtered, paginated events in a constant number of SQL queries.

Lists are read as plain rows and turned into domain events, with organisers
and tags fetched in one query each for the whole page: no ORM identity map,
no lazy loads, and no query count that grows with the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import FromClause

from blgcal.domain.filters import EventFilter
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind, Visibility
from blgcal.models import Body, Event, EventBody, EventTag, Observance
from blgcal.services import versions
from blgcal.services.event_rows import COLUMNS, from_plain

#: A SELECT of any columns (SQLAlchemy 2.1 types a Select by its column types).
AnySelect = Select[*tuple[Any, ...]]
SEARCHED = (Event.title, Event.code, Event.city, Event.venue, Event.description)


@dataclass(frozen=True)
class Page:
    items: Sequence[EventData]
    page: int
    per_page: int
    has_next: bool


def visible(include_staff: bool, table: type[Event] | Any = Event) -> ColumnElement[bool]:
    """``domain.permissions.may_see_event`` in SQL, for the rows of *table* (an alias)."""
    condition = table.deleted_dt.is_(None)
    if not include_staff:
        condition = and_(condition, table.visibility == Visibility.PUBLIC)
    return condition


@cache
def _shown_parent(include_staff: bool) -> tuple[Any, tuple[Any, ...]]:
    """The parent this visitor may see, and COLUMNS with its id as ``parent_id``.

    The parent is outer-joined on its primary key, so ``parent_id`` is null where
    it is hidden, and a page's rows each cost one index lookup (an ``EXISTS``
    was planned as a scan of every event). Built once per visitor kind:
    constructing them cost more than the queries they serve.
    """
    parent = aliased(Event, name="shown_parent")
    columns = tuple(parent.id.label("parent_id") if column is Event.parent_id else column
                    for column in COLUMNS)
    return parent, columns


def filtered(flt: EventFilter, *, include_staff: bool = False) -> AnySelect:
    """A SELECT of the columns of the events matching *flt* (any order, dated or not)."""
    parent, columns = _shown_parent(include_staff)
    query = (select(*columns).select_from(Event)
             .outerjoin(parent, and_(parent.id == Event.parent_id, visible(include_staff, parent)))
             .where(visible(include_staff)))
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


def chronological(query: AnySelect, *, descending: bool = False) -> AnySelect:
    if descending:
        return query.order_by(Event.first_date.desc(), Event.start_dt.desc(), Event.id.desc())
    return query.order_by(Event.first_date, Event.start_dt, Event.last_date, Event.id)


def load(session: Session, query: AnySelect) -> list[EventData]:
    """Run *query* (from :func:`filtered`) and return domain events, in its order."""
    result = session.execute(query)
    names = tuple(result.keys())
    rows = [dict(zip(names, row)) for row in result]
    ids = [row["id"] for row in rows]
    bodies: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    if ids:
        for event_id, slug in session.execute(
                select(EventBody.event_id, EventBody.body_slug)
                .where(EventBody.event_id.in_(ids)).order_by(EventBody.position)):
            bodies[event_id].append(slug)
        for event_id, tag in session.execute(
                select(EventTag.event_id, EventTag.tag)
                .where(EventTag.event_id.in_(ids)).order_by(EventTag.tag)):
            tags[event_id].append(tag)
    return [from_plain(row, bodies[row["id"]], tags[row["id"]]) for row in rows]


def page_of(query: AnySelect, flt: EventFilter) -> AnySelect:
    """*flt*'s page of *query*, with one row extra to learn whether more follow."""
    return query.offset((flt.page - 1) * flt.per_page).limit(flt.per_page + 1)


def page_from(found: Sequence[EventData], flt: EventFilter) -> Page:
    """The :class:`Page` of the events a :func:`page_of` query *found*."""
    return Page(found[: flt.per_page], flt.page, flt.per_page, len(found) > flt.per_page)


def paginate(session: Session, query: AnySelect, flt: EventFilter) -> Page:
    """One page of *query*."""
    return page_from(load(session, page_of(query, flt)), flt)


def fingerprint(session: Session, *reads: AnySelect) -> str:
    """What :func:`load` would read of each of *reads*, in one query of one aggregate each.

    It moves whenever any of them may read something else: each row counts with
    its id, its ``version`` (every write through the ORM bumps it, and a change of
    organisers or tags rewrites the row's feed piece) and the parent it shows (none
    once the parent is hidden); see :func:`blgcal.services.versions.event_set_columns`.
    Only those columns are read, so the sorts under a page's limit stay narrow.
    """
    aggregates = []
    for query in reads:
        rows = query.with_only_columns(Event.id, Event.version, Event.updated_dt,
                                       query.selected_columns.parent_id).subquery()
        aggregates.append(select(*versions.event_set_columns(rows.c),
                                 func.coalesce(func.sum(rows.c.parent_id), 0)).subquery())
    joined: FromClause = aggregates[0]
    for other in aggregates[1:]:
        joined = joined.join(other, true())
    return versions.spelled(session.execute(select(joined)).one())


def events_page(session: Session, flt: EventFilter, *, include_staff: bool = False) -> Page:
    """Dated events matching *flt*, oldest first (the API's list)."""
    query = filtered(flt, include_staff=include_staff).where(Event.first_date.is_not(None))
    return paginate(session, chronological(query), flt)


def upcoming_query(flt: EventFilter, *, today: date, include_staff: bool = False) -> AnySelect:
    """Dated events that have not ended before *today*, soonest first."""
    query = filtered(flt, include_staff=include_staff).where(Event.last_date >= today)
    return chronological(query)


def past_query(flt: EventFilter, *, today: date, include_staff: bool = False) -> AnySelect:
    """Dated events that ended before *today*, most recent first."""
    query = filtered(flt, include_staff=include_staff).where(Event.last_date < today)
    return chronological(query, descending=True)


def window_query(flt: EventFilter, *, include_staff: bool = False) -> AnySelect:
    """Every dated event overlapping *flt*'s window, unpaginated (month views)."""
    query = filtered(flt, include_staff=include_staff).where(Event.first_date.is_not(None))
    return chronological(query)


def undated_query(flt: EventFilter, *, include_staff: bool = False) -> AnySelect:
    """Events known without dates ("dates to be announced"), by expected window."""
    query = filtered(flt, include_staff=include_staff)
    return query.where(Event.first_date.is_(None)).order_by(Event.expected, Event.title)


def in_window(session: Session, flt: EventFilter, *, include_staff: bool = False
              ) -> list[EventData]:
    """The events of :func:`window_query`."""
    return load(session, window_query(flt, include_staff=include_staff))


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


def countries_in_use(session: Session, *, include_staff: bool = False) -> list[str]:
    """The countries of the events this visitor may see, for the filter pickers.

    Deleted events never count, and staff-only ones only for staff: a picker
    must not reveal where an unpublished meeting takes place.
    """
    query = (filtered(EventFilter(), include_staff=include_staff)
             .with_only_columns(Event.country).where(Event.country.is_not(None)).distinct())
    return sorted(code for code in session.scalars(query) if code)


def parent_candidates(session: Session) -> list[EventData]:
    """Meetings a side event can belong to, most recent first."""
    query = filtered(EventFilter(), include_staff=True).where(
        Event.first_date.is_not(None), Event.kind != Kind.SIDE_EVENT)
    return load(session, chronological(query, descending=True))
