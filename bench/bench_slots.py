"""Time the slot finder on synthetic calendars: a one-year window, in person and virtual.

Run as ``.venv/bin/python bench/bench_slots.py``. Builds 1,000, 10,000 and
100,000 events with ``bench/synthetic.py`` (meetings of the shipped bodies
over ten years, 2021-2030) and times ``find_slots`` for all eight BLG
members over 2026: one day in Rome, and 90 minutes virtual. The baseline,
measured in the same run, is the same search with no constraints: an empty
calendar, so only the window's days, weekends, holidays and office hours are
walked. Each figure is the median of several runs after one warm-up (city
index, holiday tables and zone files loaded once, as in a running server).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import BODIES, rows  # noqa: E402
from blgcal.domain.harvest.seed_csv import parse_bodies  # noqa: E402
from blgcal.domain.slots import SlotSearch, find_slots, parse_slot_request  # noqa: E402
from blgcal.domain.types import Body, Event  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
REPEAT = 7
FIELDS = ("id", "uid", "code", "title", "kind", "status", "start_date", "end_date", "start_dt",
          "end_dt", "timezone", "city", "country")
SEARCHES = {
    "in person, 1 day in Rome": {"days": ["1"], "city": ["Rome"], "country": ["IT"]},
    "virtual, 90 minutes": {"minutes": ["90"]},
}


def calendar(count: int, seed: int = 7) -> list[Event]:
    """*count* synthetic meetings as domain events, one organiser each."""
    rng = random.Random(seed)
    return [Event(bodies=(rng.choice(BODIES),), **{name: row[name] for name in FIELDS})
            for row in rows(count, first=date(2021, 1, 1), years=10, seed=seed)]


def shipped_bodies() -> dict[str, Body]:
    text = (files("blgcal") / "seed" / "bodies.csv").read_text(encoding="utf-8")
    return {body.slug: body for body in parse_bodies(text, source="bodies.csv")}


def median_ms(call: Callable[[], SlotSearch]) -> tuple[float, SlotSearch]:
    found = call()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        found = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, found


def main() -> None:
    bodies = shipped_bodies()
    members = [slug for slug, body in bodies.items() if body.blg_member]
    print(f"find_slots, all {len(members)} BLG members, window 1 Jan-31 Dec 2026 "
          f"(median of {REPEAT})")
    print(f"{'search':28} {'events':>8} {'ms':>9} {'baseline ms':>12} {'ratio':>7} "
          f"{'slots':>6}")
    growth: dict[str, list[float]] = {}
    for label, extra in SEARCHES.items():
        params = {"from": ["2026-01-01"], "to": ["2026-12-31"], "body": ["blg"], **extra}
        request = parse_slot_request(params, known_bodies=bodies, members=members,
                                     today=date(2026, 1, 1))
        base_ms, _ = median_ms(lambda request=request: find_slots([], request, bodies=bodies))
        for size in SIZES:
            events = calendar(size)
            ms, found = median_ms(lambda events=events, request=request:
                                  find_slots(events, request, bodies=bodies))
            growth.setdefault(label, []).append(ms)
            print(f"{label:28} {size:>8,} {ms:>9.1f} {base_ms:>12.1f} {ms / base_ms:>6.1f}x "
                  f"{len(found.slots):>6}")
    for label, times in growth.items():
        print(f"{label}: 1,000 -> 100,000 events costs {times[-1] / times[0]:.1f}x "
              f"(events x100; days in the window unchanged)")


if __name__ == "__main__":
    main()
