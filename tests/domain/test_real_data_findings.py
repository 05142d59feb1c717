"""What the rules find in the shipped meetings of 2025-2026."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from importlib.resources import files

import pytest

from blgcal.domain.clashes import ClashKind, Severity, find_clashes
from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.opportunities import OpportunityKind, find_opportunities
from blgcal.domain.types import Event, Observance

DATA = files("blgcal") / "seed"
TODAY = date(2025, 9, 10)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    text = (DATA / "meetings.csv").read_text(encoding="utf-8")
    items = parse_meetings_csv(text, source="meetings.csv").items
    return [replace(item.event, uid=item.external_uid) for item in items]


@pytest.fixture(scope="module")
def observances() -> list[Observance]:
    with (DATA / "observances.csv").open(encoding="utf-8") as handle:
        return [Observance(name=row["name"], rrule=row["rrule"], lead_body=row["lead_body"])
                for row in csv.DictReader(handle)]


def pairs(events: list[Event], kind: ClashKind) -> dict[frozenset[str], Severity]:
    return {frozenset(e.uid for e in c.events): c.severity
            for c in find_clashes(events) if c.kind is kind}


@pytest.mark.parametrize(("a", "b"), [
    ("cites:CITES CoP20", "itpgrfa:ITPGRFA GB-11"),
    ("whc:WHC 20EXT", "cites:CITES CoP20"),
    ("whc:WHC 20EXT", "itpgrfa:ITPGRFA GB-11"),
    ("unesco:UNESCO GC43", "unfccc:COP30"),
])
def test_governing_bodies_meeting_at_once_block(events: list[Event], a: str, b: str) -> None:
    assert pairs(events, ClashKind.OVERLAP)[frozenset({a, b})] is Severity.BLOCK


def test_cop20_and_gb11_overlap_from_24_november(events: list[Event]) -> None:
    [clash] = [c for c in find_clashes(events) if c.key == "overlap:cites:CITES CoP20+"
               "itpgrfa:ITPGRFA GB-11"]
    assert "Samarkand, 24 Nov\u20135 Dec 2025" in clash.explanation
    assert "Lima, 24\u201329 Nov 2025" in clash.explanation


def test_parallel_sessions_of_one_body_do_not_clash(events: list[Event]) -> None:
    assert frozenset({"ramsar:Ramsar SC65", "ramsar:Ramsar COP15"}) not in pairs(
        events, ClashKind.OVERLAP)


def test_belem_to_samarkand_leaves_too_little_time(events: list[Event]) -> None:
    assert frozenset({"unfccc:COP30", "cites:CITES CoP20"}) in pairs(events, ClashKind.TRAVEL)


def test_unea7_ends_on_jamhuri_day(events: list[Event]) -> None:
    [clash] = [c for c in find_clashes(events) if c.kind is ClashKind.HOLIDAY
               and c.events[0].uid == "unep:UNEA-7"]
    assert "Jamhuri Day (12 Dec 2025)" in clash.explanation


def test_every_shipped_city_is_located(events: list[Event]) -> None:
    assert [c.explanation for c in find_clashes(events) if c.kind is ClashKind.UNKNOWN_CITY] == []


def opportunity_events(found: list, kind: OpportunityKind) -> list[set[str]]:  # type: ignore[type-arg]
    return [{e.uid for e in item.events} for item in found if item.kind is kind]


def test_blg_and_resumed_cop16_in_rome_are_a_co_location(
        events: list[Event], observances: list[Observance]) -> None:
    found = find_opportunities(events, observances, today=TODAY)
    [rome] = [o for o in found if o.kind is OpportunityKind.CO_LOCATION and o.city == "Rome"]
    assert {e.uid for e in rome.events} == {"blg:BLG 2025-02", "cbd:CBD COP16 (resumed)"}
    assert (rome.start, rome.end, rome.bodies) == (date(2025, 2, 21), date(2025, 2, 27),
                                                   ("blg", "cbd"))
    assert rome.lead_days == (date(2025, 2, 21) - TODAY).days


def test_mangrove_day_falls_during_ramsar_cop15(
        events: list[Event], observances: list[Observance]) -> None:
    found = find_opportunities(events, observances, today=TODAY)
    [day] = [o for o in found if o.kind is OpportunityKind.OBSERVANCE
             and {e.uid for e in o.events} == {"ramsar:Ramsar COP15"}]
    assert (day.start, day.city, day.bodies) == (date(2025, 7, 26), "Victoria Falls",
                                                 ("ramsar", "unesco"))
    assert "falls during Ramsar COP15 (Victoria Falls" in day.explanation


def test_unea7_in_nairobi_is_a_convening(
        events: list[Event], observances: list[Observance]) -> None:
    found = find_opportunities(events, observances, today=TODAY)
    [unea] = [o for o in found if o.kind is OpportunityKind.CONVENING and o.city == "Nairobi"]
    assert unea.events[0].uid == "unep:UNEA-7"
    assert "cbd" in unea.bodies and unea.lead_days == 89


def test_convenings_are_the_major_ones_only(
        events: list[Event], observances: list[Observance]) -> None:
    found = find_opportunities(events, observances, today=TODAY)
    assert sorted(o.events[0].uid for o in found if o.kind is OpportunityKind.CONVENING) == [
        "gef:GEF A8 / C.71", "ipbes:IPBES-12", "iucn:IUCN WCC 2025", "un:UNOC3",
        "unep:UNEA-7", "unfccc:COP30", "unfccc:COP31"]
