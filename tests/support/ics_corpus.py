"""Judge blgcal's iCalendar reader against ``icalendar`` + ``recurring-ical-events``.

The corpus is ``../shared/corpus/ics/`` beside the repository (real files from
the test suites of nine iCalendar projects). Each file gets a *verdict*: a
class and a short detail, compared by ``tests/test_corpus_conformance.py``
with the checked-in ``tests/data/corpus_verdicts.tsv``. Classes:

- ``agree``: both read it and give the same occurrences (UID, start, end);
- ``agree-capped``: the same, except that blgcal kept only the
  :data:`~blgcal.domain.harvest.limits.MAX_SERIES_OCCURRENCES` nearest to today of a
  series (all of them among the reference's);
- ``both-reject``: neither reads it;
- ``rejected``: blgcal refuses it with a located reason, the reference reads it;
- ``lenient``: blgcal reads it, the reference refuses it;
- ``differ``: both read it, with different occurrences (the detail says how);
- ``crash``: blgcal raised something other than a located :class:`ParseError`,
  gave two items the same (UID, recurrence) key (the database would refuse
  them), let a library warning through, or rejected without naming a line.

Run ``python -m tests.support.ics_corpus`` for the table of classes, and
``--write`` to rewrite the verdicts file after a deliberate change.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from blgcal.domain.harvest.detect import parse_file
from blgcal.domain.harvest.limits import MAX_SERIES_OCCURRENCES
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.harvest.window import HarvestWindow

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "ics"
VERDICTS = REPO / "tests" / "data" / "corpus_verdicts.tsv"
TODAY = date(2026, 11, 27)
# The window of ``blgcal import``: five years each way.
WINDOW = HarvestWindow.around(TODAY, back=1825, ahead=1825)

Key = tuple[str, str, str]


def files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.ics"))


def _moment(value: date) -> str:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def reference(data: bytes) -> set[Key]:
    """The occurrences ``icalendar`` and ``recurring-ical-events`` find in the window."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
        found: set[Key] = set()
        for calendar in calendars:
            for event in recurring_ical_events.of(calendar).between(WINDOW.first_date, WINDOW.end_date):
                if event.name != "VEVENT":
                    continue
                start = event.decoded("DTSTART")
                end = event.decoded("DTEND") if "DTEND" in event else None
                if end is None and "DURATION" in event:
                    end = start + event.decoded("DURATION")
                if end is None or (not isinstance(start, datetime) and end == start):
                    # RFC 5545 3.6.1: a date DTSTART alone (or with DTEND equal to it) is one day.
                    end = start if isinstance(start, datetime) else start + timedelta(days=1)
                found.add((str(event.get("UID", "")), _moment(start), _moment(end)))
    return found


def ours(data: bytes) -> tuple[set[Key], list[Any]]:
    """Our occurrences, as the same keys; all-day ends back to RFC 5545's exclusive form."""
    result = parse_file(data, kind="ics", source="corpus", default_body="cbd", window=WINDOW)
    found: set[Key] = set()
    for item in result.items:
        event = item.event
        if event.start_dt is not None and event.end_dt is not None:
            found.add((item.external_uid, _moment(event.start_dt), _moment(event.end_dt)))
        elif event.start_date is not None and event.end_date is not None:
            end = event.end_date + timedelta(days=1)
            found.add((item.external_uid, _moment(event.start_date), _moment(end)))
    return found, list(result.items)


def verdict(path: Path) -> tuple[str, str]:
    """(class, detail) for one corpus file."""
    data = path.read_bytes()
    try:
        theirs: set[Key] | None = reference(data)
    except Exception:  # noqa: BLE001 (the reference refusing is a verdict, not an error)
        theirs = None
    try:
        with warnings.catch_warnings(record=True) as leaked:
            warnings.simplefilter("always")
            mine, items = ours(data)
    except ParseError as exc:
        if not all(p.where.startswith("line") for p in exc.problems):
            return "crash", f"a rejection names no line: {exc}"[:160]
        reason = "; ".join(str(p) for p in exc.problems[:1])
        return ("both-reject" if theirs is None else "rejected"), reason[:160]
    except Exception as exc:  # noqa: BLE001 (a crash is what this classifies)
        return "crash", f"{type(exc).__name__}: {exc}"[:160]
    keys = [(item.external_uid, item.recurrence_id) for item in items]
    if len(keys) != len(set(keys)):
        return "crash", "two items share a (UID, recurrence) key"
    if leaked:
        return "crash", f"a library warning leaked: {leaked[0].message}"[:160]
    if theirs is None:
        return "lenient", f"{len(mine)} occurrences"
    if mine == theirs:
        return "agree", f"{len(mine)} occurrences"
    capped = [uid for uid, n in Counter(k[0] for k in mine).items() if n == MAX_SERIES_OCCURRENCES]
    if capped and mine <= theirs:
        return "agree-capped", f"{len(mine)} of {len(theirs)} occurrences"
    extra, missing = sorted(mine - theirs), sorted(theirs - mine)
    first = (f"+{extra[0]}" if extra else "") + (f" -{missing[0]}" if missing else "")
    return "differ", f"{len(mine)} vs {len(theirs)}: {first.strip()}"[:160]


def all_verdicts() -> dict[str, tuple[str, str]]:
    return {path.name: verdict(path) for path in files()}


def read_verdicts() -> dict[str, tuple[str, str]]:
    rows = VERDICTS.read_text(encoding="utf-8").splitlines()[1:]
    return {name: (kind, detail) for name, kind, detail in (row.split("\t") for row in rows)}


def write_verdicts(found: dict[str, tuple[str, str]]) -> None:
    lines = ["file\tclass\tdetail"] + [f"{name}\t{kind}\t{detail}".replace("\n", " ")
                                         for name, (kind, detail) in sorted(found.items())]
    VERDICTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def table(found: dict[str, tuple[str, str]]) -> str:
    counts = Counter(kind for kind, _ in found.values())
    return "\n".join(f"{kind:14} {count:4}" for kind, count in counts.most_common())


if __name__ == "__main__":
    found = all_verdicts()
    print(table(found))
    print(f"{'total':14} {len(found):4}")
    if "--write" in sys.argv:
        write_verdicts(found)
    if "--show" in sys.argv:
        for name, (kind, detail) in sorted(found.items()):
            if kind not in {"agree", "both-reject"}:
                print(kind, name, detail, sep="\t")
