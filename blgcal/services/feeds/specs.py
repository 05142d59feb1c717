"""What each kind of feed is called and holds: all, per body, custom, observances,
one event, private (a saved filter, or the comms plan). Names, calendar UIDs (RFC 7986 5.3:
fixed per feed forever) and colours live here so every feed of a kind says the same about itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from urllib.parse import urlencode

from blgcal.domain.body_colors import feed_color
from blgcal.domain.filters import EventFilter, FilterError, parse_filters
from blgcal.domain.flags import flag
from blgcal.domain.ical import FeedMeta
from blgcal.domain.ical.window import FeedSettings
from blgcal.domain.types import Kind
from blgcal.models import Body
from blgcal.services.feeds.build import FeedSpec
from blgcal.services.feeds.private import Subscription

FILTER_PARAMS = ("body", "kind", "status", "country", "tag", "q", "from", "to", "month")
FEED_PARAMS = (*FILTER_PARAMS, "observances")
DESCRIPTION = "Meetings of the Biodiversity-related Conventions and related bodies"
Params = Mapping[str, Sequence[str]]


def read_params(params: Params, *, known_bodies: Collection[str]) -> tuple[EventFilter, bool]:
    """A feed's filter and whether it adds the international days.

    Same vocabulary as the JSON API; an unknown parameter is refused too, so
    a misspelt filter gets a 400 rather than the whole calendar.
    """
    for name in params:
        if name not in FEED_PARAMS:
            raise FilterError(name, f"unknown parameter; feeds take {', '.join(FEED_PARAMS)}")
    flt = parse_filters(params, known_bodies=known_bodies)
    return flt, flag(list(params.get("observances", ())), "observances")


def canonical(params: Params) -> str:
    """The parameters as one stable string: same filter, same cache entry and calendar UID."""
    pairs = sorted((name, value) for name, values in params.items() for value in values if value)
    return urlencode(pairs)


def all_spec(site: str, flt: EventFilter, *, observances: bool = False) -> FeedSpec:
    meta = FeedMeta(name=site, description=DESCRIPTION, calendar_uid="feed-all@blgcal")
    return FeedSpec(key="all", meta=meta, flt=flt, observances=observances)


def body_spec(site: str, body: Body, flt: EventFilter, *, observances: bool = False) -> FeedSpec:
    meta = FeedMeta(name=f"{site}: {body.short_name}", description=f"Meetings of {body.name}",
                    calendar_uid=f"feed-body-{body.slug}@blgcal",
                    color=feed_color(body.slug))
    return FeedSpec(key=f"body:{body.slug}", meta=meta, flt=replace(flt, bodies=(body.slug,)),
                    observances=observances)


def observances_spec(site: str, flt: EventFilter) -> FeedSpec:
    """The international days alone; ``from`` moves their first year back."""
    meta = FeedMeta(name=f"{site}: international days", calendar_uid="feed-observances@blgcal",
                    description="International days of the conventions", color="goldenrod")
    return FeedSpec(key="observances", meta=meta, flt=flt, events=False, observances=True)


def custom_spec(site: str, flt: EventFilter, *, observances: bool, params: Params) -> FeedSpec:
    key = canonical(params)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    meta = FeedMeta(name=f"{site}: {summary(flt)}"[:150], description=DESCRIPTION,
                    calendar_uid=f"feed-custom-{digest}@blgcal", color="darkslategray")
    return FeedSpec(key=f"custom:{key}", meta=meta, flt=flt, observances=observances)


def private_spec(site: str, feed: Subscription, flt: EventFilter, observances: bool, *,
                 include_staff: bool) -> FeedSpec:
    """A saved filter; staff-only events too when the owner may see them."""
    meta = FeedMeta(name=f"{site}: {feed.name}", description=f"{DESCRIPTION} (private feed)",
                    calendar_uid=f"feed-private-{feed.id}@blgcal", color="slateblue")
    return FeedSpec(key=f"private:{feed.id}", meta=meta, flt=flt,
                    include_staff=include_staff, observances=observances)


def comms_plan_spec(site: str, feed: Subscription) -> FeedSpec:
    """The comms plan's items, one all-day event each on its deadline (notes left out)."""
    meta = FeedMeta(name=f"{site}: {feed.name}",
                    description="Joint communication planned across the biodiversity-related "
                                "conventions (private feed)",
                    calendar_uid=f"feed-private-{feed.id}@blgcal", color="darkorange")
    return FeedSpec(key=f"private:{feed.id}", meta=meta, events=False, comms_plan=True)


def event_spec(site: str, event_id: int, title: str, *, include_staff: bool) -> FeedSpec:
    meta = FeedMeta(name=f"{site}: {title}"[:150], description=DESCRIPTION,
                    calendar_uid=f"feed-event-{event_id}@blgcal")
    return FeedSpec(key=f"event:{event_id}", meta=meta, include_staff=include_staff,
                    event_id=event_id)


def summary(flt: EventFilter) -> str:
    """A filter in a few words: ``CBD, CMS · Governing body · "oceans"``."""
    parts = [", ".join(b.upper() for b in flt.bodies),
             ", ".join(Kind(k).label for k in flt.kinds),
             ", ".join(s.value for s in flt.statuses),
             ", ".join(flt.countries),
             ", ".join(f"#{t}" for t in flt.tags),
             f'"{flt.text}"' if flt.text else "",
             f"from {flt.date_from}" if flt.date_from else "",
             f"to {flt.date_to}" if flt.date_to else ""]
    return " · ".join(p for p in parts if p) or "all events"


def settings_from(config: Mapping[str, object]) -> FeedSettings:
    """The feed settings from the app's configuration."""
    return FeedSettings(past_days=int(str(config["FEED_PAST_DAYS"])),
                        keep_cancelled_days=int(str(config["FEED_KEEP_CANCELLED_DAYS"])),
                        warn_bytes=int(str(config["FEED_WARN_KB"])) * 1024)
