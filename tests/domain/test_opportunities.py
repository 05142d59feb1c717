"""Opportunity rules, one table each."""

from __future__ import annotations

from datetime import date

import pytest

from blgcal.domain.opportunities import (
    OpportunityKind,
    OpportunityRules,
    find_opportunities,
)
from blgcal.domain.types import Event, Kind, Observance, Status

TODAY = date(2025, 1, 1)
ONLY = {kind: OpportunityRules(kinds=frozenset({kind})) for kind in OpportunityKind}


def meeting(uid: str, first: str, last: str, *, body: str, city: str = "Rome",
            kind: Kind = Kind.GOVERNING_BODY, **more: object) -> Event:
    return Event(uid=uid, title=uid, code=uid, bodies=(body,), kind=kind, city=city,
                 country="IT", start_date=date.fromisoformat(first),
                 end_date=date.fromisoformat(last), **more)  # type: ignore[arg-type]


def found(events: list[Event], kind: OpportunityKind,
          observances: tuple[Observance, ...] = ()) -> list[tuple[str, ...]]:
    return [tuple(sorted(e.uid for e in o.events))
            for o in find_opportunities(events, observances, rules=ONLY[kind], today=TODAY)]


@pytest.mark.parametrize(("second", "expected"), [
    (meeting("B", "2025-02-17", "2025-02-18", body="cbd"), [("A", "B")]),
    (meeting("B", "2025-02-24", "2025-02-25", body="cbd"), [("A", "B")]),
    (meeting("B", "2025-02-25", "2025-02-26", body="cbd"), []),
    (meeting("B", "2025-02-12", "2025-02-13", body="blg"), []),
    (meeting("B", "2025-02-12", "2025-02-13", body="cbd", city="ROME"), [("A", "B")]),
    (meeting("B", "2025-02-12", "2025-02-13", body="cbd", city="Bonn"), []),
    (meeting("B", "2025-02-12", "2025-02-13", body="cbd", status=Status.CANCELLED), []),
], ids=["days-apart", "exactly-14-days", "15-days", "same-body", "case-folded-city",
        "other-city", "cancelled"])
def test_co_location_table(second: Event, expected: list[tuple[str, ...]]) -> None:
    first = meeting("A", "2025-02-10", "2025-02-10", body="blg")
    assert found([first, second], OpportunityKind.CO_LOCATION) == expected


def test_co_location_window_is_configurable() -> None:
    events = [meeting("A", "2025-02-10", "2025-02-10", body="blg"),
              meeting("B", "2025-03-01", "2025-03-01", body="cbd")]
    rules = OpportunityRules(kinds=frozenset({OpportunityKind.CO_LOCATION}), co_location_days=30)
    assert len(find_opportunities(events, (), rules=rules, today=TODAY)) == 1


def test_accents_do_not_split_a_city() -> None:
    events = [meeting("A", "2025-11-01", "2025-11-01", body="blg", city="Belém"),
              meeting("B", "2025-11-03", "2025-11-03", body="cbd", city="Belem")]
    assert found(events, OpportunityKind.CO_LOCATION) == [("A", "B")]


@pytest.mark.parametrize(("body", "kind", "code", "title", "convening"), [
    ("unep", Kind.GOVERNING_BODY, "UNEA-7", "7th session", True),
    ("unep", Kind.SUBSIDIARY_BODY, "OECPR-7", "prepares UNEA-7", False),
    ("unfccc", Kind.GOVERNING_BODY, "COP30", "30th session", True),
    ("unfccc", Kind.GOVERNING_BODY, "COP30 Leaders Summit", "Leaders' Summit ahead of COP30",
     False),
    ("unfccc", Kind.SUBSIDIARY_BODY, "SB62", "Bonn Climate Change Conference", False),
    ("ipbes", Kind.GOVERNING_BODY, "IPBES-12", "12th session", True),
    ("un", Kind.CONFERENCE, "UNOC3", "UN Ocean Conference", True),
    ("iucn", Kind.GOVERNING_BODY, "IUCN WCC 2025", "Congress", True),
    ("gef", Kind.GOVERNING_BODY, "GEF A8 / C.71", "Eighth GEF Assembly", True),
    ("gef", Kind.GOVERNING_BODY, "GEF C.69", "69th Council", False),
    ("cbd", Kind.GOVERNING_BODY, "COP17", "Conference of the Parties to the CBD", False),
])
def test_convening_detection(body: str, kind: Kind, code: str, title: str,
                             convening: bool) -> None:
    event = Event(uid="X", title=title, code=code, bodies=(body,), kind=kind,
                  start_date=date(2025, 12, 8), end_date=date(2025, 12, 12), city="Nairobi")
    assert bool(found([event], OpportunityKind.CONVENING)) is convening


def test_blg_members_events_during_a_convening_are_listed_with_it() -> None:
    unea = meeting("UNEA-8", "2025-12-08", "2025-12-12", body="unep", city="Nairobi")
    side = meeting("CBD side", "2025-12-10", "2025-12-10", body="cbd", city="Nairobi",
                   kind=Kind.SIDE_EVENT)
    after = meeting("CMS later", "2025-12-13", "2025-12-13", body="cms", city="Nairobi")
    [item] = find_opportunities([unea, side, after], (), rules=ONLY[OpportunityKind.CONVENING],
                                today=TODAY)
    assert [e.uid for e in item.events] == ["UNEA-8", "CBD side"]


MANGROVE = Observance("Mangrove Day", "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=26", "unesco")


@pytest.mark.parametrize(("first", "last", "body", "expected"), [
    ("2025-07-23", "2025-07-31", "ramsar", "falls during"),
    ("2025-08-02", "2025-08-05", "ramsar", "falls 7 days before"),
    ("2025-08-03", "2025-08-05", "ramsar", None),
    ("2025-07-18", "2025-07-19", "ramsar", "falls 7 days after"),
    ("2025-07-23", "2025-07-31", "unesco", None),
])
def test_observance_near_a_meeting(first: str, last: str, body: str,
                                   expected: str | None) -> None:
    event = meeting("M", first, last, body=body, city="Victoria Falls")
    texts = [o.explanation for o in find_opportunities(
        [event], (MANGROVE,), rules=ONLY[OpportunityKind.OBSERVANCE], today=TODAY)
        if o.events]
    assert [expected in text for text in texts] == ([True] if expected else [])


@pytest.mark.parametrize(("second_rule", "lead", "same_week"), [
    ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=8", "un", True),
    ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=8", "unep", False),
    ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=9", "un", False),
])
def test_days_led_by_different_bodies_in_one_iso_week(second_rule: str, lead: str,
                                                      same_week: bool) -> None:
    days = (Observance("World Environment Day", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=5", "unep"),
            Observance("Second", second_rule, lead))
    weeks = [o for o in find_opportunities([], days, rules=ONLY[OpportunityKind.OBSERVANCE],
                                           today=date(2025, 1, 1))
             if o.start.year == 2025]
    assert bool(weeks) is same_week
    assert all("2025-W23" in o.explanation for o in weeks)


@pytest.mark.parametrize(("gap_first", "bodies", "expected"), [
    ("2025-03-20", ("cbd", "cms"), 1), ("2025-04-15", ("cbd", "cms"), 0),
    ("2025-03-20", ("cbd", "cbd"), 0),
])
def test_theme_shared_by_two_bodies_within_30_days(gap_first: str, bodies: tuple[str, str],
                                                   expected: int) -> None:
    events = [meeting("A", "2025-03-01", "2025-03-01", body=bodies[0], tags=("Oceans",)),
              meeting("B", gap_first, gap_first, body=bodies[1], city="Bonn", tags=("oceans",))]
    found_themes = find_opportunities(events, (), rules=ONLY[OpportunityKind.THEME], today=TODAY)
    assert len(found_themes) == expected
    assert all(o.city is None and "oceans" in o.explanation for o in found_themes)


def test_keys_are_stable_and_lead_days_count_from_today() -> None:
    events = [meeting("A", "2025-02-10", "2025-02-10", body="blg"),
              meeting("B", "2025-02-12", "2025-02-12", body="cbd")]
    early = find_opportunities(events, (), today=date(2025, 2, 1))
    late = find_opportunities(list(reversed(events)), (), today=date(2025, 3, 1))
    assert [o.key for o in early] == [o.key for o in late] == ["co_location:A+B"]
    assert (early[0].lead_days, late[0].lead_days) == (9, -19)
    assert set(early[0].actions) >= {"joint side event", "joint press release"}
