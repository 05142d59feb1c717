"""The slot finder's rules, one table per constraint, on small hand-made calendars."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.filters import FilterError
from blgcal.domain.slots import (
    Cause,
    SlotRules,
    SlotSearch,
    find_slots,
    parse_slot_request,
)
from blgcal.domain.slots.workdays import is_working_day
from blgcal.domain.types import Body, Event, Kind, Status

UTC = UTC
BODIES = {body.slug: body for body in (
    Body("cbd", "CBD", "CBD", True, "Montreal", "CA", "America/Toronto"),
    Body("cites", "CITES", "CITES", True, "Geneva", "CH", "Europe/Zurich"),
    Body("ippc", "IPPC", "IPPC", True, "Rome", "IT", "Europe/Rome"),
    Body("iwc", "IWC", "IWC", True, "Cambridge", "GB", "Europe/London"),
    Body("unep", "UNEP", "UNEP", False, "Nairobi", "KE", "Africa/Nairobi"),
    Body("gulf", "GULF", "A body in Riyadh", False, "Riyadh", "SA", "Asia/Riyadh"),
    Body("blg", "BLG", "BLG", False),
)}
MEMBERS = [slug for slug, body in BODIES.items() if body.blg_member]


def meeting(code: str, body: str, first: date, last: date | None = None, *,
            kind: Kind = Kind.GOVERNING_BODY, status: Status = Status.CONFIRMED,
            city: str = "Geneva", country: str = "CH", **extra: Any) -> Event:
    return Event(uid=f"{body}:{code}", title=code, code=code, bodies=(body,), kind=kind,
                 status=status, start_date=first, end_date=last or first, city=city,
                 country=country, **extra)


def ask(events: list[Event], *, today: date | None = None, anchor: Event | None = None,
        rules: SlotRules = SlotRules(), **params: str | list[str]) -> SlotSearch:
    request = parse_slot_request({k: [v] if isinstance(v, str) else v for k, v in params.items()},
                                 known_bodies=BODIES, members=MEMBERS,
                                 today=today or date(2026, 1, 1))
    return find_slots(events, request, bodies=BODIES, anchor=anchor, today=today, rules=rules)


def days_of(found: SlotSearch) -> list[date]:
    return sorted(slot.start_date for slot in found.slots if slot.start_date)


def verdict(found: SlotSearch, day: date) -> tuple[Cause, ...]:
    return next(d.causes for d in found.days if d.day == day)


IN_ROME = {"city": "Rome", "country": "IT", "days": "1", "limit": "50"}


# -- weekends and holidays of the host country ------------------------------------------------

@pytest.mark.parametrize(("city", "country"), [("Rome", "IT"), ("Riyadh", "SA"),
                                               ("Tehran", "IR")])
def test_the_host_countrys_weekend_is_not_offered(city: str, country: str) -> None:
    found = ask([], **{**IN_ROME, "city": city, "country": country, "body": "cbd",
                       "from": "2026-03-02", "to": "2026-03-13"})
    weekend_days = [d.day for d in found.days if Cause.WEEKEND in d.causes]
    assert weekend_days and not set(weekend_days) & set(days_of(found))
    assert all(is_working_day(country, day) for day in days_of(found))


def test_saudi_arabia_works_on_sunday_and_rests_on_friday_and_saturday() -> None:
    found = ask([], **{**IN_ROME, "city": "Riyadh", "country": "SA", "body": "cbd",
                       "from": "2026-03-02", "to": "2026-03-08"})
    assert date(2026, 3, 8) in days_of(found)  # a Sunday
    assert verdict(found, date(2026, 3, 6)) == (Cause.WEEKEND,)  # Friday
    assert verdict(found, date(2026, 3, 7)) == (Cause.WEEKEND,)  # Saturday


def test_public_holidays_of_the_host_country_are_avoided_and_named() -> None:
    found = ask([], **{**IN_ROME, "body": "cbd", "from": "2026-06-01", "to": "2026-06-03"})
    assert days_of(found) == [date(2026, 6, 1), date(2026, 6, 3)]
    [day] = [d for d in found.days if d.day == date(2026, 6, 2)]
    assert day.causes == (Cause.HOLIDAY,) and "public holiday in Italy" in day.notes[0]
    assert "Avoids public holidays in Italy" in " ".join(found.slots[0].reasons)


# -- required bodies' meetings --------------------------------------------------------------

MONDAY = date(2026, 3, 9)


@pytest.mark.parametrize(("event", "busy_days"), [
    (meeting("COP", "cbd", MONDAY + timedelta(1), MONDAY + timedelta(2)),
     {MONDAY + timedelta(n) for n in range(4)} | {MONDAY - timedelta(1), MONDAY + timedelta(4)}),
    (meeting("SC", "cbd", MONDAY + timedelta(1), kind=Kind.STANDING_COMMITTEE),
     {MONDAY + timedelta(1)}),
    (meeting("COP", "cbd", MONDAY + timedelta(1), status=Status.TENTATIVE,
             kind=Kind.STANDING_COMMITTEE), {MONDAY + timedelta(1)}),
    (meeting("COP", "cbd", MONDAY + timedelta(1), status=Status.CANCELLED), set()),
    (meeting("COP", "cbd", MONDAY + timedelta(1), status=Status.POSTPONED), set()),
    (meeting("SBI", "cbd", MONDAY + timedelta(1), kind=Kind.SUBSIDIARY_BODY), set()),
    (meeting("WG", "cbd", MONDAY + timedelta(1), kind=Kind.WORKING_GROUP), set()),
    (meeting("COP", "unep", MONDAY + timedelta(1)), set()),  # not a required body
    (meeting("BLG", "blg", MONDAY + timedelta(1), kind=Kind.BLG_MEETING), {MONDAY + timedelta(1)}),
])
def test_days_a_required_head_is_needed_elsewhere_are_not_offered(
        event: Event, busy_days: set[date]) -> None:
    found = ask([event], **{**IN_ROME, "body": "cbd", "from": "2026-03-09", "to": "2026-03-13"})
    weekdays = {MONDAY + timedelta(n) for n in range(5)}
    assert set(days_of(found)) == weekdays - busy_days


def test_a_governing_body_keeps_two_buffer_days_each_side_unless_told_otherwise() -> None:
    cop = meeting("COP", "cbd", date(2026, 3, 11))
    found = ask([cop], **{**IN_ROME, "body": "cbd", "from": "2026-03-09", "to": "2026-03-13"})
    assert days_of(found) == []
    assert verdict(found, date(2026, 3, 9)) == (Cause.BUFFER,)
    assert verdict(found, date(2026, 3, 11)) == (Cause.BUSY,)
    unbuffered = ask([cop], **{**IN_ROME, "body": "cbd", "from": "2026-03-09",
                               "to": "2026-03-13", "buffer": "0"})
    assert days_of(unbuffered) == [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 12),
                                   date(2026, 3, 13)]


def test_tentative_meetings_can_be_counted_as_soft_conflicts_instead() -> None:
    tentative = meeting("SC", "cbd", MONDAY, kind=Kind.STANDING_COMMITTEE, status=Status.TENTATIVE)
    found = ask([tentative], rules=SlotRules(tentative_busy=False),
                **{**IN_ROME, "body": "cbd", "from": "2026-03-09", "to": "2026-03-09"})
    [slot] = found.slots
    assert "does not need the head" in slot.conflicts[0] and slot.score == 90


def test_a_required_bodys_staff_meeting_is_a_soft_conflict_that_lowers_the_score() -> None:
    workshop = meeting("WG", "cbd", MONDAY, kind=Kind.WORKING_GROUP)
    found = ask([workshop], **{**IN_ROME, "body": "cbd", "from": "2026-03-09", "to": "2026-03-10"})
    first, second = sorted(found.slots, key=lambda slot: slot.key)
    assert first.conflicts and "CBD staff are at CBD WG" in first.conflicts[0]
    assert second.score - first.score == 10 and found.slots[0] == second


def test_a_tentative_meeting_two_days_away_is_a_soft_conflict() -> None:
    nearby = meeting("SBI", "cbd", MONDAY + timedelta(2), kind=Kind.SUBSIDIARY_BODY,
                     status=Status.TENTATIVE)
    found = ask([nearby], **{**IN_ROME, "body": "cbd", "from": "2026-03-09", "to": "2026-03-09"})
    assert "is tentative and 2 days away" in found.slots[0].conflicts[0]


def test_optional_bodies_raise_the_score_when_free_and_are_named_when_busy() -> None:
    cites = meeting("SC", "cites", MONDAY, kind=Kind.STANDING_COMMITTEE)
    found = ask([cites], **{**IN_ROME, "body": "cbd", "optional": "cites", "from": "2026-03-09",
                            "to": "2026-03-10"})
    best, other = found.slots
    assert best.start_date == MONDAY + timedelta(1) and "CITES (optional) is free too." in best.reasons
    assert other.conflicts == ("CITES (optional) is at CITES SC (Geneva, 9 Mar 2026).",)
    assert best.score - other.score == 15


def test_a_multi_day_meeting_runs_on_consecutive_working_days() -> None:
    found = ask([], **{**IN_ROME, "days": "2", "body": "cbd", "from": "2026-03-12",
                       "to": "2026-03-17"})
    assert [(s.start_date, s.end_date) for s in sorted(found.slots, key=lambda s: s.key)] == [
        (date(2026, 3, 12), date(2026, 3, 13)), (date(2026, 3, 16), date(2026, 3, 17))]


# -- travel ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("city", "country", "gap", "offered"), [
    ("Geneva", "CH", 0, True),       # 700 km from Rome: no day needed
    ("Nairobi", "KE", 0, False),     # 5,400 km: two days
    ("Nairobi", "KE", 1, False),
    ("Nairobi", "KE", 2, True),
    ("Rome", "IT", 0, True),         # the same city
    ("Busan", "KR", 2, False),       # far, and clocks 8 hours apart: three days
])
def test_heads_need_the_journey_days_the_travel_clash_requires(
        city: str, country: str, gap: int, offered: bool) -> None:
    target = date(2026, 3, 12)
    before = meeting("SC", "cbd", target - timedelta(gap + 3), target - timedelta(gap + 1),
                     kind=Kind.STANDING_COMMITTEE, city=city, country=country)
    found = ask([before], buffer="0", **{**IN_ROME, "body": "cbd", "from": "2026-03-12",
                                         "to": "2026-03-12"})
    assert bool(found.slots) is offered
    if not offered:
        assert verdict(found, target) == (Cause.TRAVEL,)
        assert "the journey needs" in found.days[0].notes[0]


def test_the_journey_on_to_the_next_meeting_counts_too() -> None:
    after = meeting("SC", "cbd", date(2026, 3, 13), kind=Kind.STANDING_COMMITTEE,
                    city="Nairobi", country="KE")
    found = ask([after], **{**IN_ROME, "body": "cbd", "from": "2026-03-12", "to": "2026-03-12"})
    assert found.slots == () and verdict(found, date(2026, 3, 12)) == (Cause.TRAVEL,)


# -- near an event --------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "last", "before", "after"), [
    (date(2026, 2, 16), date(2026, 2, 19), date(2026, 2, 13), date(2026, 2, 20)),  # Mon-Thu
    (date(2026, 2, 17), date(2026, 2, 20), date(2026, 2, 16), date(2026, 2, 23)),  # Tue-Fri
])
def test_the_working_days_next_to_the_anchor_rank_first(first: date, last: date, before: date,
                                                       after: date) -> None:
    anchor = replace(meeting("SBI", "cbd", first, last, kind=Kind.SUBSIDIARY_BODY, city="Rome",
                             country="IT", venue="FAO Headquarters"), id=7)
    found = ask([anchor], anchor=anchor, body="cbd", near="7", days="1", limit="2",
                **{"from": "2026-02-02", "to": "2026-03-06"})
    assert {slot.start_date for slot in found.slots} == {before, after}
    assert "same venue: no extra journey" in found.slots[0].reasons[0]
    assert found.slots[0].venue == "FAO Headquarters" and found.slots[0].city == "Rome"


@pytest.mark.parametrize(("anchor", "field"), [
    (None, "near"),
    (replace(meeting("X", "cbd", MONDAY, status=Status.CANCELLED), id=7), "near"),
    (replace(meeting("X", "cbd", MONDAY), id=7, online=True), "near"),
    (replace(meeting("X", "cbd", MONDAY, city="Atlantis", country="GR"), id=7), "city"),
])
def test_an_anchor_that_cannot_host_is_refused_naming_the_parameter(anchor: Event | None,
                                                                    field: str) -> None:
    with pytest.raises(FilterError) as caught:
        ask([], anchor=anchor, body="cbd", near="7", days="1")
    assert caught.value.param == field


# -- virtual --------------------------------------------------------------------------------

def test_virtual_slots_lie_inside_everyones_office_hours_in_their_own_zone() -> None:
    found = ask([], body=["cbd", "ippc", "iwc"], minutes="90",
                **{"from": "2026-02-02", "to": "2026-02-06"})
    assert len(found.slots) == 5
    for slot in found.slots:
        assert slot.start_dt and slot.end_dt
        assert time(14) <= slot.start_dt.time() and slot.end_dt.time() <= time(17)
        local = {lt.body: lt for lt in slot.local_times}
        assert local["cbd"].start.time() >= time(9) and local["ippc"].end.time() <= time(18)
        assert str(local["cbd"].start.tzinfo) == "America/Toronto"


def test_daylight_saving_in_montreal_moves_the_common_hours_an_hour_earlier() -> None:
    february = ask([], body=["cbd", "ippc"], minutes="240", **{"from": "2026-03-06",
                                                               "to": "2026-03-06"})
    march = ask([], body=["cbd", "ippc"], minutes="240", **{"from": "2026-03-10",
                                                            "to": "2026-03-10"})
    assert february.slots == () and verdict(february, date(2026, 3, 6)) == (Cause.HOURS,)
    [slot] = march.slots  # Montreal on EDT, Rome not yet on summer time: 13:00-17:00 UTC
    assert slot.start_dt == datetime(2026, 3, 10, 13, tzinfo=UTC)


def test_a_virtual_day_is_off_when_any_secretariat_rests_or_is_in_session() -> None:
    cop = meeting("SC", "ippc", date(2026, 3, 10), kind=Kind.STANDING_COMMITTEE)
    found = ask([cop], body=["cbd", "ippc", "gulf"], minutes="60", hours="07:00-20:00",
                **{"from": "2026-03-08", "to": "2026-03-13"})
    offered = {slot.start_dt.date() for slot in found.slots if slot.start_dt}
    # Sunday 8 is a weekend day in Canada and Italy, Friday 13 in Saudi Arabia.
    assert offered == {date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 12)}
    assert verdict(found, date(2026, 3, 10)) == (Cause.BUSY,)
    assert verdict(found, date(2026, 3, 13)) == (Cause.WEEKEND,)


def test_with_no_common_hours_the_nearest_misses_say_who_and_by_how_much() -> None:
    found = ask([], body=["cbd", "unep"], minutes="120", **{"from": "2026-02-02",
                                                            "to": "2026-02-03"})
    assert found.slots == ()
    assert "No common office hours" in found.explanation.summary
    miss = found.explanation.nearest[0]
    assert "UTC" in miss and "60 minutes outside office hours" in miss


def test_office_hours_are_settable() -> None:
    found = ask([], body=["cbd", "ippc"], minutes="60", hours="08:00-20:00",
                **{"from": "2026-02-02", "to": "2026-02-02"})
    [slot] = found.slots
    assert "Inside 08:00\u201320:00" in slot.reasons[0]


# -- series ---------------------------------------------------------------------------------

def test_a_series_shares_the_early_and_late_hours_out() -> None:
    found = ask([], body=["cbd", "unep"], minutes="180", repeat="4", every="month",
                **{"from": "2026-11-02", "to": "2027-02-28"})
    assert len(found.slots) == 4
    bearers = [next(lt.body for lt in slot.local_times if lt.out_minutes) for slot in found.slots]
    assert set(bearers) == {"cbd", "unep"}
    totals = dict(found.out_of_hours)
    assert abs(totals["cbd"] - totals["unep"]) <= 120
    assert "minutes outside office hours over the series" in found.explanation.summary


def test_a_weekly_series_keeps_one_meeting_a_week() -> None:
    found = ask([], body=["cbd", "ippc"], minutes="60", repeat="3", every="week",
                **{"from": "2026-02-02", "to": "2026-02-22"})
    starts = [slot.start_dt.date() for slot in found.slots if slot.start_dt]
    assert [(day - date(2026, 2, 2)).days // 7 for day in starts] == [0, 1, 2]


# -- explanation ----------------------------------------------------------------------------

def test_a_window_full_of_governing_bodies_says_which_ones() -> None:
    events = [meeting("COP20", "cites", date(2026, 3, 2), date(2026, 3, 13)),
              meeting("GB-11", "ippc", date(2026, 3, 4), date(2026, 3, 6))]
    found = ask(events, **{**IN_ROME, "body": "blg", "from": "2026-03-02", "to": "2026-03-13"})
    assert found.slots == ()
    summary = found.explanation.summary
    assert summary.startswith("No slot fits") and "COP20" in summary
    assert found.explanation.removed[0].cause is Cause.BUSY
    assert "GB-11" in found.explanation.removed[0].detail


# -- parameters -----------------------------------------------------------------------------

ROME = {"body": "cbd", "city": "Rome", "country": "IT"}
ONLINE = {"body": "cbd", "minutes": "60"}


@pytest.mark.parametrize(("params", "field"), [
    ({**ROME, "body": "nobody"}, "body"),
    ({"city": "Rome", "country": "IT"}, "body"),
    ({**ROME, "from": "2026-03-01", "to": "2026-02-01"}, "from"),
    ({**ROME, "from": "2026-01-01", "to": "2027-01-02"}, "to"),
    ({**ROME, "days": "1", "minutes": "60"}, "minutes"),
    ({**ROME, "mode": "virtual", "days": "1"}, "days"),
    ({**ROME, "mode": "in_person", "minutes": "60"}, "minutes"),
    ({**ROME, "mode": "hybrid"}, "mode"),
    ({"body": "cbd", "city": "Rome"}, "country"),
    ({"body": "cbd"}, "city"),
    ({**ONLINE, "city": "Rome", "country": "IT"}, "city"),
    ({**ROME, "repeat": "3"}, "repeat"),
    ({**ONLINE, "repeat": "13"}, "repeat"),
    ({**ONLINE, "repeat": "6", "from": "2026-01-01", "to": "2026-03-01"}, "repeat"),
    ({**ONLINE, "hours": "18:00-09:00"}, "hours"),
    ({**ONLINE, "minutes": "5"}, "minutes"),
    ({"body": "cbd", "near": "SBI-6"}, "near"),
    ({**ROME, "from": "yesterday"}, "from"),
    ({**ROME, "days": "²"}, "days"),
    ({**ONLINE, "minutes": "①"}, "minutes"),
    ({**ROME, "limit": "99999999999999999999"}, "limit"),
    ({"body": "cbd", "near": "٣"}, "near"),
    ({"body": "cbd", "near": "2147483648"}, "near"),
])
def test_bad_parameters_are_refused_by_name(params: dict[str, str], field: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_slot_request({name: [value] for name, value in params.items()},
                           known_bodies=BODIES, members=MEMBERS, today=date(2026, 1, 1))
    assert caught.value.param == field


def test_body_blg_stands_for_every_member() -> None:
    request = parse_slot_request({"body": ["blg"], "minutes": ["60"]}, known_bodies=BODIES,
                                 members=MEMBERS, today=date(2026, 1, 1))
    assert set(request.required) == set(MEMBERS) and request.virtual
    assert request == replace(request, first=date(2026, 1, 1), last=date(2026, 3, 31))


# -- a property over random calendars -------------------------------------------------------

KINDS = [Kind.GOVERNING_BODY, Kind.SUBSIDIARY_BODY, Kind.STANDING_COMMITTEE, Kind.BLG_MEETING]
random_meeting = st.builds(
    lambda n, body, start, length, kind, city: meeting(
        f"M{n}", body, date(2026, 3, 1) + timedelta(start),
        date(2026, 3, 1) + timedelta(start + length), kind=kind, city=city[0], country=city[1]),
    st.integers(0, 10**6), st.sampled_from(["cbd", "cites", "ippc", "unep", "blg"]),
    st.integers(-5, 40), st.integers(0, 6), st.sampled_from(KINDS),
    st.sampled_from([("Rome", "IT"), ("Nairobi", "KE"), ("Geneva", "CH"), ("Busan", "KR")]))


@settings(max_examples=40, deadline=None)
@given(st.lists(random_meeting, max_size=12, unique_by=lambda e: e.uid))
def test_no_slot_falls_on_a_weekend_holiday_or_a_required_heads_meeting(events: list[Event]
                                                                       ) -> None:
    found = ask(events, **{**IN_ROME, "body": ["cbd", "ippc"], "from": "2026-03-01",
                           "to": "2026-03-31"})
    taken = {e.start_date + timedelta(n) for e in events  # type: ignore[operator]
             if set(e.bodies) & {"cbd", "ippc", "blg"} and e.kind is not Kind.SUBSIDIARY_BODY
             for n in range((e.end_date - e.start_date).days + 1)}  # type: ignore[operator]
    for slot in found.slots:
        assert slot.start_date is not None
        assert is_working_day("IT", slot.start_date) and slot.start_date not in taken
    scores = [slot.score for slot in found.slots]
    assert scores == sorted(scores, reverse=True)
