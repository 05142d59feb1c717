"""A source's content key ignores iCalendar DTSTAMPs and nothing else."""

from __future__ import annotations

import pytest

from blgcal.domain.harvest.digest import content_digest

FEED = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20250101T000000Z\r\n"
        b"DTSTART;VALUE=DATE:20260302\r\nSUMMARY:SBSTTA-27\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize("stamp", [
    b"DTSTAMP:20261201T054100Z", b"dtstamp:20261201T054100Z", b"DTSTAMP;X-A=1:20261201T054100Z",
    b"DTSTAMP:2026120\r\n 1T054100Z",
])
def test_a_new_dtstamp_keeps_the_key(stamp: bytes) -> None:
    changed = FEED.replace(b"DTSTAMP:20250101T000000Z", stamp)
    assert content_digest(changed, "ics") == content_digest(FEED, "ics")


@pytest.mark.parametrize("change", [
    (b"SUMMARY:SBSTTA-27", b"SUMMARY:SBSTTA-28"), (b"20260302", b"20260303"),
    (b"UID:a@t", b"UID:b@t"), (b"SUMMARY:SBSTTA-27", b"SUMMARY:SBSTTA-27\r\n DTSTAMP:x"),
    (b"SUMMARY:SBSTTA-27", b"SUMMARY:DTSTAMP:20250101"),
    # A second DTSTAMP makes the file invalid: it must be read (and refused).
    (b"DTSTAMP:20250101T000000Z", b"DTSTAMP:20250101T000000Z\r\nDTSTAMP:20250101T000000Z"),
])
def test_any_other_change_changes_the_key(change: tuple[bytes, bytes]) -> None:
    assert content_digest(FEED.replace(*change), "ics") != content_digest(FEED, "ics")


def test_other_kinds_key_every_byte() -> None:
    row = b"code,title\r\nDTSTAMP:1,x\r\n"
    assert content_digest(row, "csv") != content_digest(row.replace(b"1", b"2"), "csv")
    assert content_digest(row, "x.json") != content_digest(row.replace(b"1", b"2"), "x.json")
