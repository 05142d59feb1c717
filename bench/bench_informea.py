"""An InforMEA harvest of 5,000 meetings in 50 OData pages against the same items as one .ics.

Run: ``.venv/bin/python bench/bench_informea.py [--meetings 5000] [--pages 50] [--runs 3]``

Both are served over loopback HTTP by one server in this process (the
OData pages follow ``__next``, each fetched through the guarded fetcher), and
harvested into fresh SQLite databases, alternately, in the same run. Prints
the best time of each and their ratio (target: the InforMEA harvest costs at
most 2x the iCalendar one).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 6, tzinfo=UTC)
CITIES = (("Geneva", "CH"), ("Bonn", "DE"), ("Nairobi", "KE"), ("Rome", "IT"),
          ("Montreal", "CA"), ("Panama City", "PA"))


def meetings(count: int) -> list[dict[str, Any]]:
    """*count* all-day meetings over two years, as (id, title, first day, last day, city, country)."""
    found = []
    for n in range(count):
        day = TODAY + timedelta(days=(n * 37) % 800 - 100)
        city, country = CITIES[n % len(CITIES)]
        found.append({"id": f"m-{n}", "title": f"Expert meeting {n} on biodiversity",
                      "first": day, "last": day + timedelta(days=n % 4), "city": city,
                      "country": country})
    return found


def ms(day: date) -> str:
    """Local midnight in Geneva, as InforMEA's toolkits store it (UTC, an hour or two before)."""
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=1)
    return f"/Date({int(moment.timestamp() * 1000)})/"


def odata_pages(items: list[dict[str, Any]], pages: int, base: str) -> list[bytes]:
    size = -(-len(items) // pages)
    found = []
    for number in range(pages):
        chunk = items[number * size:(number + 1) * size]
        results = [{"__metadata": {"type": "Meeting"}, "protocolVersion": 1, "id": m["id"],
                    "treaty": "cms", "url": f"https://example.org/{m['id']}",
                    "title": {"results": [{"language": "en", "value": m["title"]},
                                          {"language": "fr", "value": "Réunion " + m["title"]}]},
                    "description": {"results": [{"language": "en", "value": "A meeting"}]},
                    "start": ms(m["first"]), "end": ms(m["last"]), "type": "Expert meeting",
                    "access": "Public", "status": "confirmed", "city": m["city"],
                    "country": m["country"]} for m in chunk]
        page: dict[str, Any] = {"results": results}
        if number + 1 < pages:
            page["__next"] = f"{base}/odata?$skip={(number + 1) * size}"
        found.append(json.dumps({"d": page}).encode())
    return found


def calendar(items: list[dict[str, Any]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//blgcal//EN"]
    for m in items:
        lines += ["BEGIN:VEVENT", f"UID:{m['id']}", "DTSTAMP:20261127T000000Z",
                  f"DTSTART;VALUE=DATE:{m['first']:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{m['last'] + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{m['title']}", f"LOCATION:{m['city']}", "DESCRIPTION:A meeting",
                  "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    pages: list[bytes]
    ics: bytes
    size: int


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/odata":
            skip = int(parse_qs(parts.query).get("$skip", ["0"])[0])
            body = self.server.pages[skip // self.server.size]
        else:
            body = self.server.ics
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def harvest(url: str, kind: str, folder: Path, label: str, host: str) -> tuple[float, str]:
    from sqlalchemy.orm import Session

    from blgcal import migrate
    from blgcal.models.engine import make_engine
    from blgcal.services import seed
    from blgcal.services.harvest import sources
    from blgcal.services.harvest.run import HarvestSettings, harvest_source

    engine = make_engine(f"sqlite:///{folder / (label + '.sqlite3')}")
    migrate.upgrade(engine)
    with Session(engine) as session:
        seed.load_seed(session, now=NOW)
        source = sources.create_source(session, now=NOW, name="bench", body_slug="cms", kind=kind,
                                       url=url, window_back_days=180, window_ahead_days=1000)
        session.commit()
        settings = HarvestSettings(allow_hosts=frozenset({host}), max_bytes=200 * 2**20)
        start = time.perf_counter()
        run = harvest_source(session, source, now=NOW, today=TODAY, settings=settings)
        session.commit()
        seconds = time.perf_counter() - start
        status = f"{run.status}: {run.new} new {run.message or ''}".strip()
    engine.dispose()
    return seconds, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    items = meetings(args.meetings)
    server = Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.pages, server.ics = odata_pages(items, args.pages, base), calendar(items)
    server.size = -(-len(items) // args.pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_address[1]}"
    times: dict[str, list[float]] = {"informea": [], "ics": []}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for n in range(args.runs):
            for kind, url in (("ics", f"{base}/meetings.ics"), ("informea", f"{base}/odata")):
                seconds, status = harvest(url, kind, folder, f"{kind}{n}", host)
                times[kind].append(seconds)
                print(f"run {n + 1} {kind:8} {seconds:6.2f} s  {status}")
    server.shutdown()
    best = {kind: min(found) for kind, found in times.items()}
    ratios = [i / c for i, c in zip(times["informea"], times["ics"])]
    print(f"\n{args.meetings} meetings: InforMEA in {args.pages} pages {best['informea']:.2f} s,"
          f" one .ics {best['ics']:.2f} s (best of {args.runs})")
    print(f"ratio (best / best): {best['informea'] / best['ics']:.2f}x (target 2x);"
          f" per run: {', '.join(f'{r:.2f}x' for r in ratios)}")


if __name__ == "__main__":
    main()
