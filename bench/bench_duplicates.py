"""Whether duplicate matching stays flat as the calendar fills with similar titles.

Run: ``.venv/bin/python bench/bench_duplicates.py [--events 25000] [--existing 12000] [--runs 3]``

Times the first harvest of an ``--events`` iCalendar file ("Expert meeting
N on biodiversity" in eight cities, "Bureau call N" online, over two years)
into two databases, in the same run: a fresh one (the baseline) and one
already holding ``--existing`` events of another source with the same kinds
of titles, cities and dates, all of them duplicate candidates. Prints the
best of ``--runs`` for each and their ratio (target: about 1, since each new
item is compared only with the candidates sharing a code, title or city *and*
a week with it), with what each harvest merged and flagged. Each harvest runs
in a child process with a SQLite database of its own; times are the child's
CPU seconds (SQLite works in the process), so other load on a shared machine
moves them little.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 6, tzinfo=UTC)
# "Venue, City, Country" (commas escaped, RFC 5545 3.3.11): the city is read from it.
PLACES = tuple(f"Conference centre\\, {city}\\, {country}" for city, country in [
    ("Geneva", "Switzerland"), ("Bonn", "Germany"), ("Nairobi", "Kenya"), ("Rome", "Italy"),
    ("Montreal", "Canada"), ("Panama City", "Panama"), ("Samarkand", "Uzbekistan"),
    ("Cali", "Colombia")])


def calendar(count: int, *, seed: int, prefix: str) -> bytes:
    """*count* events over two years: four in five all-day meetings in a city, the rest calls."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//blgcal//EN"]
    for n in range(count):
        day = TODAY + timedelta(days=rng.randrange(-150, 700))
        lines += ["BEGIN:VEVENT", f"UID:{prefix}-{n}@example.org", "DTSTAMP:20261127T000000Z"]
        if n % 5:
            end = day + timedelta(days=rng.randrange(1, 6))
            lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}",
                      f"SUMMARY:Expert meeting {n} on biodiversity",
                      f"LOCATION:{rng.choice(PLACES)}"]
        else:
            lines += [f"DTSTART:{day:%Y%m%d}T130000Z", f"DTEND:{day:%Y%m%d}T150000Z",
                      f"SUMMARY:Bureau call {n}", "LOCATION:Online"]
        lines.append("END:VEVENT")
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def child(url: str, path: Path, existing: Path | None) -> None:
    """Harvest *existing* (untimed) then *path* (timed) into *url*; print the result as JSON."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from blgcal import migrate
    from blgcal.db import make_engine
    from blgcal.models import PossibleDuplicate
    from blgcal.services import seed
    from blgcal.services.harvest import sources
    from blgcal.services.harvest.run import harvest_source

    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        seed.load_seed(session, now=NOW)
        for name, file in [("existing", existing), ("new", path)]:
            if file is None:
                continue
            source = sources.create_source(session, now=NOW, name=name, body_slug="cbd", kind="ics",
                                           file_name=file.name, file_content=file.read_bytes(),
                                           window_back_days=180, window_ahead_days=1000)
            session.commit()
            start = time.process_time()
            run = harvest_source(session, source, now=NOW, today=TODAY)
            session.commit()
            seconds = time.process_time() - start
        pairs = session.scalar(select(func.count()).select_from(PossibleDuplicate))
        print(json.dumps({"seconds": seconds, "status": f"{run.status}: {run.new} new, "
                                                         f"{run.merged} merged, {pairs} flagged"}))


def measure(url: str, path: Path, existing: Path | None) -> dict[str, float | str]:
    args = [sys.executable, __file__, "--child", url, str(path), str(existing or "")]
    output = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=25_000)
    parser.add_argument("--existing", type=int, default=12_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("URL", "FILE", "EXISTING"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, file, existing = args.child
        return child(url, Path(file), Path(existing) if existing else None)
    with tempfile.TemporaryDirectory() as folder:
        path, other = Path(folder) / "new.ics", Path(folder) / "existing.ics"
        path.write_bytes(calendar(args.events, seed=5, prefix="new"))
        other.write_bytes(calendar(args.existing, seed=11, prefix="existing"))
        results: dict[str, list[dict[str, float | str]]] = {"fresh": [], "loaded": []}
        for n in range(args.runs):
            order = ["fresh", "loaded"] if n % 2 == 0 else ["loaded", "fresh"]
            for label in order:
                url = f"sqlite:///{Path(folder) / f'{label}{n}.sqlite3'}"
                results[label].append(measure(url, path, other if label == "loaded" else None))
    report(results, args.events, args.existing)


def report(results: dict[str, list[dict[str, float | str]]], events: int, existing: int) -> None:
    best = {label: min(float(run["seconds"]) for run in runs) for label, runs in results.items()}
    print(f"first harvest of {events} events, best of {len(results['fresh'])} runs")
    print(f"into a fresh database:                  {best['fresh']:7.2f} s CPU"
          f"  [{results['fresh'][-1]['status']}]")
    print(f"into one holding {existing:>6} similar events: {best['loaded']:7.2f} s CPU"
          f"  [{results['loaded'][-1]['status']}]")
    print(f"ratio loaded / fresh: {best['loaded'] / best['fresh']:.2f}x  (target: about 1)")


if __name__ == "__main__":
    main()
