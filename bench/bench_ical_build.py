"""Time feed building: pieces built once, feeds assembled per request.

Run as ``.venv/bin/python bench/bench_ical_build.py [--events 10000]``.
Prints the cost of building every event's piece once (what a save pays),
against ``icalendar`` writing the same pieces (the reference our builder
matches byte for byte), of
assembling the feed from stored pieces (what a request pays), and the ratio
of the naive way (one ``icalendar.Calendar`` of ready-made VEVENT objects
serialized per request) to assembly, both measured in this run on the same
events. Also prints the feed size, against Google's limit of about 1 MB.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import icalendar

from blgcal.domain.ical import EventPiece, FeedMeta, assemble_feed, event_component
from blgcal.domain.types import Event, Kind, Status
from tests.support.ical_reference import reference_component

ZONES = ("Europe/Zurich", "America/New_York", "Africa/Nairobi", "Asia/Samarkand", None)
META = FeedMeta(name="BLG calendar", description="All meetings", calendar_uid="all@blgcal")


def synthetic(count: int, seed: int = 7) -> list[Event]:
    """Realistic meetings: half all-day, half timed, titles of 60-120 characters."""
    rng = random.Random(seed)
    events = []
    for i in range(count):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        common: dict[str, Any] = {
            "uid": f"e{i}", "title": f"Meeting {i} of the " + "working group " * rng.randint(3, 7),
            "bodies": (rng.choice(["cbd", "cites", "cms", "ramsar"]),),
            "kind": rng.choice(list(Kind)), "status": rng.choice(list(Status)), "code": f"WG{i}",
            "city": "Geneva", "country": "CH", "description": "Agenda and documents. " * 5,
            "url": f"https://example.org/meetings/{i}", "sequence": rng.randint(0, 5),
            "updated_dt": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i),
        }
        if i % 2:
            start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8)
            events.append(Event(**common, start_dt=start, end_dt=start + timedelta(hours=3),
                                timezone=rng.choice(ZONES)))
        else:
            events.append(Event(**common, start_date=day, end_date=day + timedelta(days=4)))
    return events


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def naive_feed(components: list[icalendar.Component]) -> bytes:
    """The baseline: serialize one ``icalendar.Calendar`` on each request.

    The VEVENT objects are made beforehand, outside the timing, so this is
    the naive way's cheapest form: serializing only.
    """
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//BLG//blgcal//EN")
    for component in components:
        calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    count = parser.parse_args().events
    events = synthetic(count)
    began = time.perf_counter()
    pieces: list[EventPiece] = [event_component(e) for e in events]
    build = time.perf_counter() - began
    began = time.perf_counter()
    for event in events:
        reference_component(event)
    library = time.perf_counter() - began
    stored = [p.text.encode() for p in pieces]
    tzids = sorted({t for p in pieces for t in p.tzids})
    assemble = median_seconds(lambda: assemble_feed(stored, meta=META, tzids=tzids), 21)
    components = [icalendar.Event.from_ical(p.text) for p in pieces]
    naive = median_seconds(lambda: naive_feed(components), 3)
    size = len(assemble_feed(stored, meta=META, tzids=tzids))
    print(f"{count} events: build pieces once {build:.2f} s ({build / count * 1e3:.3f} ms/event);"
          f" icalendar writing them {library:.2f} s = {library / build:.1f}x ours")
    print(f"assemble per request {assemble * 1e3:.2f} ms; naive per request {naive:.2f} s; "
          f"naive / assemble = {naive / assemble:.0f}x")
    print(f"feed size {size / 1e6:.2f} MB ({size / count:.0f} bytes/event)")


if __name__ == "__main__":
    main()
