"""How long "Harvest now" takes to answer, against how long its job then takes in the worker.

The upload has the red-team's shape: 150 daily series, 150,000 occurrences once
expanded (each series capped at 1,000), on a fresh SQLite database.

    .venv/bin/python bench/bench_harvest_now.py
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask.testing import FlaskClient

from blgcal import create_app
from blgcal.domain.permissions import Role
from blgcal.jobs import runner as job_runner
from blgcal.services import accounts

SOURCE_FORM = {"name": "red team", "body_slug": "cbd", "kind": "ics", "url": "", "enabled": "y",
               "window_back_days": "180", "window_ahead_days": "1095", "on_vanish": "cancel"}


def daily_series(count: int = 150) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//red team//EN"]
    for n in range(count):
        lines += ["BEGIN:VEVENT", f"UID:daily-series-{n:03d}@redteam.example",
                  "DTSTAMP:20261127T000000Z", f"DTSTART;VALUE=DATE:2026{n % 12 + 1:02d}01",
                  "RRULE:FREQ=DAILY", f"SUMMARY:Daily series number {n:03d} of the red team",
                  "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def signed_in_admin(folder: Path) -> tuple[object, FlaskClient]:
    app = create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "TODAY": "2026-11-27",
                      "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3", "WTF_CSRF_ENABLED": False,
                      "QUEUE_FILE": str(folder / "queue.sqlite3")})
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.extensions["blgcal.sessionmaker"]() as session:
        accounts.create_user(session, "admin@blg.int", role=Role.ADMIN, password="p" * 12,
                             now=datetime.now(UTC), hash_method="pbkdf2:sha256:1000")
        session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "admin@blg.int", "password": "p" * 12})
    return app, client


def main() -> None:
    data = daily_series()
    app, client = signed_in_admin(Path(tempfile.mkdtemp()))
    made = client.post("/admin/sources/new", data={**SOURCE_FORM, "upload": (io.BytesIO(data), "s.ics")},
                       content_type="multipart/form-data")
    source_id = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    started = time.perf_counter()
    answer = client.post(f"/admin/sources/{source_id}/harvest")
    answered = time.perf_counter() - started
    job = re.fullmatch(r"/admin/jobs/(\d+)", answer.headers.get("Location", ""))
    assert job, "harvest now did not answer with a job page"
    with app.app_context():  # type: ignore[attr-defined]
        started = time.perf_counter()
        job_runner.run_job(int(job.group(1)))
        worked = time.perf_counter() - started
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    outcome = re.search(r'<p class="notice">(.*?)</p>', page, re.S)
    print(f"upload {len(data):,} bytes; harvest now answered {answer.status_code} in {answered:.3f} s; "
          f"the job took {worked:.1f} s in the worker ({answered / worked:.5f}x): "
          f"{outcome.group(1) if outcome else '?'}")


if __name__ == "__main__":
    main()
