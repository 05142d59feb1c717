"""Our directly written feed header is byte for byte what ``icalendar`` writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.ical import FeedMeta, feed_header
from blgcal.domain.ical.colors import CSS3_COLORS
from tests.domain.test_ical_properties import TEXT
from tests.support.ical_reference import reference_header

METAS = st.builds(
    FeedMeta, name=TEXT, description=TEXT, calendar_uid=TEXT,
    color=st.sampled_from(sorted(CSS3_COLORS)),
    refresh=st.sampled_from(["PT4H", "PT1H", "PT15M", "P1D", "PT1H30M", "P1W", "PT90S"]),
    last_modified_dt=st.none() | st.builds(
        lambda moment, hours: moment.replace(tzinfo=timezone(timedelta(hours=hours))),
        st.datetimes(datetime(1990, 1, 1), datetime(2199, 1, 1)), st.integers(-12, 14)))


@settings(max_examples=400, deadline=None)
@given(METAS)
def test_the_header_is_the_text_icalendar_writes(meta: FeedMeta) -> None:
    assert feed_header(meta) == reference_header(meta)


def test_a_header_names_the_feed_and_asks_for_a_refresh() -> None:
    header = feed_header(FeedMeta("CBD, mine", "Meetings", "feed-private-7@blgcal",
                                  last_modified_dt=datetime(2026, 12, 1, 5, 6, 7, 8, tzinfo=UTC)))
    assert header.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert b"\r\nX-WR-CALNAME:CBD\\, mine\r\n" in header
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT4H\r\n" in header
    assert header.endswith(b"\r\nLAST-MODIFIED:20261201T050607Z\r\n")
