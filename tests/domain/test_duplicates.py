"""The duplicate rule, as a table; its index, against comparing every pair."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.duplicates import Candidates, Verdict, code_key, compare, title_key
from blgcal.domain.types import Event


def event(title: str = "Seventh session of the UN Environment Assembly", *, code: str | None = "UNEA-7",
          city: str | None = "Nairobi", start: date = date(2025, 12, 8),
          end: date = date(2025, 12, 12)) -> Event:
    return Event(uid="x", title=title, bodies=("unep",), code=code, city=city,
                 start_date=start, end_date=end)


@pytest.mark.parametrize(("other", "same", "reason"), [
    (event(code="unea 7"), True, "same code, overlapping dates, same city"),
    (event("The seventh session of the UN environment assembly", code=None), True, "same title"),
    (event(code="UNEA7", city="Gigiri"), False, "city differs"),
    (event(code="UNEA7", city=None), False, "city differs or is unknown"),
    (event("Seventh session, UN Environment Assembly: high-level segment", code=None), False,
     "similar titles"),
])
def test_listings_of_one_meeting_are_judged(other: Event, same: bool, reason: str) -> None:
    verdict = compare(event(), other)
    assert verdict is not None and verdict.same is same and reason in verdict.reason


@pytest.mark.parametrize("other", [
    event(code="UNEA-7", start=date(2025, 12, 13), end=date(2025, 12, 14)),  # days apart
    event("Bureau meeting", code="OECPR-7"),  # different meeting, same place and days
    Event(uid="y", title="Seventh session of the UN Environment Assembly", bodies=("unep",),
          code="UNEA-7", city="Nairobi", expected="2025-12"),  # undated: no evidence
])
def test_different_meetings_are_not_matched(other: Event) -> None:
    assert compare(event(), other) is None


def test_codes_and_titles_normalise_case_accents_and_punctuation() -> None:
    assert code_key("CITES CoP-20") == code_key("cites cop20") == "citescop20"
    assert title_key("Réunion de la Conférence") == title_key("reunion conference")


def test_the_index_files_an_event_in_every_week_it_touches() -> None:
    long = event(code=None, city="Bonn", start=date(2025, 10, 1), end=date(2025, 12, 31))
    pool = Candidates([replace(long, id=7)])
    one_day = event(code=None, city="Bonn", start=date(2025, 11, 20), end=date(2025, 11, 20))
    found = pool.match(one_day, taken=set())
    assert found is not None and found[0].id == 7 and found[1].same
    assert pool.match(one_day, taken={7}) is None


def quadratic(pool: list[Event], item: Event, taken: set[int]) -> tuple[Event, Verdict] | None:
    """The definition: compare *item* with every event, a sure match first, then the lowest id."""
    verdicts = [(c, v) for c in pool if c.id is not None and c.id not in taken
                and (v := compare(item, c)) is not None]
    verdicts.sort(key=lambda pair: (not pair[1].same, pair[0].id))
    return verdicts[0] if verdicts else None


WORDS = st.sampled_from(["Expert", "meeting", "biodiversity", "the", "COP", "16", "Réunion", "of",
                         "session", "Bureau"])
DAY = date(2025, 12, 20)


@st.composite
def listings(draw: st.DrawFn) -> Event:
    """A listing like a harvest's: few words, codes and cities, all-day, timed or undated."""
    title = " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))
    code = draw(st.sampled_from([None, "COP-16", "cop16", "SBSTTA 27", "!"]))
    city = draw(st.sampled_from([None, "Geneva", "genève", "Bonn", "Cali", "the"]))
    first = DAY + timedelta(days=draw(st.integers(-20, 20)))
    span = timedelta(days=draw(st.integers(0, 15)))
    when = draw(st.sampled_from(["all-day", "timed", "undated"]))
    if when == "all-day":
        dates: dict[str, object] = {"start_date": first, "end_date": first + span}
    elif when == "timed":
        start_dt = datetime.combine(first, datetime.min.time(), UTC) + timedelta(
            hours=draw(st.integers(0, 23)))
        dates = {"start_dt": start_dt, "end_dt": start_dt + span + timedelta(
            hours=draw(st.integers(0, 30))),
            "timezone": draw(st.sampled_from([None, "Pacific/Kiritimati", "America/Bogota"]))}
    else:
        dates = {"expected": "2025-12"}
    return Event(uid="u", title=title, bodies=("cbd",), code=code, city=city, **dates)


@settings(max_examples=300, deadline=None)
@given(st.lists(listings(), max_size=25), st.lists(listings(), min_size=1, max_size=10))
def test_the_index_finds_exactly_the_pairs_that_comparing_every_pair_finds(
        existing: list[Event], fresh: list[Event]) -> None:
    pool = [replace(e, id=n) for n, e in enumerate(existing, start=1)]
    indexed, taken, simple_taken = Candidates(pool), set[int](), set[int]()
    for item in fresh:  # as a harvest does: a sure match takes its event
        found, expected = indexed.match(item, taken=taken), quadratic(pool, item, simple_taken)
        assert found == expected
        if found is not None and found[1].same and found[0].id is not None:
            taken.add(found[0].id)
            simple_taken.add(found[0].id)
