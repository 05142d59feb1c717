"""The duplicate rule, as a table."""

from __future__ import annotations

from datetime import date

import pytest

from blgcal.domain.duplicates import code_key, compare, title_key
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
