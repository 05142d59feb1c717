from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from blgcal.domain.types import Event, Status

UTC = UTC


def timed(start: datetime, end: datetime, zone: str | None) -> Event:
    return Event(uid="u", title="t", bodies=("cbd",), start_dt=start, end_dt=end, timezone=zone)


@pytest.mark.parametrize(("start", "end", "zone", "days"), [
    # 22:00-23:30 UTC is already the next day in Samarkand (UTC+5).
    (datetime(2025, 11, 23, 22, tzinfo=UTC), datetime(2025, 11, 23, 23, 30, tzinfo=UTC),
     "Asia/Samarkand", (date(2025, 11, 24), date(2025, 11, 24))),
    # Same instants, seen in Lima (UTC-5): still the 23rd.
    (datetime(2025, 11, 23, 22, tzinfo=UTC), datetime(2025, 11, 23, 23, 30, tzinfo=UTC),
     "America/Lima", (date(2025, 11, 23), date(2025, 11, 23))),
    # An event ending exactly at local midnight does not touch the next day.
    (datetime(2025, 3, 1, 15, tzinfo=UTC), datetime(2025, 3, 1, 23, tzinfo=UTC),
     "Europe/Zurich", (date(2025, 3, 1), date(2025, 3, 1))),
    (datetime(2025, 3, 1, 15, tzinfo=UTC), datetime(2025, 3, 2, 1, tzinfo=UTC),
     None, (date(2025, 3, 1), date(2025, 3, 2))),
])
def test_timed_events_cover_the_local_days_at_the_venue(start: datetime, end: datetime,
                                                        zone: str | None,
                                                        days: tuple[date, date]) -> None:
    assert timed(start, end, zone).local_days() == days


def test_all_day_events_span_local_midnight_to_midnight_in_utc() -> None:
    event = Event(uid="u", title="t", bodies=("cites",), start_date=date(2025, 11, 24),
                  end_date=date(2025, 12, 5), timezone="Asia/Samarkand")
    assert event.utc_span() == (datetime(2025, 11, 23, 19, tzinfo=UTC),
                                datetime(2025, 12, 5, 19, tzinfo=UTC))


def test_undated_events_have_no_days_and_no_span() -> None:
    event = Event(uid="u", title="COP32", bodies=("unfccc",), expected="2027-11")
    assert (event.dated, event.local_days(), event.utc_span()) == (False, None, None)


@pytest.mark.parametrize(("fields", "message"), [
    ({"start_date": date(2025, 1, 2), "end_date": date(2025, 1, 1)}, "before start_date"),
    ({"start_date": date(2025, 1, 2)}, "needs both"),
    ({"start_dt": datetime(2025, 1, 1, 10)}, "needs both"),
    ({"start_dt": datetime(2025, 1, 1, 10), "end_dt": datetime(2025, 1, 1, 11)}, "aware"),
    ({"start_date": date(2025, 1, 1), "end_date": date(2025, 1, 1),
      "start_dt": datetime(2025, 1, 1, tzinfo=UTC), "end_dt": datetime(2025, 1, 1, tzinfo=UTC)},
     "not both"),
    ({"start_dt": datetime(2025, 1, 1, 11, tzinfo=UTC),
      "end_dt": datetime(2025, 1, 1, 10, tzinfo=ZoneInfo("UTC"))}, "before start_dt"),
])
def test_inconsistent_times_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Event(uid="u", title="t", bodies=("cbd",), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "gone"), [
    (Status.TENTATIVE, False), (Status.CONFIRMED, False),
    (Status.POSTPONED, True), (Status.CANCELLED, True),
])
def test_only_cancelled_and_postponed_events_are_gone(status: Status, gone: bool) -> None:
    assert status.is_gone is gone
