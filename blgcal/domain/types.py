"""Plain, frozen data shared by every domain module.

An :class:`Event` is either *all-day* (``start_date``/``end_date``, end
inclusive as people say it) or *timed* (``start_dt``/``end_dt``, aware UTC
instants, end exclusive) or *undated* (neither: "dates to be announced").
The venue's IANA zone travels beside timed instants so local wall times can be
recomputed when zone rules change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo


@cache
def zone_info(name: str) -> ZoneInfo:
    """The zone called *name*, kept for the life of the process.

    ``ZoneInfo`` caches only weakly, so without this every event would re-read
    its zone file; there are a few hundred zones at most.
    """
    return ZoneInfo(name)


class Kind(enum.StrEnum):
    """What sort of event this is; meetings first, then the lighter kinds."""

    GOVERNING_BODY = "governing_body"
    SUBSIDIARY_BODY = "subsidiary_body"
    STANDING_COMMITTEE = "standing_committee"
    WORKING_GROUP = "working_group"
    CONFERENCE = "conference"
    BLG_MEETING = "blg_meeting"
    SIDE_EVENT = "side_event"
    WEBINAR = "webinar"
    COMMS_MOMENT = "comms_moment"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize().replace("Blg", "BLG")

    @property
    def is_meeting(self) -> bool:
        return self in MEETING_KINDS


MEETING_KINDS = frozenset(
    {
        Kind.GOVERNING_BODY,
        Kind.SUBSIDIARY_BODY,
        Kind.STANDING_COMMITTEE,
        Kind.WORKING_GROUP,
        Kind.CONFERENCE,
        Kind.BLG_MEETING,
    }
)


class Status(enum.StrEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def is_gone(self) -> bool:
        """Cancelled or postponed: the event will not take place on its dates."""
        return self in GONE_STATUSES


GONE_STATUSES = frozenset({Status.CANCELLED, Status.POSTPONED})


class Visibility(enum.StrEnum):
    """Who may see an event: everyone, or signed-in staff only."""

    PUBLIC = "public"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Body:
    """A convention secretariat or related organisation."""

    slug: str
    short_name: str
    name: str
    blg_member: bool = False
    city: str | None = None
    country: str | None = None
    timezone: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One event, as every domain module sees it.

    Exactly one of these holds: ``start_date`` and ``end_date`` are set
    (all-day, ``end_date`` inclusive), ``start_dt`` and ``end_dt`` are set
    (timed, aware UTC, ``end_dt`` exclusive), or none are (undated).
    """

    uid: str
    title: str
    bodies: tuple[str, ...]
    kind: Kind = Kind.GOVERNING_BODY
    status: Status = Status.CONFIRMED
    id: int | None = None
    code: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    start_dt: datetime | None = None
    end_dt: datetime | None = None
    timezone: str | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    online: bool = False
    url: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    parent_id: int | None = None
    visibility: Visibility = Visibility.PUBLIC
    expected: str | None = None
    source_url: str | None = None
    sequence: int = 0
    updated_dt: datetime | None = None

    def __post_init__(self) -> None:
        dated = self.start_date is not None or self.end_date is not None
        timed = self.start_dt is not None or self.end_dt is not None
        if dated and timed:
            raise ValueError("an event is all-day or timed, not both")
        if dated and (self.start_date is None or self.end_date is None):
            raise ValueError("an all-day event needs both start_date and end_date")
        if timed and (self.start_dt is None or self.end_dt is None):
            raise ValueError("a timed event needs both start_dt and end_dt")
        if dated and self.end_date < self.start_date:  # type: ignore[operator]
            raise ValueError("end_date is before start_date")
        if timed:
            for value in (self.start_dt, self.end_dt):
                if value is None or value.utcoffset() is None:
                    raise ValueError("timed events need aware datetimes")
            if self.end_dt < self.start_dt:  # type: ignore[operator]
                raise ValueError("end_dt is before start_dt")

    @property
    def all_day(self) -> bool:
        return self.start_date is not None

    @property
    def timed(self) -> bool:
        return self.start_dt is not None

    @property
    def dated(self) -> bool:
        return self.all_day or self.timed

    @property
    def zone(self) -> ZoneInfo:
        """The venue's zone, UTC when unknown or online."""
        return zone_info(self.timezone or "UTC")

    def local_days(self) -> tuple[date, date] | None:
        """First and last calendar day (inclusive) at the venue, or None."""
        if self.start_date is not None and self.end_date is not None:
            return self.start_date, self.end_date
        if self.start_dt is not None and self.end_dt is not None:
            first = self.start_dt.astimezone(self.zone).date()
            last_instant = max(self.start_dt, self.end_dt - timedelta(microseconds=1))
            return first, last_instant.astimezone(self.zone).date()
        return None

    def utc_span(self) -> tuple[datetime, datetime] | None:
        """The event as a half-open span of UTC instants, or None if undated.

        All-day events run from local midnight of the first day to local
        midnight after the last, at the venue (UTC when the zone is unknown).
        """
        if self.start_dt is not None and self.end_dt is not None:
            return self.start_dt, self.end_dt
        if self.start_date is not None and self.end_date is not None:
            zone = self.zone
            start = datetime.combine(self.start_date, datetime.min.time(), zone)
            end = datetime.combine(self.end_date + timedelta(days=1), datetime.min.time(), zone)
            return start.astimezone(UTC), end.astimezone(UTC)
        return None


@dataclass(frozen=True, slots=True)
class Observance:
    """An international day, defined by an RFC 5545 yearly RRULE."""

    name: str
    rrule: str
    lead_body: str
    note: str | None = None
    source_url: str | None = None
    slug: str = field(default="")
