"""How harvesting scales: a 10,000-event iCalendar file against ``icalendar`` alone.

Run: ``.venv/bin/python bench/bench_harvest.py [--events 10000] [--runs 3] [--database-url URL]``

Prints, from this machine (ratios, since these machines are noisy; each time
is the best of ``--runs``; each run measures its own ``icalendar`` baseline
just before its harvest, in the same process, and the ratio of each run is
shown too):

- the first harvest into an empty source (fetch aside: the file is an
  uploaded source), as a ratio to ``icalendar.Calendar.from_ical`` parsing
  the same bytes (target: at most 1.5x);
- re-harvests of unchanged content as a fraction of the first (target: at
  most 10%): the same bytes, and the same content with every DTSTAMP
  regenerated (as Indico serves it); and, for information, one forced to
  parse everything again and find all 10,000 items unchanged;
- the harvesting process's peak resident memory (target: at most 300 MB).

Each run is a child process with a database of its own, so its peak memory
is its own too.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 6, tzinfo=UTC)
CITIES = ("Geneva", "Bonn", "Nairobi", "Rome", "Montreal", "Panama City", "Samarkand", "Busan")


def calendar(count: int, *, seed: int = 5, stamp: str = "20261127T000000Z") -> bytes:
    """*count* events over two years: four in five all-day meetings, the rest timed calls."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//blgcal//EN", "METHOD:PUBLISH"]
    for n in range(count):
        day = TODAY + timedelta(days=rng.randrange(-150, 700))
        lines += ["BEGIN:VEVENT", f"UID:bench-{n}@example.org", f"DTSTAMP:{stamp}"]
        if n % 5:
            lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{day + timedelta(days=rng.randrange(1, 6)):%Y%m%d}",
                      f"SUMMARY:Expert meeting {n} on biodiversity",
                      f"LOCATION:{rng.choice(CITIES)}", f"DESCRIPTION:Meeting {n} of the series"]
        else:
            lines += [f"DTSTART:{day:%Y%m%d}T130000Z", f"DTEND:{day:%Y%m%d}T150000Z",
                      f"SUMMARY:Bureau call {n}", "LOCATION:Online"]
        lines.append("END:VEVENT")
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def icalendar_seconds(data: bytes, repeat: int = 3) -> float:
    import icalendar
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        icalendar.Calendar.from_ical(data)
        times.append(time.perf_counter() - start)
    return min(times)


def child(url: str, path: Path) -> None:
    """Harvest *path* into the database at *url*, then again; print the timings as JSON."""
    from sqlalchemy.orm import Session

    from blgcal import migrate
    from blgcal.models.engine import make_engine
    from blgcal.services import seed
    from blgcal.services.harvest import sources
    from blgcal.services.harvest.run import harvest_source

    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        seed.load_seed(session, now=NOW)
        source = sources.create_source(session, now=NOW, name="bench", body_slug="cbd",
                                       kind="ics", file_name=path.name,
                                       file_content=path.read_bytes(),
                                       window_back_days=180, window_ahead_days=1000)
        session.commit()
        result = {"icalendar": icalendar_seconds(path.read_bytes(), repeat=1)}
        for label in ("first", "same bytes", "new DTSTAMPs", "re-parse"):
            if label == "new DTSTAMPs":
                source.file_content = calendar(int(path.stem), stamp="20261201T054100Z")
            if label == "re-parse":
                source.content_key = None  # as if the content had changed
            start = time.perf_counter()
            run = harvest_source(session, source, now=NOW, today=TODAY)
            session.commit()
            result[label] = time.perf_counter() - start
            result[f"{label} status"] = f"{run.status}: {run.new} new, {run.unchanged} unchanged"
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file a run")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{args.events}.ics"
        path.write_bytes(calendar(args.events))
        runs = []
        for n in range(args.runs):
            url = args.database_url or f"sqlite:///{Path(folder) / f'bench{n}.sqlite3'}"
            if args.database_url:
                reset(url)
            output = subprocess.run([sys.executable, __file__, "--child", url, str(path)],
                                    check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report(runs, peak_mb, args.events)


def reset(url: str) -> None:
    """Empty the PostgreSQL database at *url* (its public schema) for a fresh run."""
    from sqlalchemy import create_engine, text
    with create_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def report(runs: list[dict[str, float | str]], peak_mb: float, events: int) -> None:
    best = {label: min(float(run[label]) for run in runs)
            for label in ("icalendar", "first", "same bytes", "new DTSTAMPs", "re-parse")}
    baseline, first, statuses = best["icalendar"], best["first"], runs[-1]
    each = ", ".join(f"{float(run['first']) / float(run['icalendar']):.2f}x" for run in runs)
    print(f"{events} events, best of {len(runs)} runs; icalendar parse alone: {baseline:.2f} s")
    print(f"first harvest:              {first:6.2f} s  = {first / baseline:.2f}x icalendar"
          f"  (target <= 1.5x; each run: {each})  [{statuses['first status']}]")
    for label in ("same bytes", "new DTSTAMPs", "re-parse"):
        seconds = best[label]
        target = "" if label == "re-parse" else "  (target <= 10%)"
        print(f"re-harvest, {label:<13}  {seconds:6.2f} s  = {seconds / first:.1%} of the first"
              f"{target}  [{statuses[f'{label} status']}]")
    print(f"peak memory of a harvest process: {peak_mb:.0f} MB  (target <= 300 MB)")


if __name__ == "__main__":
    main()
