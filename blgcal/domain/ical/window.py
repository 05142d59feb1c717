"""Which days and which cancellations a feed shows, and when its content last moved.

Pure functions of the filter, the settings and the day: a feed's bytes are a
function of (data, filter, day), which is what lets the cache key on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """The ``FEED_*`` configuration, as the services need it."""

    past_days: int = 90
    keep_cancelled_days: int = 30
    warn_bytes: int = 800 * 1024


@dataclass(frozen=True, slots=True)
class FeedWindow:
    """Events ending before *first_date* or starting after *last_date* are left out;
    cancelled and deleted ones changed before *cancelled_since* have dropped out.
    *rolling* is true when *first_date* moves with the day (no ``from``)."""

    first_date: date
    last_date: date | None
    cancelled_since: datetime
    rolling: bool


def feed_window(date_from: date | None, date_to: date | None, *, today: date,
                settings: FeedSettings) -> FeedWindow:
    """The default window (the last ``past_days`` and everything ahead), or ``from``/``to``."""
    midnight = datetime.combine(today, time(), UTC)
    return FeedWindow(
        first_date=date_from or today - timedelta(days=settings.past_days),
        last_date=date_to,
        cancelled_since=midnight - timedelta(days=settings.keep_cancelled_days),
        rolling=date_from is None,
    )


def last_modified(latest_change: datetime | None, *, window: FeedWindow,
                  settings: FeedSettings, latest_gone_before_window: date | None,
                  latest_expired_cancellation: datetime | None, now: datetime) -> datetime:
    """When the feed's content last changed, for ``Last-Modified`` (RFC 9110 8.8.2).

    Content changes when an event is written (*latest_change*, over the whole
    calendar, so an event that leaves the feed counts), when an event slides
    out of a rolling window (at midnight after its last day plus
    ``past_days``), and when a cancellation expires. Never later than *now*.
    """
    moments = [datetime(2000, 1, 1, tzinfo=UTC)]
    if latest_change is not None:
        moments.append(latest_change)
    if window.rolling and latest_gone_before_window is not None:
        day = latest_gone_before_window + timedelta(days=settings.past_days + 1)
        moments.append(datetime.combine(day, time(), UTC))
    if latest_expired_cancellation is not None:
        expiry = latest_expired_cancellation + timedelta(days=settings.keep_cancelled_days)
        moments.append(datetime.combine(expiry.date() + timedelta(days=1), time(), UTC))
    return min(max(moments), now).replace(microsecond=0)
