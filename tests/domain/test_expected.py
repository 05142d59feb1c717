from datetime import date

import pytest

from blgcal.domain.expected import (
    Expectation,
    describe_expected,
    expectation,
    window_bounds,
)
from blgcal.domain.types import Status


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


DECEMBER = date(2026, 12, 1)


@pytest.mark.parametrize(("window", "status", "today", "state"), [
    # A year's window: ahead until its last month, then overdue; a confirmed one is held after.
    ("2026", Status.TENTATIVE, date(2026, 11, 30), Expectation.AHEAD),
    ("2026", Status.TENTATIVE, DECEMBER, Expectation.OVERDUE),
    ("2026", Status.CONFIRMED, DECEMBER, Expectation.OVERDUE),
    ("2026", Status.TENTATIVE, date(2027, 3, 1), Expectation.OVERDUE),
    ("2026", Status.CONFIRMED, date(2027, 1, 1), Expectation.HELD),
    # A month's window is in its last month from its first day.
    ("2027-11", Status.CONFIRMED, date(2027, 10, 31), Expectation.AHEAD),
    ("2027-11", Status.CONFIRMED, date(2027, 11, 1), Expectation.OVERDUE),
    ("2027-11", Status.CONFIRMED, date(2027, 12, 1), Expectation.HELD),
    ("2026-03/2026-04", Status.TENTATIVE, date(2026, 3, 15), Expectation.AHEAD),
    ("2026-03/2026-04", Status.TENTATIVE, date(2026, 4, 1), Expectation.OVERDUE),
    ("2025-03 (in session 2025-03-26)", Status.CONFIRMED, DECEMBER, Expectation.HELD),
    ("2026-02", Status.POSTPONED, DECEMBER, Expectation.OVERDUE),
    # Nothing to judge by: ahead.
    (None, Status.TENTATIVE, DECEMBER, Expectation.AHEAD),
    ("soon", Status.CONFIRMED, DECEMBER, Expectation.AHEAD),
])
def test_an_expected_window_is_ahead_overdue_or_held(window: str | None, status: Status,
                                                      today: date, state: Expectation) -> None:
    assert expectation(window, status, today) is state


@pytest.mark.parametrize(("window", "state", "text"), [
    ("2026", Expectation.OVERDUE, "expected 2026, no date published yet"),
    ("2026", Expectation.AHEAD, "expected 2026"),
    ("2027-11", Expectation.AHEAD, "expected November 2027"),
    ("2026-03/2026-04", Expectation.OVERDUE,
     "expected March 2026 \u2013 April 2026, no date published yet"),
    ("2025-03 (in session 2025-03-26)", Expectation.HELD, "expected March 2025"),
    (None, Expectation.AHEAD, "dates to be announced"),
])
def test_an_overdue_window_says_no_date_is_published(window: str | None, state: Expectation,
                                                      text: str) -> None:
    assert describe_expected(window, state) == text
