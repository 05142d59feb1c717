"""A fingerprint of the calendar's data that changes whenever any of it does.

Pages, the API, feeds and the clash analysis are cached under it, so it must be
cheap: a handful of index lookups, no scan. Every write through the services
appends a revision (purges included), bulk inserts raise the highest event id,
any other write to an event moves ``updated_dt``, and bodies, observances and
comms plan items (which every save stamps) are a handful of rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from blgcal.models import Body, CommsPlanItem, Event, EventBody, Observance, Revision

# Built once: constructing the statements costs more than running them.
_REFERENCE = (  # what pages show besides events
    select(func.count()).select_from(Body).scalar_subquery(),
    select(func.count()).select_from(Observance).scalar_subquery(),
)
_VERSION = select(
    select(func.max(Revision.id)).scalar_subquery(),
    select(func.max(Event.id)).scalar_subquery(),
    select(func.max(Event.updated_dt)).scalar_subquery(),
    *_REFERENCE,
    select(func.max(CommsPlanItem.updated_dt)).scalar_subquery(),
)


def calendar_version(session: Session) -> str:
    """``revision-event-latest-bodies-observances-plan``: changes on any write."""
    row = session.execute(_VERSION).one()
    revision, event, latest, bodies, observances, plan = row
    stamp = latest.isoformat() if latest is not None else "-"
    plan_stamp = plan.isoformat() if plan is not None else "-"
    return f"{revision}-{event}-{stamp}-{bodies}-{observances}-{plan_stamp}"


def reference_version(session: Session) -> str:
    """``bodies-observances``: the part of :func:`calendar_version` that pages show besides events."""
    return spelled(session.execute(select(*_REFERENCE)).one())


class VersionMemo:
    """The calendar's version, read again at most every *max_age_s* seconds.

    :meth:`forget` drops it (the app calls it after each commit of its own),
    so a process sees its own writes at once and other processes' writes
    within *max_age_s*. Ages are measured on the monotonic clock, which a
    jump of the wall clock does not move.
    """

    def __init__(self, max_age_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age_s = max_age_s
        self._clock = clock
        self._known: tuple[str, float] | None = None
        self._forgotten = 0  # a read that overlaps a forget is not kept

    def get(self, read: Callable[[], str]) -> str:
        known, moment, forgotten = self._known, self._clock(), self._forgotten
        if known is not None and moment - known[1] < self.max_age_s:
            return known[0]
        version = read()
        if forgotten == self._forgotten:
            self._known = (version, moment)
        return version

    def forget(self) -> None:
        self._forgotten += 1
        self._known = None


def event_set_columns(events: Any) -> tuple[ColumnElement[Any], ...]:
    """Aggregates of a set of events that move whenever one of them may have changed.

    The count, the sum of ids, the sum of versions and the latest change of
    *events* (``Event``, or the columns ``.c`` of a subquery of it). An event
    written through the ORM bumps its ``version``; one that joins or leaves the set
    changes the count and the sum of ids (a swap would need the same ids); a purge
    or a bulk insert changes both too.
    """
    return (func.count(), func.coalesce(func.sum(events.id), 0),
            func.coalesce(func.sum(events.version), 0), func.max(events.updated_dt))


def spelled(values: Iterable[object]) -> str:
    """A row of such aggregates as one fingerprint."""
    return "-".join(str(value) for value in values)


def body_fingerprints(session: Session) -> dict[str, str]:
    """Per body, a fingerprint of all its events, whatever their dates or visibility.

    It moves whenever one of them changes (see :func:`event_set_columns`) or has
    its parent written; so it stands for the calendar's version in whatever shows only
    these bodies' events (a feed's part, an API page). One grouped query gives every
    body's, where :func:`~blgcal.services.feeds.build.fingerprint` scans for one feed.
    """
    parent = aliased(Event)
    rows = session.execute(
        select(EventBody.body_slug, *event_set_columns(Event),
               func.coalesce(func.sum(parent.version), 0))
        .join(Event, Event.id == EventBody.event_id)
        .outerjoin(parent, parent.id == Event.parent_id)
        .group_by(EventBody.body_slug))
    return {slug: spelled(rest) for slug, *rest in rows}


def bodies_stamp(fingerprints: Mapping[str, str], slugs: Iterable[str]) -> str:
    """The fingerprints of *slugs* (in *fingerprints*, from :func:`body_fingerprints`), as one string."""
    return " ".join(f"{slug}:{fingerprints.get(slug, '-')}" for slug in sorted(slugs))
