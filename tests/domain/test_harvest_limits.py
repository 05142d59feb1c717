"""The bounds on one parse (:mod:`blgcal.domain.harvest.limits`): lazy expansion, caps, located refusals."""

from __future__ import annotations

import csv
import pickle
from datetime import date, timedelta

import icalendar
import pytest

from blgcal.domain.harvest import odata
from blgcal.domain.harvest.detect import parse_file
from blgcal.domain.harvest.ics.expand import expand
from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.limits import MAX_CSV_FIELD, ParseLimits
from blgcal.domain.harvest.records import ParseError, Problem, series_summary
from blgcal.domain.harvest.window import HarvestWindow
from tests.attacks import bomb_files

TODAY = date(2026, 11, 27)
WINDOW = HarvestWindow.around(TODAY, back=1825, ahead=1825)


def parse(data: bytes, limits: ParseLimits = ParseLimits()) -> list[str]:
    """The parse's refusal, one line per problem."""
    with pytest.raises(ParseError) as refused:
        parse_ics(data, source="t.ics", default_body="cbd", window=WINDOW, today=TODAY,
                  limits=limits)
    return [str(problem) for problem in refused.value.problems]


def test_ten_endless_daily_series_are_refused_at_the_series_past_5000_occurrences() -> None:
    [problem] = parse(bomb_files.endless_daily(10))
    assert problem.startswith("line 39 (UID 'd5@x'): the file expands to more than 5,000 occurrences")


def test_five_endless_daily_series_are_kept_cut_to_1000_each_with_a_warning() -> None:
    result = parse_ics(bomb_files.endless_daily(5), source="t.ics", default_body="cbd",
                       window=WINDOW, today=TODAY)
    assert len(result.items) == 5000
    cuts = [w for w in result.warnings if w.message.startswith("recurring series cut: ")]
    assert len(cuts) == 5 and "only the 1000 nearest to 2026-11-27 going forward" in cuts[0].message


def test_expansion_is_lazy_a_series_at_a_time() -> None:
    """The first series comes before the next is computed (here, the next cannot be)."""
    broken = ["UID:bad@x", "DTSTART:20260302T000000Z", "RDATE;VALUE=TIME:133000Z"]
    data = bomb_files.calendar([["UID:a@x", "DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY"],
                                broken])
    series = expand(icalendar.Calendar.from_ical(data), WINDOW, "t.ics", today=TODAY, keep=10)
    first = next(series)
    assert (first.uid, len(first.occurrences), first.total) == ("a@x", 10, 308)
    with pytest.raises(ParseError, match="cannot expand recurring events"):
        next(series)


def test_the_cap_per_series_follows_the_limits() -> None:
    limits = ParseLimits(series_occurrences=3, occurrences=6)
    result = parse_ics(bomb_files.endless_daily(2), source="t.ics", default_body="cbd",
                       window=WINDOW, today=TODAY, limits=limits)
    # Kept from the first not over by today (yesterday's ends at today's midnight, DTEND).
    assert [i.event.start_date for i in result.items[:3]] == [TODAY + timedelta(days=n)
                                                             for n in range(-1, 2)]
    [problem] = parse(bomb_files.endless_daily(3), limits)
    assert "more than 6 occurrences of recurring series (each series keeps at most 3)" in problem


@pytest.mark.parametrize(("data", "limits", "expected"), [
    (bomb_files.rdate_storm(3, 5), ParseLimits(rdates=10),
     "line 23: the file lists more than 10 RDATE dates"),
    (bomb_files.endless_daily(3), ParseLimits(total_periods=4000),
     "line 11 (UID 'd1@x'): the recurring series ask for more than 4,000 repetitions"),
    (bomb_files.endless_daily(3), ParseLimits(items=2),
     "the file has 3 items; blgcal reads at most 2 from one file"),
])
def test_a_file_past_a_count_is_refused_whole_where_it_passes(data: bytes, limits: ParseLimits,
                                                             expected: str) -> None:
    [problem] = parse(data, limits)
    assert problem.startswith(expected)


def test_a_csv_cell_over_the_field_limit_names_its_line() -> None:
    assert csv.field_size_limit() == MAX_CSV_FIELD
    with pytest.raises(ParseError, match="x.csv: line 3: a cell is longer than 131,072 characters"):
        parse_file(bomb_files.long_csv_field(), kind="csv", source="x.csv", default_body="cbd")
    with pytest.raises(ParseError, match="x.csv: line 1: a cell is longer"):
        parse_file(b'"' + b"t" * 140_000, kind="csv", source="x.csv", default_body="cbd")


@pytest.mark.parametrize(("kind", "prefix"), [("informea", b""), ("cbd", b'{"response":')])
def test_json_nested_100000_deep_is_a_located_error(kind: str, prefix: bytes) -> None:
    with pytest.raises(ParseError, match=r"line 1.*nested 100,00\d levels deep"):
        parse_file(prefix + bomb_files.deep_json(), kind=kind, source="x.json", default_body="cbd")


def test_the_next_page_of_json_nested_too_deep_is_none() -> None:
    assert odata.next_url(bomb_files.deep_json(), "https://example.org/m?$top=1") is None


def test_a_parse_error_crosses_a_process_boundary_whole() -> None:
    error = ParseError("t.ics", [Problem("line 2", "bad")])
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.problems, str(copy)) == ("t.ics", error.problems, "t.ics: line 2: bad")


@pytest.mark.parametrize(("messages", "summary"), [
    ([], ""),
    (["recurring series not imported: RRULE FREQ=HOURLY ...", "time zone 'X' unknown"],
     "recurring series: 1 not imported (see the warnings)"),
    (["recurring series cut: 2157 occurrences", "recurring series cut: 900 occurrences",
      "recurring series not imported: x"],
     "recurring series: 1 not imported, 2 cut short (see the warnings)"),
])
def test_reports_count_the_series_refused_and_cut(messages: list[str], summary: str) -> None:
    assert series_summary(messages) == summary
