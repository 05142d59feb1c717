"""Time clash and opportunity finding on synthetic calendars.

Run as ``.venv/bin/python bench/bench_clashes.py``. Prints timings at 10,000,
50,000 and 100,000 events over ten years, and the ratio of a naive pairwise
overlap loop to the sweep at 20,000 events, both measured in this run and
checked to give the same clashes. The naive loop is the obvious baseline: every
pair of the 20,000 events (each turned once into the sweep's compact item)
through the sweep's own pair test (:func:`overlap_applies`), with no sorting,
bucketing or filtering by kind first. A second line compares the pair search
alone over just the meetings the overlap rule considers. Every per-value cache (city
look-ups, distances, clock offsets, public holidays, city names) is cleared
before each timed call; only the city index itself, built once at start-up
and timed separately, and the loaded time zones are kept.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blgcal.domain import geo
from blgcal.domain.clashes import Clash, ClashKind, ClashRules, find_clashes
from blgcal.domain.clashes.crowding import Unlisted, add_capped, add_crowded
from blgcal.domain.clashes.items import Item, Masks, Pair, _items, attendees
from blgcal.domain.clashes.model import Found
from blgcal.domain.clashes.overlap import overlap_applies, overlap_pair, overlap_pairs
from blgcal.domain.opportunities import find_opportunities
from blgcal.domain.types import Event, Kind, Observance

CITIES = (("Geneva", "CH", "Europe/Zurich"), ("Rome", "IT", "Europe/Rome"),
          ("Bonn", "DE", "Europe/Berlin"), ("Paris", "FR", "Europe/Paris"),
          ("Nairobi", "KE", "Africa/Nairobi"), ("Montreal", "CA", "America/Toronto"),
          ("New York", "US", "America/New_York"), ("Panama City", "PA", "America/Panama"),
          ("Samarkand", "UZ", "Asia/Samarkand"), ("Lima", "PE", "America/Lima"),
          ("Busan", "KR", "Asia/Seoul"), ("Yerevan", "AM", "Asia/Yerevan"),
          ("Bangkok", "TH", "Asia/Bangkok"), ("Cairo", "EG", "Africa/Cairo"),
          ("Atlantis", "XX", "UTC"))
# A big calendar is mostly side events (a COP has hundreds), webinars and
# campaign days; meetings are about one in six.
KINDS = ((Kind.GOVERNING_BODY, 4), (Kind.SUBSIDIARY_BODY, 4), (Kind.STANDING_COMMITTEE, 2),
         (Kind.WORKING_GROUP, 4), (Kind.CONFERENCE, 1), (Kind.BLG_MEETING, 1),
         (Kind.SIDE_EVENT, 60), (Kind.WEBINAR, 15), (Kind.COMMS_MOMENT, 9))
BODIES = tuple(f"body{n}" for n in range(60))
TAGS = tuple(f"theme{n}" for n in range(40))
START = date(2026, 1, 1)
T = TypeVar("T")
YEARS = 10


def synthetic(count: int, seed: int = 7) -> list[Event]:
    """*count* events over ten years: one in six a meeting, most side events."""
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS)
    events: list[Event] = []
    parents: list[Event] = []
    for number in range(count):
        kind = rng.choices(kinds, weights)[0]
        if kind is Kind.SIDE_EVENT and parents:
            events.append(_side_event(rng, number, rng.choice(parents[-300:])))
            continue
        event = _dated(rng, number, kind if kind is not Kind.SIDE_EVENT else Kind.WEBINAR)
        events.append(event)
        if kind in (Kind.GOVERNING_BODY, Kind.CONFERENCE):
            parents.append(event)
    return events


def _dated(rng: random.Random, number: int, kind: Kind) -> Event:
    city, country, zone = rng.choice(CITIES)
    first = START + timedelta(days=rng.randrange(365 * YEARS))
    length = rng.choice((0, 0, 1, 2, 4, 4, 9)) if kind.is_meeting else 0
    return Event(uid=f"e{number}", id=number, title=f"Event {number}",
                 bodies=(rng.choice(BODIES),), kind=kind, start_date=first,
                 end_date=first + timedelta(days=length), city=city, country=country,
                 timezone=zone, tags=(rng.choice(TAGS),) if rng.random() < 0.2 else ())


def _side_event(rng: random.Random, number: int, parent: Event) -> Event:
    assert parent.start_date is not None and parent.end_date is not None
    day = parent.start_date + timedelta(days=rng.randrange((parent.end_date - parent.start_date).days + 1))
    start_dt = datetime(day.year, day.month, day.day, rng.randrange(7, 18), tzinfo=UTC)
    return Event(uid=f"e{number}", id=number, title=f"Side event {number}",
                 bodies=(rng.choice(BODIES),), kind=Kind.SIDE_EVENT, start_dt=start_dt,
                 end_dt=start_dt + timedelta(minutes=rng.choice((60, 90, 120))),
                 parent_id=parent.id, city=parent.city, country=parent.country,
                 timezone=parent.timezone, venue=f"Room {rng.randrange(12)}")


OBSERVANCES = [Observance("World Wetlands Day", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=2", "body1"),
               Observance("World Environment Day", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=5", "body2"),
               Observance("World Oceans Day", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=8", "body3")]


NAIVE_BUDGET_SECONDS = 300.0


def naive_pairs(items: list[Item], deadline: float) -> list[Pair] | None:
    """Every pair of *items* through the sweep's own test; None past *deadline*."""
    pairs: list[Pair] = []
    for j, b in enumerate(items):
        if time.perf_counter() > deadline:
            return None
        # Later item first, then earlier ones in date order: the sweep's order.
        pairs += [overlap_pair(a, b) for a in items[:j] if overlap_applies(a, b)]
    return pairs


def naive_overlaps(events: list[Event], rules: ClashRules) -> tuple[list[Clash], bool]:
    """The obvious O(n^2) loop in place of the sweep, with the same items, rule and cap.

    Stops after ``NAIVE_BUDGET_SECONDS``, returning whether it finished, so
    the run stays bounded; an unfinished run still gives a lower bound.
    """
    everything = _items(events, list(range(len(events))), None, Masks(), Masks())
    pairs = naive_pairs(everything, time.perf_counter() + NAIVE_BUDGET_SECONDS)
    if pairs is None:
        return [], False
    found, unlisted = Found(), Unlisted()
    add_capped(found, pairs, ClashKind.OVERLAP, rules.max_per_event, unlisted)
    add_crowded(found, unlisted)
    return found.ordered(), True


_CACHES = (geo.public_holidays, geo.locate, geo.distance_km, geo._offset_hours,
           geo.normalise_city)


def timed(call: Callable[[], T]) -> tuple[float, T]:
    for cached in _CACHES:
        cached.cache_clear()
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    started = time.perf_counter()
    geo.locate("Geneva", "CH")
    print(f"city index built once per process: {time.perf_counter() - started:.2f} s")
    warm, _ = timed(partial(find_clashes, synthetic(2_000)))
    print(f"first call per process, 2,000 events (imports holiday tables, loads zones): "
          f"{warm:.2f} s")
    for count in (10_000, 50_000, 100_000):
        time_at(count)
    compare_at(20_000)


def time_at(count: int) -> None:
    """Time both finders on one calendar, freed before the next size is built."""
    calendar = synthetic(count)
    seconds, found = timed(partial(find_clashes, calendar))
    o_seconds, offers = timed(partial(find_opportunities, calendar, OBSERVANCES, today=START))
    print(f"{count:>7} events: find_clashes {seconds:.2f} s ({len(found)} clashes), "
          f"find_opportunities {o_seconds:.2f} s ({len(offers)} opportunities)")


def compare_at(count: int) -> None:
    """Time the sweep against the naive loop, whole calls and the pair search alone."""
    events = synthetic(count)
    rules = ClashRules(kinds=frozenset({ClashKind.OVERLAP}))
    fast_seconds, fast = timed(partial(find_clashes, events, rules=rules))
    naive_seconds, (naive, finished) = timed(partial(naive_overlaps, events, rules))
    if finished:
        assert fast == naive, "the sweep and the naive loop disagree"
    bound = "" if finished else ">= (naive loop stopped at its time budget) "
    print(f"{count:>7,} events, overlap only: naive {naive_seconds:.3f} s, sweep "
          f"{fast_seconds:.3f} s, ratio {bound}{naive_seconds / fast_seconds:.0f}x "
          f"({len(fast)} clashes{', identical' if finished else ''})")
    items = attendees(events, None)
    sweep_seconds, swept = timed(lambda: list(overlap_pairs(items)))
    loop_seconds, looped = timed(partial(naive_pairs, items, time.perf_counter() + 300))
    assert looped == swept
    print(f"{count:>7,} events, pair search alone ({len(items)} meetings, {len(swept)} pairs): "
          f"naive {loop_seconds:.3f} s, sweep {sweep_seconds:.4f} s, "
          f"ratio {loop_seconds / sweep_seconds:.0f}x")


if __name__ == "__main__":
    main()
