"""The meetings spreadsheet: the shipped seed, and files people get wrong."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.types import Kind, Status

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "blgcal" / "seed"
FEEDS = ROOT / "tests" / "data" / "feeds"
HEADER = "body,code,title,start,end,city,country,venue,timezone,kind,status,source_url"


def parse(text: str, **options: object) -> object:
    return parse_meetings_csv(text, source="meetings.csv", **options)  # type: ignore[arg-type]


def test_the_shipped_meetings_parse_into_39_all_day_events() -> None:
    result = parse_meetings_csv((SEED / "meetings.csv").read_text("utf-8"), source="meetings.csv")
    events = [item.event for item in result.items]
    assert len(events) == 39 and all(e.all_day for e in events)
    blg = next(e for e in events if e.code == "BLG 2025-09")
    assert (blg.start_date, blg.end_date, blg.city, blg.country, blg.kind) == \
        (date(2025, 9, 8), date(2025, 9, 8), "Geneva", "CH", Kind.BLG_MEETING)
    virtual = next(e for e in events if e.code == "GEF C.70")
    assert (virtual.city, virtual.country, virtual.timezone) == (None, None, None)


def test_the_shipped_undated_meetings_parse_without_dates() -> None:
    text = (SEED / "meetings_undated.csv").read_text("utf-8")
    events = [item.event for item in parse_meetings_csv(text, source="undated.csv").items]
    assert len(events) == 15 and not any(e.dated for e in events)
    iwc = next(e for e in events if e.code == "IWC70")
    assert (iwc.expected, iwc.status, iwc.bodies) == ("2026", Status.TENTATIVE, ("iwc",))


def test_every_bad_row_of_a_file_is_named_and_nothing_is_imported() -> None:
    with pytest.raises(ParseError) as caught:
        parse((FEEDS / "meetings_errors.csv").read_text("utf-8"))
    assert [str(p) for p in caught.value.problems] == [
        "line 3: column 'start': '2025-13-01' is not a date (YYYY-MM-DD)",
        "line 4: column 'country': 'Italy' is not an ISO 3166 alpha-2 code",
        "line 5: column 'end': 2026-03-23 is before start 2026-03-29",
        "line 6: column 'timezone': 'Asia/Busan' is not an IANA time zone",
        "line 7: column 'kind': 'assembly' is not one of governing_body, subsidiary_body,"
        " standing_committee, working_group, conference, blg_meeting, side_event, webinar,"
        " comms_moment",
    ]
    assert str(caught.value).startswith("meetings.csv: line 3: column 'start': '2025-13-01'")


@pytest.mark.parametrize(("name", "message"), [
    ("missing_columns.csv", "line 1: missing column 'title'"),
    ("extra_columns.csv", "line 1: unknown column 'organiser'; line 1: unknown column 'budget_usd'"),
])
def test_a_wrong_header_is_refused_before_any_row(name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse((FEEDS / name).read_text("utf-8"))


@pytest.mark.parametrize(("text", "message"), [
    ("", "line 1: the file is empty"),
    ("body,title\ncbd,SBI-6\n", "need columns 'start' and 'end', or 'expected_window'"),
    (f"{HEADER}\ncbd,SBI-6,SBI,2026-02-16,2026-02-19,Rome,IT,,Europe/Rome,subsidiary_body,confirmed,x,extra\n",
     "line 2: more cells than columns"),
    (f"{HEADER}\ncbd,SBI-6,SBI,2026-02-16\n", "line 2: fewer cells than columns"),
    (f"{HEADER}\n,SBI-6,SBI,2026-02-16,2026-02-19,,,,,,,\n", "line 2: column 'body': empty"),
    (f"{HEADER}\ncbd,SBI-6,,2026-02-16,2026-02-19,,,,,,,\n", "line 2: column 'title': empty"),
    (f"{HEADER}\ncbd,SBI-6,SBI,2026-02-16,2026-02-19,,,,,,maybe,\n", "column 'status': 'maybe'"),
    ("body,title,expected_window\ncbd,COP18,sometime\n",
     "line 2: column 'expected_window': 'sometime' is not a year"),
])
def test_bad_rows_and_headers_give_located_messages(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(text)


def test_an_unknown_body_is_refused_when_the_known_bodies_are_given() -> None:
    text = f"{HEADER}\nfoo,X,A meeting,2026-02-16,2026-02-19,,,,,,,\n"
    with pytest.raises(ParseError, match="line 2: column 'body': unknown body 'foo'"):
        parse(text, known_bodies=frozenset({"cbd"}))


def test_rows_without_a_body_belong_to_the_importing_body() -> None:
    text = f"{HEADER}\n,SBI-6,SBI,2026-02-16,2026-02-19,,,,,,,\n"
    [item] = parse(text, default_body="cbd").items  # type: ignore[attr-defined]
    assert item.event.bodies == ("cbd",) and item.external_uid == "cbd:SBI-6"


CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)
ROW = st.fixed_dictionaries({
    "body": st.sampled_from(["cbd", "cites", "ramsar"]),
    "code": st.text("ABCXYZ-0123456789", min_size=1, max_size=8),
    "title": CELL.filter(bool),
    "start": st.dates(date(2000, 1, 1), date(2090, 1, 1)),
    "days": st.integers(0, 20),
    "city": CELL,
    "country": st.sampled_from(["", "CH", "IT", "KE"]),
    "kind": st.sampled_from([k.value for k in Kind]),
    "status": st.sampled_from([s.value for s in Status]),
})


@settings(max_examples=100, deadline=None)
@given(st.lists(ROW, max_size=8, unique_by=lambda r: (r["body"], r["code"])))
def test_rows_written_by_csv_writer_round_trip(rows: list[dict[str, object]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["body", "code", "title", "start", "end", "city", "country", "kind", "status"])
    for r in rows:
        end = date.fromordinal(r["start"].toordinal() + r["days"])  # type: ignore[attr-defined]
        writer.writerow([r["body"], r["code"], r["title"], r["start"], end, r["city"], r["country"],
                         r["kind"], r["status"]])
    events = [i.event for i in parse(out.getvalue()).items]  # type: ignore[attr-defined]
    assert [(e.bodies[0], e.code, e.title, e.start_date, (e.end_date - e.start_date).days, e.city or "",
             e.country or "", e.kind.value, e.status.value) for e in events] == \
        [(r["body"], r["code"], r["title"], r["start"], r["days"], r["city"], r["country"], r["kind"],
          r["status"]) for r in rows]
