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
