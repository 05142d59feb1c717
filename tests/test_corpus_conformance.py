"""Conformance over the real calendars and responses in ``../shared`` (skipped without it).

Every corpus file is read and its verdict compared with the checked-in
``tests/data/corpus_verdicts.tsv`` (see :mod:`tests.support.ics_corpus` for
the classes): any change of verdict fails, so a fix or a regression must be
seen and the file rewritten on purpose (``python -m tests.support.ics_corpus
--write``). No file may crash, and every rejection names its line. The
differences kept on purpose:

- ``rejected`` files are bare VEVENTs or VTODOs without a VCALENDAR, VEVENTs
  without the UID or DTSTART RFC 5545 3.6.1 requires, repeated UIDs, ends
  before starts, and two files whose series expand to more than the 5,000
  occurrences a file may keep (1,300 mathematicians' yearly birthdays, a
  Google calendar of 6,215 occurrences): each with its line and reason;
- ``differ``: "(GMT +01:00)" is read as that offset where the reference
  reads UTC, and Google's UNTIL as a date keeps its last day (then moved by
  a THISANDFUTURE override) where the reference drops it;
- ``lenient``: two files the reference refuses for a rule blgcal skips with a
  warning (0 occurrences imported).

The samples of ``../shared/samples`` are read by their connectors too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from blgcal.domain.harvest.cbd_solr import parse_cbd_solr
from blgcal.domain.harvest.informea import parse_informea
from blgcal.domain.harvest.window import HarvestWindow
from tests.support import ics_corpus

pytestmark = pytest.mark.skipif(not ics_corpus.CORPUS.is_dir(),
                                reason="../shared/corpus/ics is not beside the repository")
SAMPLES = ics_corpus.SHARED / "samples"


def test_every_corpus_file_keeps_its_verdict() -> None:
    expected = ics_corpus.read_verdicts()
    found = ics_corpus.all_verdicts()
    assert set(found) == set(expected), "corpus files added or removed: rewrite the verdicts"
    changed = {name: (expected[name], found[name]) for name in found if found[name] != expected[name]}
    assert changed == {}
    classes = Counter(kind for kind, _ in found.values())
    assert classes["crash"] == 0


def test_the_recorded_informea_and_cbd_responses_are_read() -> None:
    for name in ("informea-odata-1.json", "informea-odata-2.json"):
        result = parse_informea((SAMPLES / name).read_bytes(), source=name, default_body="unep")
        assert len(result.items) == 2 and all(item.titles for item in result.items)
    cbd = parse_cbd_solr((SAMPLES / "cbd-1.json").read_bytes(), source="cbd-1.json")
    codes = {item.event.code: item.event for item in cbd.items}
    assert len(cbd.items) == 23
    assert (codes["COP-17"].start_date.isoformat(), codes["COP-17"].kind) == \
        ("2026-10-19", "governing_body")
    assert (codes["SBSTTA-28"].city, codes["SBI-07"].kind) == ("Nairobi", "subsidiary_body")


def test_the_recorded_indico_export_is_read() -> None:
    from datetime import date

    from blgcal.domain.harvest.ics.read import parse_ics

    data = Path(SAMPLES / "indico-un-1.ics").read_bytes()
    result = parse_ics(data, source="indico-un-1.ics", default_body="unep",
                       window=HarvestWindow(date(2020, 1, 1), date(2029, 12, 31)))
    assert result.items and all(item.event.start_dt is not None for item in result.items)
