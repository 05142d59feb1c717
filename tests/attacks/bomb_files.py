"""The red team's resource bombs, generated (no big file is committed).

Each function returns the bytes of a file the size the red team used; the
attack tests and the measurements in the issue's closing note both use them.
"""

from __future__ import annotations

from datetime import date, timedelta

START = date(2026, 1, 5)


def calendar(events: list[list[str]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//red team//bombs//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def endless_daily(series: int) -> bytes:
    """*series* daily series without COUNT or UNTIL (10: 1.2 KB; 1,500: 182 KB)."""
    return calendar([[f"UID:d{n}@x", "DTSTAMP:20260101T000000Z",
                      f"DTSTART;VALUE=DATE:{START:%Y%m%d}", f"SUMMARY:Daily {n}",
                      "RRULE:FREQ=DAILY"] for n in range(series)])


def rdate_storm(events: int = 10_000, rdates: int = 50) -> bytes:
    """*events* events with *rdates* RDATE values each (10,000 x 50: 5.7 MB)."""
    days = ",".join(f"{START + timedelta(days=7 * k):%Y%m%d}" for k in range(rdates))
    return calendar([[f"UID:r{n}@x", "DTSTAMP:20260101T000000Z",
                      f"DTSTART;VALUE=DATE:{START:%Y%m%d}", f"SUMMARY:Storm {n}",
                      f"RDATE;VALUE=DATE:{days}"] for n in range(events)])


def long_csv_field(size: int = 200_000) -> bytes:
    """A meetings CSV whose second row's title is over the csv module's field limit."""
    return (f"code,title,start,end\nA1,Fine,2027-01-01,2027-01-02\n"
            f'A2,"{"x" * size}",2027-02-01,2027-02-02\n').encode()


def many_objects(count: int = 2_000_000) -> bytes:
    """A JSON list of *count* empty objects (6 MB; Python needs over 100 MB to hold it)."""
    return b"[" + b"{}," * (count - 1) + b"{}]"


def deep_json(depth: int = 100_000) -> bytes:
    """An InforMEA-looking JSON array nested *depth* deep."""
    return b"[" * depth + b"]" * depth
