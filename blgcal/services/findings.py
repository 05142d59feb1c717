"""Clashes and joint-communication opportunities over the whole calendar.

The pure finders run over every dated event; their answer depends only on the
data, today's date and who is looking (staff-only events), so a caller that
keeps a :data:`FindingsCache` (the web keeps one per app) gets them computed
once per calendar version and day; without one they are computed each time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.cache import VersionedCache
from blgcal.domain.clashes import Clash, ClashRules, find_clashes
from blgcal.domain.filters import EventFilter
from blgcal.domain.findings import FindingFilter, select_clashes, select_opportunities
from blgcal.domain.opportunities import Opportunity, find_opportunities
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Observance as ObservanceData
from blgcal.models import ClashAck
from blgcal.services import queries
from blgcal.services.agenda import observance_data
from blgcal.services.history import Actor
from blgcal.services.versions import calendar_version


@dataclass(frozen=True)
class Findings:
    events: list[EventData]
    observances: list[ObservanceData]
    clashes: list[Clash]
    opportunities: list[Opportunity]

    @property
    def weight(self) -> int:
        """An estimate of the bytes these objects hold, for the cache's bound."""
        return (2048 * len(self.events) + 512 * len(self.observances)
                + 1024 * (len(self.clashes) + len(self.opportunities)))


#: Findings by who is looking (staff or not), under the calendar's version and the day.
FindingsCache = VersionedCache[bool, Findings]


def findings_cache(max_bytes: int) -> FindingsCache:
    return VersionedCache(max_bytes, lambda found: found.weight)


def findings(session: Session, *, today: date, include_staff: bool = False,
             cache: FindingsCache | None = None) -> Findings:
    """Every clash and opportunity in the calendar, from *cache* while the data is unchanged."""
    def find() -> Findings:
        events = queries.in_window(session, EventFilter(), include_staff=include_staff)
        observances = [observance_data(row) for row in queries.observances(session)]
        return Findings(events, observances, find_clashes(events, rules=ClashRules()),
                        find_opportunities(events, observances, today=today))
    if cache is None:
        return find()
    return cache.get_or_build(include_staff, (calendar_version(session), today), find)


def listed_clashes(session: Session, flt: FindingFilter, *, today: date, include_staff: bool = False,
                   acks: dict[str, ClashAck] | None = None, cache: FindingsCache | None = None
                   ) -> list[tuple[Clash, bool]]:
    """The clashes *flt* selects, each with whether it stands acknowledged.

    Acknowledged clashes are left out unless *flt* asks for them. The clashes
    page, the API and ``blgcal clashes`` all list through here; a caller that
    already read :func:`latest_acks` passes them as *acks*.
    """
    acks = latest_acks(session) if acks is None else acks
    found = findings(session, today=today, include_staff=include_staff, cache=cache).clashes
    listed = [(clash, is_acknowledged(clash, acks)) for clash in select_clashes(found, flt)]
    return [(clash, acked) for clash, acked in listed if flt.acknowledged or not acked]


def listed_opportunities(session: Session, flt: FindingFilter, *, today: date,
                         include_staff: bool = False, cache: FindingsCache | None = None
                         ) -> list[Opportunity]:
    """The opportunities *flt* selects (the page, the API and ``blgcal opportunities``)."""
    found = findings(session, today=today, include_staff=include_staff, cache=cache).opportunities
    return select_opportunities(found, flt)


def clashes_with(candidate: EventData, others: Sequence[EventData]) -> list[Clash]:
    """The clashes *candidate* would have with *others* (form preview, event page)."""
    pool = [event for event in others if event.uid != candidate.uid] + [candidate]
    return [clash for clash in find_clashes(pool)
            if any(event.uid == candidate.uid for event in clash.events)]


def latest_acks(session: Session) -> dict[str, ClashAck]:
    """The most recent acknowledgement of each clash key."""
    rows = session.scalars(select(ClashAck).order_by(ClashAck.id))
    return {row.clash_key: row for row in rows}


def is_acknowledged(clash: Clash, acks: dict[str, ClashAck]) -> bool:
    """Acknowledged, and the events have not changed since."""
    ack = acks.get(clash.key)
    return ack is not None and ack.fingerprint == clash.fingerprint


def acknowledge(session: Session, clash: Clash, *, note: str, actor: Actor,
                now: datetime) -> ClashAck:
    ack = ClashAck(clash_key=clash.key, fingerprint=clash.fingerprint,
                   explanation=clash.explanation, note=note, user_id=actor.user_id,
                   user_label=actor.label, created_dt=now)
    session.add(ack)
    session.flush()
    return ack


def ack_history(session: Session, key: str) -> list[ClashAck]:
    query = select(ClashAck).where(ClashAck.clash_key == key).order_by(ClashAck.id.desc())
    return list(session.scalars(query))
