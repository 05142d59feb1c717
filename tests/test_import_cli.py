"""``blgcal import FILE --body SLUG``: all or nothing, keyed so a re-import updates."""

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Event

pytestmark = pytest.mark.usefixtures("seeded")
HEADER = "code,title,start,end,city,country,kind,status,tags\n"


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)) or 0


def test_a_csv_import_adds_rows_owned_by_the_body(runner: FlaskCliRunner, session: Session,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "cms.csv"
    path.write_text(HEADER + "CMS StC57,57th Standing Committee,2027-03-02,2027-03-04,Bonn,DE,"
                    "standing_committee,tentative,migratory-species\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cms"])
    assert result.exit_code == 0, result.output
    row = session.scalars(select(Event).where(Event.code == "CMS StC57")).one()
    assert (row.bodies, row.tags, row.origin) == (("cms",), ("migratory-species",), "import")
    again = runner.invoke(args=["import", str(path), "--body", "cms"])
    assert "0 added, 0 updated, 1 unchanged" in again.output


def test_a_row_that_names_its_body_keeps_it(runner: FlaskCliRunner, session: Session,
                                            tmp_path: Path) -> None:
    path = tmp_path / "joint.csv"
    path.write_text("body,code,title,start,end\nipbes,IPBES-13,13th plenary,2027-10-01,2027-10-05\n",
                    encoding="utf-8")
    assert runner.invoke(args=["import", str(path), "--body", "cbd"]).exit_code == 0
    assert session.scalars(select(Event).where(Event.code == "IPBES-13")).one().bodies == ("ipbes",)


def test_reimporting_the_shipped_file_updates_in_place_rather_than_duplicating(
        runner: FlaskCliRunner, session: Session, tmp_path: Path) -> None:
    from blgcal.services.seed import read_seed
    path = tmp_path / "meetings.csv"
    path.write_text(read_seed("meetings.csv"), encoding="utf-8")
    before = count(session)
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 0 and "0 added" in result.output
    assert count(session) == before


@pytest.mark.parametrize(("content", "message"), [
    (HEADER + "X1,Fine,2027-01-01,2027-01-02,,,,,\nX2,Bad,2027-02-30,2027-03-01,,,,,\n",
     "line 3: column 'start': '2027-02-30' is not a date"),
    ("code,title,start,end,colour\n", "line 1: unknown column 'colour'"),
    ("code,start,end\n", "line 1: missing column 'title'"),
    (HEADER + "X1,Fine,2027-01-01,2027-01-02,,,,,,extra\n", "line 2: more cells than columns"),
    (HEADER + "X1,Fine,2027-01-01\n", "line 2: fewer cells than columns"),
    (HEADER + "X1,Fine,2027-01-01,2027-01-02,Rome,Italy,,,\n", "column 'country': 'Italy'"),
])
def test_a_bad_file_is_rejected_whole_with_line_and_reason(
        runner: FlaskCliRunner, session: Session, tmp_path: Path, content: str,
        message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = count(session)
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 1
    assert "nothing imported: bad.csv: " in result.output and message in result.output
    assert count(session) == before


def test_an_unknown_body_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "wwf"])
    assert result.exit_code == 1 and "unknown body 'wwf'" in result.output


def ics(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *lines,
                        "END:VCALENDAR", ""])


def vevent(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20250101T000000Z", *lines, "END:VEVENT"]


def test_an_empty_file_is_refused_with_its_line_and_no_traceback(runner: FlaskCliRunner,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "empty.ics"
    path.write_bytes(b"")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 1
    assert "nothing imported: empty.ics: line 1: the file is empty" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_the_import_prints_the_runs_warnings(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "holidays.ics"
    path.write_text(ics(*vevent("h@t", "SUMMARY:Holiday", "DTSTART;VALUE=DATE:20261225",
                                "RRULE:")), encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 0, result.output
    assert "holidays.ics: 1 added" in result.output
    assert "warning: line 4 (UID 'h@t'): line 4: empty RRULE: read as a single event" in result.output


def test_the_window_is_counted_from_today_as_configured(runner: FlaskCliRunner, session: Session,
                                                        tmp_path: Path) -> None:
    # TODAY is 2026-11-27 in the tests: 2026-12-10 is 13 days ahead, 2026-11-01 26 days back.
    path = tmp_path / "near.ics"
    path.write_text(ics(*vevent("ahead@t", "SUMMARY:Ahead", "DTSTART;VALUE=DATE:20261210"),
                        *vevent("back@t", "SUMMARY:Back", "DTSTART;VALUE=DATE:20261101")),
                    encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd", "--days-ahead", "10",
                                 "--days-back", "30"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    titles = set(session.scalars(select(Event.title).where(Event.title.in_(["Ahead", "Back"]))))
    assert titles == {"Back"}


def test_a_thisandfuture_override_imports_without_a_crash(runner: FlaskCliRunner,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "moved.ics"
    path.write_text(ics(
        *vevent("s@t", "SUMMARY:Series", "DTSTART:20261201T120000Z", "DTEND:20261201T130000Z",
                "RRULE:FREQ=DAILY;COUNT=5"),
        *vevent("s@t", "SUMMARY:Moved", "RECURRENCE-ID;RANGE=THISANDFUTURE:20261203T120000Z",
                "DTSTART:20261203T090000Z", "DTEND:20261203T100000Z")), encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 0, result.output
    assert "moved.ics: 5 added" in result.output


def test_a_database_error_fails_the_import_with_one_clear_line(
        runner: FlaskCliRunner, session: Session, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import IntegrityError

    from blgcal.services.harvest import run as harvest

    def refuse(*args: object, **kwargs: object) -> None:
        raise IntegrityError("INSERT INTO provenance " + "(x) " * 3000, {}, Exception(
            "UNIQUE constraint failed: provenance.source_id"))

    monkeypatch.setattr(harvest, "apply_result", refuse)
    before = count(session)
    path = tmp_path / "one.ics"
    path.write_text(ics(*vevent("a@t", "SUMMARY:A", "DTSTART;VALUE=DATE:20261210")),
                    encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: nothing imported: the database refused the changes, so none were kept:"
        " UNIQUE constraint failed: provenance.source_id")
    session.expire_all()
    assert count(session) == before


@pytest.mark.parametrize(("fixture", "name", "code"), [
    ("paged/cbd.0.json", "select", "SBSTTA-29"),            # a Solr answer saved from the browser
    ("paged/informea-cms.2.json", "Meetings.txt", None),    # an OData page, any extension
])
def test_a_saved_response_imports_as_it_is_recognised_by_its_content(
        runner: FlaskCliRunner, session: Session, tmp_path: Path, fixture: str, name: str,
        code: str | None) -> None:
    from tests.support.feed_server import FEEDS

    path = tmp_path / name
    path.write_bytes((FEEDS / fixture).read_bytes())
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 0, result.output
    assert f"{name}: " in result.output and "added" in result.output
    if code:
        assert session.scalars(select(Event).where(Event.code == code)).one().kind == \
            "subsidiary_body"


def test_a_file_in_no_known_format_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 1 and "not a format blgcal reads" in result.output


def test_a_refused_series_is_not_silent(runner: FlaskCliRunner, session: Session,
                                        tmp_path: Path) -> None:
    path = tmp_path / "hourly.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:h@x\r\n"
                     b"DTSTART:20270105T100000Z\r\nSUMMARY:Hourly\r\nRRULE:FREQ=HOURLY\r\n"
                     b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 0, result.output
    assert ("hourly.ics: 0 added, 0 updated, 0 unchanged; recurring series: 1 not imported"
            " (see the warnings).") in result.output
    assert ("warning: line 4 (UID 'h@x'): recurring series not imported: RRULE FREQ=HOURLY repeats"
            " more than once a day") in result.output


@pytest.mark.parametrize(("name", "content", "message"), [
    ("long.csv", HEADER + f'X1,"{"x" * 140_000}",2027-01-01,2027-01-02,,,,,\n',
     "nothing imported: long.csv: line 2: a cell is longer than 131,072 characters"),
    ("deep.json", "[" * 100_000 + "]" * 100_000,
     "nothing imported: deep.json: line 1 column 100000: not JSON: nested 100,000 levels deep"),
])
def test_a_long_cell_or_deep_json_is_a_located_refusal_not_a_traceback(
        runner: FlaskCliRunner, tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--body", "cbd"])
    assert result.exit_code == 1 and message in result.output, result.output
