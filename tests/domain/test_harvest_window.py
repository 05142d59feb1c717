"""The harvest window: which days a source's items are kept for, and the tag its content key ends with."""

from __future__ import annotations

from datetime import date

import pytest

from blgcal.domain.harvest.window import HarvestWindow

WINDOW = HarvestWindow(date(2026, 1, 1), date(2026, 12, 31))


def test_a_window_around_a_day_reaches_back_and_ahead_that_many_days() -> None:
    window = HarvestWindow.around(date(2026, 11, 27), back=180, ahead=1095)
    assert (window.first_date, window.last_date) == (date(2026, 5, 31), date(2029, 11, 26))
    assert window.end_date == date(2029, 11, 27)
    assert window.days == 180 + 1 + 1095


def test_the_tag_is_the_one_content_keys_were_stored_with() -> None:
    """First day and the day after the last: a source read before the type existed is not re-read."""
    window = HarvestWindow.around(date(2026, 11, 27), back=180, ahead=1095)
    assert window.tag == "/2026-05-31/2029-11-27"


@pytest.mark.parametrize(("days", "kept"), [
    ((date(2025, 12, 20), date(2026, 1, 1)), True),  # ends on the first day
    ((date(2026, 12, 31), date(2027, 1, 3)), True),  # starts on the last day
    ((date(2025, 1, 1), date(2027, 12, 31)), True),  # spans the whole window
    ((date(2025, 12, 20), date(2025, 12, 31)), False),  # ends the day before
    ((date(2027, 1, 1), date(2027, 1, 2)), False),  # starts the day after
    (None, True),  # undated items belong to every window
])
def test_items_overlapping_the_window_are_kept(days: tuple[date, date] | None, kept: bool) -> None:
    assert WINDOW.contains(days) is kept


def test_a_one_day_window_holds_that_day() -> None:
    day = HarvestWindow(date(2026, 3, 2), date(2026, 3, 2))
    assert (day.days, day.end_date) == (1, date(2026, 3, 3))
    assert day.contains((date(2026, 3, 2), date(2026, 3, 2)))


def test_a_window_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="the window ends on 2024-12-31 before it starts on 2025-01-01"):
        HarvestWindow(date(2025, 1, 1), date(2024, 12, 31))
