"""What each kind of feed is called and holds: all, per body, custom, observances,
one event, private (a saved filter, or the comms plan). Names and colours live here,
spelt from the request's identity (see :mod:`blgcal.domain.feeds`), so every feed of a
kind says the same about itself; :func:`resolve` turns a request into its spec.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace

from sqlalchemy.orm import Session

from blgcal.domain.body_colors import feed_color
from blgcal.domain.feeds import FeedContent, FeedKind, FeedRequest, FeedSpec, Params
from blgcal.domain.filters import EventFilter, FilterError, parse_filters
from blgcal.domain.flags import flag
from blgcal.domain.ical import FeedMeta
from blgcal.domain.ical.window import FeedSettings
from blgcal.domain.types import Kind
from blgcal.models import Body, Event
from blgcal.services import queries

FILTER_PARAMS = ("body", "kind", "status", "country", "tag", "q", "from", "to", "month")
FEED_PARAMS = (*FILTER_PARAMS, "observances")
DESCRIPTION = "Meetings of the Biodiversity-related Conventions and related bodies"


class NoSuchFeed(LookupError):
    """The body or event a feed address names is not there."""


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


def resolve(session: Session, request: FeedRequest, *, site: str,
            known_bodies: Callable[[], Collection[str]] | None = None) -> FeedSpec:
    """*request*'s feed: its name and what it holds, read from its parameters and the data.

    *known_bodies* gives the bodies' slugs when the caller keeps them (else they are read).

    Raises :class:`~blgcal.domain.filters.FilterError` for a bad parameter and
    :class:`NoSuchFeed` for a body or event that is not there.
    """
    if request.kind is FeedKind.COMMS_PLAN:
        return comms_plan_spec(site, request)
    if request.kind is FeedKind.EVENT:
        row = session.get(Event, int(request.subject))
        if row is None:
            raise NoSuchFeed(f"No event {request.subject} with dates.")
        return event_spec(site, row.id, row.code or row.title, include_staff=request.include_staff)
    slugs = known_bodies() if known_bodies is not None else queries.body_slugs(session)
    flt, observances = read_params(request.params, known_bodies=slugs)
    if request.kind is FeedKind.ALL:
        return all_spec(site, flt, observances=observances)
    if request.kind is FeedKind.BODY:
        body = session.get(Body, request.subject)
        if body is None:
            raise NoSuchFeed(f"No body {request.subject!r}.")
        return body_spec(site, body, flt, observances=observances)
    if request.kind is FeedKind.OBSERVANCES:
        return observances_spec(site, flt)
    if request.kind is FeedKind.CUSTOM:
        return custom_spec(site, flt, observances=observances, params=request.params)
    return private_spec(site, request, flt, observances)


def all_spec(site: str, flt: EventFilter, *, observances: bool = False) -> FeedSpec:
    identity = FeedRequest(FeedKind.ALL)
    meta = FeedMeta(name=site, description=DESCRIPTION, calendar_uid=identity.calendar_uid)
    return FeedSpec(identity.identity, meta, FeedContent(flt, observances=observances))


def body_spec(site: str, body: Body, flt: EventFilter, *, observances: bool = False) -> FeedSpec:
    identity = FeedRequest(FeedKind.BODY, body.slug)
    meta = FeedMeta(name=f"{site}: {body.short_name}", description=f"Meetings of {body.name}",
                    calendar_uid=identity.calendar_uid, color=feed_color(body.slug))
    return FeedSpec(identity.identity, meta,
                    FeedContent(replace(flt, bodies=(body.slug,)), observances=observances))


def observances_spec(site: str, flt: EventFilter) -> FeedSpec:
    """The international days alone; ``from`` moves their first year back."""
    identity = FeedRequest(FeedKind.OBSERVANCES)
    meta = FeedMeta(name=f"{site}: international days", calendar_uid=identity.calendar_uid,
                    description="International days of the conventions", color="goldenrod")
    return FeedSpec(identity.identity, meta, FeedContent(flt, events=False, observances=True))


def custom_spec(site: str, flt: EventFilter, *, observances: bool, params: Params) -> FeedSpec:
    identity = FeedRequest(FeedKind.CUSTOM, params=params)
    meta = FeedMeta(name=f"{site}: {summary(flt)}"[:150], description=DESCRIPTION,
                    calendar_uid=identity.calendar_uid, color="darkslategray")
    return FeedSpec(identity.identity, meta, FeedContent(flt, observances=observances))


def private_spec(site: str, request: FeedRequest, flt: EventFilter, observances: bool) -> FeedSpec:
    """A saved filter; staff-only events too when the owner may see them."""
    meta = FeedMeta(name=f"{site}: {request.name}", description=f"{DESCRIPTION} (private feed)",
                    calendar_uid=request.calendar_uid, color="slateblue")
    return FeedSpec(request.identity, meta, FeedContent(
        flt, include_staff=request.include_staff, observances=observances))


def comms_plan_spec(site: str, request: FeedRequest) -> FeedSpec:
    """The comms plan's items, one all-day event each on its deadline (notes left out)."""
    meta = FeedMeta(name=f"{site}: {request.name}",
                    description="Joint communication planned across the biodiversity-related "
                                "conventions (private feed)",
                    calendar_uid=request.calendar_uid, color="darkorange")
    return FeedSpec(request.identity, meta, FeedContent(events=False, comms_plan=True))


def event_spec(site: str, event_id: int, title: str, *, include_staff: bool) -> FeedSpec:
    identity = FeedRequest(FeedKind.EVENT, str(event_id))
    meta = FeedMeta(name=f"{site}: {title}"[:150], description=DESCRIPTION,
                    calendar_uid=identity.calendar_uid)
    return FeedSpec(identity.identity, meta,
                    FeedContent(include_staff=include_staff, event_id=event_id))


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
