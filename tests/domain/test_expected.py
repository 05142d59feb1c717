from datetime import date

import pytest

from blgcal.domain.expected import is_ahead, window_bounds


@pytest.mark.parametrize(("window", "bounds"), [
    ("2028", (date(2028, 1, 1), date(2028, 12, 31))),
    ("2027-11", (date(2027, 11, 1), date(2027, 11, 30))),
    ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2026-03/2026-04", (date(2026, 3, 1), date(2026, 4, 30))),
    ("2025-03 (in session 2025-03-26)", (date(2025, 3, 1), date(2025, 3, 31))),
])
def test_windows_cover_whole_months_and_years(window: str, bounds: tuple[date, date]) -> None:
    assert window_bounds(window) == bounds


@pytest.mark.parametrize("window", ["2027-13", "27-11", "2026-04/2026-03", "a/b/c", "soon"])
def test_malformed_windows_are_refused(window: str) -> None:
    with pytest.raises(ValueError):
        window_bounds(window)


@pytest.mark.parametrize(("window", "ahead"), [
    ("2027-11", True), ("2026-11", True), ("2026-10", False), ("2026", True), ("2025", False),
    (None, True),
])
def test_a_window_lies_ahead_until_its_last_day_has_passed(window: str | None,
                                                           ahead: bool) -> None:
    assert is_ahead(window, date(2026, 11, 27)) is ahead
