"""Clash rules, edge by edge, and the sweep against a naive pairwise loop."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.clashes import ClashKind, ClashRules, Severity, find_clashes
from blgcal.domain.geo import TravelRules
from blgcal.domain.types import Event, Kind, Status


def meeting(uid: str, first: str, last: str, *, body: str = "", kind: Kind = Kind.GOVERNING_BODY,
            city: str = "Geneva", country: str = "CH", **more: object) -> Event:
    return Event(uid=uid, title=uid, code=uid, bodies=(body or uid,), kind=kind,
                 start_date=date.fromisoformat(first), end_date=date.fromisoformat(last),
                 city=city, country=country, **more)  # type: ignore[arg-type]


def timed(uid: str, start: str, end: str, **more: object) -> Event:
    fields = {"bodies": (uid,), "kind": Kind.GOVERNING_BODY, "city": "Geneva", "country": "CH"}
    fields.update(more)
    return Event(uid=uid, title=uid, code=uid, start_dt=datetime.fromisoformat(start),
                 end_dt=datetime.fromisoformat(end), **fields)  # type: ignore[arg-type]


ONLY = {kind: ClashRules(kinds=frozenset({kind})) for kind in ClashKind}


def kinds_of(events: list[Event], kind: ClashKind) -> list[tuple[str, ...]]:
    return [tuple(e.uid for e in c.events) for c in find_clashes(events, rules=ONLY[kind])]


@pytest.mark.parametrize(("a", "b", "clash"), [
    (meeting("A", "2025-11-24", "2025-12-05"), meeting("B", "2025-11-24", "2025-11-29"), True),
    (meeting("A", "2025-11-01", "2025-11-05"), meeting("B", "2025-11-06", "2025-11-09"), False),
    (meeting("A", "2025-11-01", "2025-11-05"), meeting("B", "2025-11-05", "2025-11-09"), True),
    (meeting("A", "2025-11-01", "2025-11-05"), meeting("B", "2025-11-03", "2025-11-04", body="A"),
     False),
    (meeting("A", "2025-11-01", "2025-11-05"),
     meeting("B", "2025-11-03", "2025-11-04", kind=Kind.SUBSIDIARY_BODY), False),
    (meeting("A", "2025-11-01", "2025-11-05"),
     meeting("B", "2025-11-03", "2025-11-04", kind=Kind.SUBSIDIARY_BODY,
             audience=("National focal points",)), True),
    (meeting("A", "2025-11-01", "2025-11-05", status=Status.CANCELLED),
     meeting("B", "2025-11-03", "2025-11-04"), False),
    (meeting("A", "2025-11-01", "2025-11-05", id=1),
     meeting("B", "2025-11-03", "2025-11-04", parent_id=1), False),
    (Event(uid="A", title="A", bodies=("A",)), meeting("B", "2025-11-03", "2025-11-04"), False),
    (timed("A", "2025-11-03T09:00+00:00", "2025-11-03T12:00+00:00"),
     timed("B", "2025-11-03T12:00+00:00", "2025-11-03T15:00+00:00"), False),
    (timed("A", "2025-11-03T09:00+00:00", "2025-11-03T12:00+00:00"),
     timed("B", "2025-11-03T11:59+00:00", "2025-11-03T15:00+00:00"), True),
    (timed("A", "2025-11-03T09:00+00:00", "2025-11-03T12:00+00:00"),
     meeting("B", "2025-11-03", "2025-11-03"), True),
    # 23:30 UTC on the 2nd is already the 3rd in Tokyo: local days meet.
    (timed("A", "2025-11-02T23:30+00:00", "2025-11-03T01:00+00:00", timezone="Asia/Tokyo"),
     meeting("B", "2025-11-03", "2025-11-03"), True),
    (timed("A", "2025-11-02T20:00+00:00", "2025-11-02T22:00+00:00", timezone="UTC"),
     meeting("B", "2025-11-03", "2025-11-03"), False),
], ids=["intersecting", "back-to-back", "shared-last-day", "same-body", "no-shared-audience",
        "explicit-audience", "cancelled", "parent-and-child", "undated", "timed-end-equals-start",
        "timed-overlap", "timed-inside-all-day", "local-day-in-tokyo", "previous-local-day"])
def test_overlap_rule_table(a: Event, b: Event, clash: bool) -> None:
    assert bool(kinds_of([a, b], ClashKind.OVERLAP)) is clash


def test_back_to_back_meetings_do_not_clash() -> None:
    events = [meeting("A", "2025-03-01", "2025-03-04"), meeting("B", "2025-03-05", "2025-03-07")]
    assert find_clashes(events, rules=ONLY[ClashKind.OVERLAP]) == []


@pytest.mark.parametrize(("kinds", "severity"), [
    ((Kind.GOVERNING_BODY, Kind.GOVERNING_BODY), Severity.BLOCK),
    ((Kind.GOVERNING_BODY, Kind.BLG_MEETING), Severity.WARN),
    ((Kind.CONFERENCE, Kind.STANDING_COMMITTEE), Severity.WARN),
])
def test_overlap_severity_is_block_only_between_governing_bodies(
        kinds: tuple[Kind, Kind], severity: Severity) -> None:
    events = [meeting("A", "2025-01-01", "2025-01-03", kind=kinds[0]),
              meeting("B", "2025-01-02", "2025-01-02", kind=kinds[1])]
    [clash] = find_clashes(events, rules=ONLY[ClashKind.OVERLAP])
    assert clash.severity is severity


def test_explanation_names_events_places_dates_and_audience() -> None:
    events = [meeting("CITES CoP20", "2025-11-24", "2025-12-05", body="cites", city="Samarkand",
                      country="UZ"),
              meeting("ITPGRFA GB-11", "2025-11-24", "2025-11-29", body="itpgrfa", city="Lima",
                      country="PE")]
    [clash] = find_clashes(events, rules=ONLY[ClashKind.OVERLAP])
    assert clash.explanation == (
        "ITPGRFA GB-11 (Lima, 24\u201329 Nov 2025) overlaps CITES CoP20 (Samarkand, "
        "24 Nov\u20135 Dec 2025): both need heads of secretariat and national focal points.")


def test_key_is_stable_and_fingerprint_follows_material_changes() -> None:
    a, b = meeting("A", "2025-01-01", "2025-01-03"), meeting("B", "2025-01-02", "2025-01-02")
    [before] = find_clashes([a, b], rules=ONLY[ClashKind.OVERLAP])
    [reordered] = find_clashes([b, a], rules=ONLY[ClashKind.OVERLAP])
    [moved] = find_clashes([a, replace(b, city="Bonn", country="DE")],
                           rules=ONLY[ClashKind.OVERLAP])
    [described] = find_clashes([a, replace(b, description="new text")],
                               rules=ONLY[ClashKind.OVERLAP])
    assert before.key == reordered.key == moved.key == "overlap:A+B"
    assert before.fingerprint == reordered.fingerprint == described.fingerprint
    assert moved.fingerprint != before.fingerprint


@pytest.mark.parametrize(("a", "b", "need"), [
    # Geneva to Rome: 700 km, same zone: leaving the next morning is enough.
    (("Geneva", "CH", "2025-03-01"), ("Rome", "IT", "2025-03-02"), None),
    # Geneva to Nairobi: 6,000 km, 1-2 hours: two days.
    (("Geneva", "CH", "2025-03-01"), ("Nairobi", "KE", "2025-03-03"), 2),
    (("Geneva", "CH", "2025-03-01"), ("Nairobi", "KE", "2025-03-04"), None),
    # Rome to Bonn: 1,070 km: one day.
    (("Rome", "IT", "2025-03-01"), ("Bonn", "DE", "2025-03-02"), 1),
    # Belém to Samarkand: 12,000 km and 8 hours of clock: three days.
    (("Belém", "BR", "2025-11-21"), ("Samarkand", "UZ", "2025-11-24"), 3),
    (("Belém", "BR", "2025-11-21"), ("Samarkand", "UZ", "2025-11-25"), None),
    (("Geneva", "CH", "2025-03-01"), ("geneva", "CH", "2025-03-02"), None),
], ids=["short-hop", "long-haul", "long-haul-enough", "middle-band", "jet-lag", "jet-lag-enough",
        "same-city"])
def test_travel_gap_bands(a: tuple[str, str, str], b: tuple[str, str, str],
                          need: int | None) -> None:
    first = meeting("A", a[2], a[2], city=a[0], country=a[1])
    second = meeting("B", b[2], b[2], city=b[0], country=b[1])
    found = find_clashes([first, second], rules=ONLY[ClashKind.TRAVEL])
    assert [c.explanation.count(f"needs {need} day") for c in found] == ([1] if need else [])


def test_travel_bands_are_configurable() -> None:
    events = [meeting("A", "2025-03-01", "2025-03-01", city="Geneva", country="CH"),
              meeting("B", "2025-03-02", "2025-03-02", city="Rome", country="IT")]
    strict = ClashRules(kinds=frozenset({ClashKind.TRAVEL}), travel=TravelRules(bands=((500, 0),
                                                                                       (9000, 1))))
    assert len(find_clashes(events, rules=strict)) == 1


def test_travel_is_not_checked_without_a_shared_audience() -> None:
    events = [meeting("A", "2025-03-01", "2025-03-01", city="Geneva", country="CH"),
              meeting("B", "2025-03-02", "2025-03-02", city="Nairobi", country="KE",
                      kind=Kind.WORKING_GROUP)]
    assert find_clashes(events, rules=ONLY[ClashKind.TRAVEL]) == []


@pytest.mark.parametrize(("city", "country", "unknown"), [
    ("Atlantis", "XX", True), ("Gland", "CH", False), ("Washington, DC", "US", False),
    ("Belem", "BR", False), ("Ulaanbaatar", "MN", False), ("Paris", "", True),
])
def test_unknown_cities_are_reported_not_guessed(city: str, country: str, unknown: bool) -> None:
    event = meeting("A", "2025-03-01", "2025-03-01", city=city, country=country or None)
    found = find_clashes([event], rules=ONLY[ClashKind.UNKNOWN_CITY])
    assert [c.severity for c in found] == ([Severity.INFO] if unknown else [])


@pytest.mark.parametrize(("first", "last", "severity", "named"), [
    ("2025-12-08", "2025-12-12", Severity.INFO, "Jamhuri Day (12 Dec 2025)"),
    ("2025-12-12", "2025-12-13", Severity.WARN, "Jamhuri Day (12 Dec 2025)"),
    ("2025-12-01", "2025-12-05", None, ""),
    ("2025-12-24", "2025-12-27", Severity.INFO, "Christmas Day (25 Dec 2025) and Boxing Day"),
])
def test_holidays_in_the_venue_country(first: str, last: str, severity: Severity | None,
                                       named: str) -> None:
    event = meeting("UNEA", first, last, city="Nairobi", country="KE")
    found = find_clashes([event], rules=ONLY[ClashKind.HOLIDAY])
    assert [c.severity for c in found] == ([severity] if severity else [])
    assert all(named in c.explanation and "Kenya" in c.explanation for c in found)


def side(uid: str, start: str, end: str, *, body: str, room: str, parent: int = 1) -> Event:
    return Event(uid=uid, title=uid, bodies=(body,), kind=Kind.SIDE_EVENT, parent_id=parent,
                 venue=room, start_dt=datetime.fromisoformat(f"2025-11-25T{start}+00:00"),
                 end_dt=datetime.fromisoformat(f"2025-11-25T{end}+00:00"))


@pytest.mark.parametrize(("a", "b", "severity"), [
    (side("S1", "13:00", "14:00", body="cbd", room="R1"),
     side("S2", "13:30", "14:30", body="cbd", room="R2"), Severity.WARN),
    (side("S1", "13:00", "14:00", body="cbd", room="R1"),
     side("S2", "13:30", "14:30", body="cms", room="r1"), Severity.BLOCK),
    (side("S1", "13:00", "14:00", body="cbd", room="R1"),
     side("S2", "13:30", "14:30", body="cms", room="R2"), None),
    (side("S1", "13:00", "14:00", body="cbd", room="R1"),
     side("S2", "14:00", "15:00", body="cbd", room="R1"), None),
    (side("S1", "13:00", "14:00", body="cbd", room="R1"),
     side("S2", "13:30", "14:30", body="cbd", room="R1", parent=2), None),
], ids=["shared-body", "shared-room", "nothing-shared", "back-to-back", "other-parent"])
def test_side_events_in_one_parent(a: Event, b: Event, severity: Severity | None) -> None:
    found = find_clashes([a, b], rules=ONLY[ClashKind.SIDE_EVENT])
    assert [c.severity for c in found] == ([severity] if severity else [])


def test_crowded_events_list_the_cap_and_sum_up_the_rest() -> None:
    cop = meeting("COP", "2025-01-01", "2025-01-10")
    others = [meeting(f"M{n}", "2025-01-02", "2025-01-02") for n in range(6)]
    rules = ClashRules(kinds=frozenset({ClashKind.OVERLAP}), max_per_event=2)
    found = find_clashes([cop, *others], rules=rules)
    listed = [c for c in found if c.kind is ClashKind.OVERLAP and cop in c.events]
    [crowded] = [c for c in found if c.kind is ClashKind.CROWDED and c.events == (cop,)]
    assert len(listed) == 2
    assert "4 more overlap clash(es)" in crowded.explanation


def test_events_ended_before_today_are_left_out() -> None:
    events = [meeting("A", "2025-01-01", "2025-01-03"), meeting("B", "2025-01-02", "2025-01-02")]
    overlap = ONLY[ClashKind.OVERLAP]
    assert find_clashes(events, today=date(2025, 1, 3), rules=overlap) == []
    assert len(find_clashes(events, today=date(2025, 1, 2), rules=overlap)) == 1


# The naive reference: every pair, the overlap rule written out afresh.
def naive_overlaps(events: list[Event]) -> set[frozenset[str]]:
    found = set()
    for n, a in enumerate(events):
        for b in events[n + 1:]:
            if _naive_rule(a, b):
                found.add(frozenset({a.uid, b.uid}))
    return found


def _naive_rule(a: Event, b: Event) -> bool:
    days_a, days_b = a.local_days(), b.local_days()
    if days_a is None or days_b is None or Status.CANCELLED in (a.status, b.status):
        return False
    if days_a[1] < days_b[0] or days_b[1] < days_a[0] or set(a.bodies) & set(b.bodies):
        return False
    if Kind.SIDE_EVENT in (a.kind, b.kind):
        return False
    shared_audience = {Kind.GOVERNING_BODY, Kind.CONFERENCE, Kind.BLG_MEETING}
    if not ({a.kind, b.kind} <= shared_audience or a.kind is b.kind is Kind.SUBSIDIARY_BODY):
        return False
    if a.timed and b.timed:
        return a.start_dt < b.end_dt and b.start_dt < a.end_dt  # type: ignore[operator]
    return True


DAY0 = date(2025, 1, 1)
KINDS = (Kind.GOVERNING_BODY, Kind.CONFERENCE, Kind.BLG_MEETING, Kind.SUBSIDIARY_BODY,
         Kind.SIDE_EVENT)


@st.composite
def small_calendars(draw: st.DrawFn) -> list[Event]:
    count = draw(st.integers(0, 12))
    events = []
    for n in range(count):
        first = DAY0 + timedelta(days=draw(st.integers(0, 20)))
        kind, body = draw(st.sampled_from(KINDS)), draw(st.sampled_from("abcd"))
        status = draw(st.sampled_from([Status.CONFIRMED, Status.CANCELLED]))
        if draw(st.booleans()):
            start = datetime.combine(first, datetime.min.time(), UTC) + timedelta(
                hours=draw(st.integers(0, 47)))
            events.append(Event(uid=f"e{n}", title="t", bodies=(body,), kind=kind, status=status,
                                start_dt=start, end_dt=start + timedelta(
                                    hours=draw(st.integers(0, 30)))))
        else:
            last = first + timedelta(days=draw(st.integers(0, 6)))
            events.append(Event(uid=f"e{n}", title="t", bodies=(body,), kind=kind, status=status,
                                start_date=first, end_date=last))
    return events


@settings(max_examples=300, deadline=None)
@given(small_calendars())
def test_sweep_finds_exactly_the_pairs_of_a_naive_loop(events: list[Event]) -> None:
    rules = ClashRules(kinds=frozenset({ClashKind.OVERLAP}), max_per_event=10**6)
    found = {frozenset(e.uid for e in c.events) for c in find_clashes(events, rules=rules)}
    assert found == naive_overlaps(events)


def test_clashes_are_hashable_and_equal_when_found_again() -> None:
    events = [meeting("A", "2025-01-01", "2025-01-03"), meeting("B", "2025-01-02", "2025-01-02")]
    first, again = find_clashes(events), find_clashes(list(reversed(events)))
    assert first == again and set(first) == set(again)
    assert all(isinstance(clash.explanation, str) and clash.explanation for clash in first)
