"""Joint-communication opportunities: moments two or more bodies share.

Default rules (the fields of :class:`OpportunityRules`):

- **co_location**: meetings of two or more bodies in the same city (names
  compared without case or accents) within 14 days. Meetings of one city are
  grouped in date order: a group opens with the earliest meeting and takes
  every later one that starts no more than ``co_location_days`` after the
  opening meeting ends, so a busy city yields a run of bounded groups rather
  than one endless chain.
- **convening**: a major convening where BLG members can act together,
  detected by body, kind and a pattern on the code or title
  (:data:`DEFAULT_CONVENINGS`): the UN Environment Assembly, the UNFCCC COP,
  the IPBES plenary, the UN Ocean Conference, the IUCN World Conservation
  Congress and the GEF Assembly. BLG members' own events during it are listed
  with it.
- **observance**: an international day during a meeting or within 7 days of
  it, when the day's lead body is not the meeting's only body; and
  international days led by different bodies in the same ISO week.
  Observances are expanded over the days the events cover and the year
  after ``today``.
- **theme**: events of two or more bodies sharing a tag within 30 days,
  grouped per tag as co-locations are per city.

Cancelled, postponed and undated events offer nothing.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from blgcal.domain.geo import normalise_city
from blgcal.domain.observances import occurrences
from blgcal.domain.types import GONE_STATUSES, MEETING_KINDS, Event, Kind, Observance
from blgcal.domain.wording import body_name, describe_day, describe_event

JOINT_SIDE_EVENT = "joint side event"
JOINT_PRESS_RELEASE = "joint press release"
JOINT_SOCIAL_MEDIA = "joint social-media campaign"
JOINT_STATEMENT = "joint statement"

BLG_MEMBERS = frozenset({"cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc"})


class OpportunityKind(enum.StrEnum):
    CO_LOCATION = "co_location"
    CONVENING = "convening"
    OBSERVANCE = "observance"
    THEME = "theme"


@dataclass(frozen=True, slots=True)
class Convening:
    """How to recognise one kind of major convening among events."""

    name: str
    body: str
    kinds: frozenset[Kind]
    pattern: str

    def matches(self, event: Event) -> bool:
        if self.body not in event.bodies or event.kind not in self.kinds:
            return False
        return any(re.search(self.pattern, text, re.IGNORECASE)
                   for text in (event.code or "", event.title))


_PLENARY = frozenset({Kind.GOVERNING_BODY, Kind.CONFERENCE})
DEFAULT_CONVENINGS = (
    Convening("UN Environment Assembly", "unep", _PLENARY, r"\bUNEA-?\d+\b|Environment Assembly"),
    Convening("UNFCCC COP", "unfccc", _PLENARY, r"^COP ?\d+$|Conference of the Parties"),
    Convening("IPBES plenary", "ipbes", _PLENARY, r"^IPBES-?\d+$|Plenary"),
    Convening("UN Ocean Conference", "un", _PLENARY, r"\bUNOC ?\d+\b|Ocean Conference"),
    Convening("IUCN World Conservation Congress", "iucn", _PLENARY,
              r"\bWCC\b|World Conservation Congress"),
    Convening("GEF Assembly", "gef", _PLENARY, r"\bGEF A\d+\b|GEF Assembly"),
)


@dataclass(frozen=True, slots=True)
class OpportunityRules:
    """What to look for; the defaults are the ones in the module docstring."""

    kinds: frozenset[OpportunityKind] = frozenset(OpportunityKind)
    co_location_days: int = 14
    observance_days: int = 7
    theme_days: int = 30
    convenings: tuple[Convening, ...] = DEFAULT_CONVENINGS
    blg_members: frozenset[str] = field(default=BLG_MEMBERS)


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A moment two or more bodies could communicate jointly."""

    kind: OpportunityKind
    bodies: tuple[str, ...]
    events: tuple[Event, ...]
    start: date
    end: date
    city: str | None
    lead_days: int
    explanation: str
    actions: tuple[str, ...]
    key: str


_Draft = Opportunity
"""An opportunity whose ``lead_days`` (0) :func:`_finish` has yet to fix."""


def find_opportunities(events: Iterable[Event], observances: Sequence[Observance], *,
                       rules: OpportunityRules = OpportunityRules(),
                       today: date) -> list[Opportunity]:
    """Every opportunity among *events* and *observances*, soonest first.

    :param today: the date lead times count from; earlier ones are negative.
    """
    dated = _dated(events, rules)
    drafts: list[_Draft] = []
    if OpportunityKind.CO_LOCATION in rules.kinds:
        drafts += _co_locations(dated, rules.co_location_days)
    if OpportunityKind.CONVENING in rules.kinds:
        drafts += _convenings(dated, rules)
    if OpportunityKind.OBSERVANCE in rules.kinds:
        drafts += _observance_drafts(dated, observances, rules, today)
    if OpportunityKind.THEME in rules.kinds:
        drafts += _themes(dated, rules.theme_days)
    drafts.sort(key=lambda d: (d.start, d.kind, d.key))
    return [_finish(draft, today) for draft in drafts]


def _finish(draft: _Draft, today: date) -> Opportunity:
    return replace(draft, lead_days=(draft.start - today).days)


_Dated = tuple[date, date, Event]


def _dated(events: Iterable[Event], rules: OpportunityRules) -> list[_Dated]:
    """(first day, last day, event), in date order, for live events a rule could use.

    Meetings, tagged events, BLG members' events and possible convenings: no
    rule reads anything else, so the rest are left out before their days are
    worked out (a big calendar is mostly other bodies' side events).
    """
    members, convening = rules.blg_members, frozenset(c.body for c in rules.convenings)
    rows = []
    for event in events:
        if event.status in GONE_STATUSES or not (event.kind in MEETING_KINDS or event.tags or not (
                members.isdisjoint(event.bodies) and convening.isdisjoint(event.bodies))):
            continue
        if (days := event.local_days()) is not None:
            rows.append((days[0], days[1], event))
    # By (first, last, uid) in two stable sorts, without a key tuple per row.
    rows.sort(key=_uid)
    rows.sort(key=_days_key)
    return rows




def _uid(row: _Dated) -> str:
    return row[2].uid


def _days_key(row: _Dated) -> int:
    return row[0].toordinal() << 22 | row[1].toordinal()  # ordinals stay below 2**22


def _key(kind: str, events: Iterable[Event], *extra: str) -> str:
    return ":".join([kind, *extra, "+".join(sorted(event.uid for event in events))])


def _bodies(events: Iterable[Event], *more: str) -> tuple[str, ...]:
    return tuple(sorted({*more, *(body for event in events for body in event.bodies)}))


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _windows(rows: Sequence[_Dated], days: int) -> list[list[_Dated]]:
    """Group rows (in date order) into windows opened by their earliest row."""
    groups: list[list[_Dated]] = []
    for row in rows:
        if groups and row[0] <= groups[-1][0][1] + timedelta(days=days):
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _co_locations(dated: Sequence[_Dated], days: int) -> list[_Draft]:
    by_city: defaultdict[tuple[str, str], list[_Dated]] = defaultdict(list)
    for row in dated:
        event = row[2]
        if event.kind.is_meeting and event.city and not event.online:
            by_city[normalise_city(event.city), event.country or ""].append(row)
    return [_co_location(group, days) for rows in by_city.values()
            for group in _windows(rows, days) if len(_bodies(r[2] for r in group)) > 1]


def _co_location(group: list[_Dated], days: int) -> _Draft:
    events = tuple(row[2] for row in group)
    city = events[0].city
    text = (f"{_listed([describe_event(e) for e in events])} bring "
            f"{_listed([body_name(b) for b in _bodies(events)])} to {city} within {days} days.")
    return _Draft(OpportunityKind.CO_LOCATION, _bodies(events), events, group[0][0],
                  max(row[1] for row in group), city, 0, text,
                  (JOINT_SIDE_EVENT, JOINT_PRESS_RELEASE, JOINT_SOCIAL_MEDIA),
                  _key(OpportunityKind.CO_LOCATION, events))


def _near(dated: Sequence[_Dated], firsts: Sequence[date], first: date, last: date,
          longest: int) -> list[Event]:
    """Events whose days meet [first, last]; *firsts* is the bisect index."""
    lo = bisect_left(firsts, first - timedelta(days=longest))
    hi = bisect_right(firsts, last)
    return [row[2] for row in dated[lo:hi] if row[1] >= first]


def _longest(dated: Sequence[_Dated]) -> int:
    return max(((row[1] - row[0]).days for row in dated), default=0)


def _convenings(dated: Sequence[_Dated], rules: OpportunityRules) -> list[_Draft]:
    firsts, longest = [row[0] for row in dated], _longest(dated)
    by_body: defaultdict[str, list[Convening]] = defaultdict(list)
    for known in rules.convenings:
        by_body[known.body].append(known)
    drafts = []
    for first, last, event in dated:
        convening = next((c for body in event.bodies for c in by_body.get(body, ())
                          if c.matches(event)), None)
        if convening is not None:
            during = [e for e in _near(dated, firsts, first, last, longest)
                      if e is not event and not rules.blg_members.isdisjoint(e.bodies)]
            drafts.append(_convening(convening, event, (first, last), during, rules))
    return drafts


def _convening(convening: Convening, event: Event, days: tuple[date, date],
               during: list[Event], rules: OpportunityRules) -> _Draft:
    events = (event, *during)
    text = (f"{describe_event(event)} is the {convening.name}: BLG members can act together "
            f"there" + (f", beside {_listed([describe_event(e) for e in during])}." if during
                        else "."))
    return _Draft(OpportunityKind.CONVENING, _bodies(events, *rules.blg_members), events,
                  days[0], days[1], event.city, 0, text,
                  (JOINT_SIDE_EVENT, JOINT_STATEMENT, JOINT_PRESS_RELEASE),
                  _key(OpportunityKind.CONVENING, events))


def _observance_drafts(dated: Sequence[_Dated], observances: Sequence[Observance],
                       rules: OpportunityRules, today: date) -> list[_Draft]:
    """Days near meetings, then days of different lead bodies sharing a week."""
    pad = timedelta(days=rules.observance_days)
    first = min([today, *(row[0] for row in dated)]) - pad
    last = max([today + timedelta(days=365), *(row[1] for row in dated)]) + pad
    days = sorted(((day, item) for item in observances for day in occurrences(item, first, last)),
                  key=lambda pair: (pair[0], pair[1].name))
    meetings = [row for row in dated if row[2].kind.is_meeting]
    firsts, longest = [row[0] for row in meetings], _longest(meetings)
    drafts = []
    for day, item in days:
        for event in _near(meetings, firsts, day - pad, day + pad, longest):
            if set(event.bodies) - {item.lead_body}:
                drafts.append(_observance_near(day, item, event))
    return drafts + _same_weeks(days)


def _observance_near(day: date, item: Observance, event: Event) -> _Draft:
    first, last = event.local_days() or (day, day)
    if first <= day <= last:
        when = "falls during"
    else:
        gap = (first - day).days if day < first else (day - last).days
        when = f"falls {gap} day{'s' if gap > 1 else ''} {'before' if day < first else 'after'}"
    day_text = describe_day(item.name, day, item.lead_body, led=True)
    text = f"{day_text} {when} {describe_event(event)}."
    return _Draft(OpportunityKind.OBSERVANCE, _bodies([event], item.lead_body), (event,), day,
                  day, event.city, 0, text,
                  (JOINT_SOCIAL_MEDIA, JOINT_PRESS_RELEASE, JOINT_SIDE_EVENT),
                  _key(OpportunityKind.OBSERVANCE, [event], _slug(item), day.isoformat()))


def _slug(item: Observance) -> str:
    return item.slug or "-".join(normalise_city(item.name).split())


def _same_weeks(days: Sequence[tuple[date, Observance]]) -> list[_Draft]:
    weeks: defaultdict[tuple[int, int], list[tuple[date, Observance]]] = defaultdict(list)
    for day, item in days:
        weeks[day.isocalendar()[:2]].append((day, item))
    return [_same_week(week, group) for week, group in weeks.items()
            if len({item.lead_body for _, item in group}) > 1]


def _same_week(week: tuple[int, int], group: list[tuple[date, Observance]]) -> _Draft:
    named = [describe_day(item.name, day, item.lead_body) for day, item in group]
    label = f"{week[0]}-W{week[1]:02d}"
    text = f"{_listed(named)} fall in the same week ({label})."
    return _Draft(OpportunityKind.OBSERVANCE, tuple(sorted({i.lead_body for _, i in group})), (),
                  group[0][0], group[-1][0], None, 0, text, (JOINT_SOCIAL_MEDIA, JOINT_STATEMENT),
                  ":".join([OpportunityKind.OBSERVANCE, label, *(_slug(i) for _, i in group)]))


def _themes(dated: Sequence[_Dated], days: int) -> list[_Draft]:
    by_tag: defaultdict[str, list[_Dated]] = defaultdict(list)
    for row in dated:
        for tag in {t.strip().lower() for t in row[2].tags if t.strip()}:
            by_tag[tag].append(row)
    return [_theme(tag, group, days) for tag, rows in sorted(by_tag.items())
            for group in _windows(rows, days) if len(_bodies(r[2] for r in group)) > 1]


def _theme(tag: str, group: list[_Dated], days: int) -> _Draft:
    events = tuple(row[2] for row in group)
    cities = {normalise_city(e.city or "") for e in events}
    text = (f"{_listed([describe_event(e) for e in events])} share the theme "
            f"\u201c{tag}\u201d within {days} days.")
    return _Draft(OpportunityKind.THEME, _bodies(events), events, group[0][0],
                  max(row[1] for row in group), events[0].city if len(cities) == 1 else None,
                  0, text, (JOINT_SOCIAL_MEDIA, JOINT_PRESS_RELEASE),
                  _key(OpportunityKind.THEME, events, tag))
