"""The slot finder on the shipped calendar, as a chair would use it on 15 January 2026.

These hold on the seed as shipped and as updated from the secretariats' latest
dates: SBI-6 in Rome (16-19 February 2026) is in both.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from importlib.resources import files

import pytest

from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.seed_csv import parse_bodies
from blgcal.domain.slots import SlotSearch, find_slots, parse_slot_request
from blgcal.domain.types import Body, Event, Kind

DATA = files("blgcal") / "seed"
TODAY = date(2026, 1, 15)


@pytest.fixture(scope="module")
def bodies() -> dict[str, Body]:
    text = (DATA / "bodies.csv").read_text(encoding="utf-8")
    return {body.slug: body for body in parse_bodies(text, source="bodies.csv")}


@pytest.fixture(scope="module")
def events() -> list[Event]:
    text = (DATA / "meetings.csv").read_text(encoding="utf-8")
    items = parse_meetings_csv(text, source="meetings.csv").items
    return [replace(item.event, uid=item.external_uid, id=number)
            for number, item in enumerate(items, start=1)]


def search(events: list[Event], bodies: dict[str, Body], **params: str | list[str]) -> SlotSearch:
    members = [slug for slug, body in bodies.items() if body.blg_member]
    request = parse_slot_request({k: [v] if isinstance(v, str) else v for k, v in params.items()},
                                 known_bodies=bodies, members=members, today=TODAY)
    anchor = next((e for e in events if request.near is not None and e.id == request.near), None)
    return find_slots(events, request, bodies=bodies, anchor=anchor, today=TODAY)


FEBRUARY = {"from": "2026-02-01", "to": "2026-03-15", "body": "blg"}


def test_next_to_sbi6_the_top_candidate_is_the_friday_after_it_in_rome(
        events: list[Event], bodies: dict[str, Body]) -> None:
    sbi6 = next(e for e in events if e.code == "SBI-6")
    found = search(events, bodies, **FEBRUARY, days="1", near=str(sbi6.id))
    top = found.slots[0]
    # The tentative CBD workshop of 10-13 February needs technical experts, not the
    # heads: Friday 13 stays open but carries it as a soft conflict, so Friday 20 wins.
    assert (top.start_date, top.end_date, top.city) == (date(2026, 2, 20), date(2026, 2, 20),
                                                          "Rome")
    assert top.reasons[0] == ("The working day after CBD SBI-6 (Rome, 16\u201319 Feb 2026), "
                              "same venue: no extra journey.")
    assert "No required body is in session" in top.reasons[1]
    assert "Avoids public holidays in Italy" in top.reasons[2]
    second = found.slots[1]
    assert second.start_date == date(2026, 2, 13) and "workshop" in second.conflicts[0].lower()


def test_no_february_candidate_is_on_a_weekend_or_in_a_required_governing_body(
        events: list[Event], bodies: dict[str, Body]) -> None:
    sbi6 = next(e for e in events if e.code == "SBI-6")
    found = search(events, bodies, **FEBRUARY, days="1", near=str(sbi6.id), limit="50")
    members = {slug for slug, body in bodies.items() if body.blg_member}
    governing = [e.local_days() for e in events if e.kind is Kind.GOVERNING_BODY
                 and set(e.bodies) & members and e.local_days()]
    assert len(found.slots) > 20
    for slot in found.slots:
        assert slot.start_date is not None and slot.start_date.weekday() < 5
        assert not any(first <= slot.start_date <= last for first, last in governing)  # type: ignore[misc]
    ipbes = next(e for e in events if e.code == "IPBES-12")
    offered = {slot.start_date for slot in found.slots}
    assert date(2026, 2, 4) in offered, f"{ipbes.code} is not a BLG member's meeting"


def test_a_virtual_february_meeting_of_all_eight_members_starts_after_1400_utc(
        events: list[Event], bodies: dict[str, Body]) -> None:
    found = search(events, bodies, **FEBRUARY, minutes="90")
    assert len(found.slots) == 10
    for slot in found.slots:
        assert slot.start_dt is not None and slot.end_dt is not None
        assert time(14) <= slot.start_dt.time() and slot.end_dt.time() <= time(17)
        assert {local.body for local in slot.local_times} == {
            "cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc"}
        assert all(time(9) <= local.start.time() and local.end.time() <= time(18)
                   for local in slot.local_times)


def test_a_window_full_of_governing_bodies_has_no_candidate_and_names_them(
        events: list[Event], bodies: dict[str, Body]) -> None:
    found = search(events, bodies, body="blg", days="1", city="Rome", country="IT",
                   **{"from": "2026-10-20", "to": "2026-10-28"})
    assert found.slots == ()
    assert found.explanation.summary.startswith("No slot fits in 20\u201328 Oct 2026.")
    assert "CBD COP17" in found.explanation.summary
    assert found.explanation.removed[0].cause.value == "busy"


def test_a_monthly_virtual_series_rotates_who_starts_early_or_ends_late(
        events: list[Event], bodies: dict[str, Body]) -> None:
    # Montreal and Nairobi share one office hour in winter and two in summer: a
    # three-hour meeting puts someone outside theirs every time. Montreal's head
    # can only start early, Nairobi's only finish late; the series takes turns.
    found = search(events, bodies, body=["cbd", "unep"], minutes="180", repeat="6",
                   every="month", **{"from": "2026-01-15", "to": "2026-07-14"})
    assert len(found.slots) == 6
    early_or_late = []
    for slot in found.slots:
        local = {item.body: item for item in slot.local_times}
        [bearer] = [body for body, item in local.items() if item.out_minutes]
        if bearer == "cbd":
            assert local["cbd"].start.time() < time(9)
        else:
            assert local["unep"].end.time() > time(18)
        early_or_late.append(bearer)
    assert set(early_or_late) == {"cbd", "unep"}
    assert max(early_or_late.count(body) for body in ("cbd", "unep")) <= 4
    starts = [slot.start_dt.date() for slot in found.slots if slot.start_dt]
    assert all((b - a).days >= 20 for a, b in zip(starts, starts[1:])), starts
    totals = dict(found.out_of_hours)
    assert totals == {"cbd": sum(s.local_times[0].out_minutes for s in found.slots),
                      "unep": sum(s.local_times[1].out_minutes for s in found.slots)}
