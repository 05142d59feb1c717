"""Our directly written VEVENT is byte for byte what ``icalendar`` writes.

The drawn events are those of the three-parser property test: six scripts,
the characters that break feeds, 2,000-character fields that must fold
without splitting a character or an escape, and times at the offset changes
of many zones, plus every zone blgcal writes a VTIMEZONE for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blgcal.domain.ical import event_component, vtimezone_component
from blgcal.domain.types import Event, Kind
from tests.domain.test_ical_properties import events
from tests.support.ical_reference import reference_component

WRITTEN_ZONES = sorted(z for z in available_timezones() if vtimezone_component(z) is not None)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_the_piece_is_the_text_icalendar_writes(event: Event) -> None:
    assert event_component(event) == reference_component(event)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WRITTEN_ZONES), st.integers(0, 6 * 365 * 24), st.integers(0, 72))
def test_local_times_in_every_written_zone_match_icalendar(zone: str, hour: int,
                                                           length: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=hour, minutes=hour % 60)
    event = Event(uid="z", title="Zone", bodies=("cbd",), kind=Kind.WEBINAR, start_dt=start,
                  end_dt=start + timedelta(hours=length), timezone=zone,
                  updated_dt=datetime(2026, 1, 1, tzinfo=UTC))
    assert event_component(event) == reference_component(event)


@pytest.mark.parametrize("title", ["x" * 66, "x" * 67, "é" * 33, "a\\" * 40, "x^" * 40, "^" * 90,
                                   "🌿" * 20])
def test_lines_at_the_fold_match_icalendar(title: str) -> None:
    event = Event(uid="fold", title=title, bodies=("cbd",), kind=Kind.WEBINAR,
                  start_date=datetime(2026, 3, 2).date(), end_date=datetime(2026, 3, 2).date(),
                  updated_dt=datetime(2026, 1, 1, tzinfo=UTC))
    assert event_component(event) == reference_component(event)
    assert all(len(line.encode()) <= 75 for line in event_component(event).text.split("\r\n"))
