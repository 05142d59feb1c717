"""Every write path keeps the event columns it does not change (issue #10, item 1).

Fixing CMS COP15's end date through the form used to blank its ``source_url``.
The columns are read from the model, so a column added later is covered
without touching this file: it gets a value made from its type, and each
write path below must keep it.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from blgcal.domain.types import Kind, Status, Visibility
from blgcal.models import Event, Revision, User

from ..conftest import AuthActions
from ..support.html_forms import as_data, form_pairs

pytestmark = pytest.mark.usefixtures("seeded")

COLUMNS = tuple(attr.key for attr in inspect(Event).column_attrs)
# Moved by every write that changes something: the record of the write itself.
BOOKKEEPING = frozenset({"sequence", "version", "updated_dt", "ical", "ical_tzids"})
# Columns that need a valid value; every other column gets one made from its type.
CONSTRAINED: dict[str, Any] = {
    "kind": Kind.GOVERNING_BODY, "status": Status.TENTATIVE, "visibility": Visibility.STAFF,
    "start_date": date(2026, 3, 23), "end_date": date(2026, 3, 28), "start_dt": None,
    "end_dt": None, "timezone": "America/Campo_Grande", "country": "BR",
    "url": "https://www.cms.int/en/meeting/cop15",
    "source_url": "https://www.cms.int/en/news/press-release-brazil-host-cmscop15",
    # Shown by the form, but lossily: folded to lower case and sorted when submitted.
    "audience": ["Heads", "focal_points"], "expected": "2026-03", "deleted_dt": None,
    "created_dt": datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
}
UNTOUCHED = frozenset({"id", "uid", "first_date", "last_date", *BOOKKEEPING})


def made_up(name: str) -> Any:
    """A value for column *name* that no write path would produce by itself."""
    column = Event.__table__.columns[name]
    kind = column.type.python_type
    if kind is str:
        return f"Kept {name} value"[: getattr(column.type, "length", None) or None]
    if kind is bool:
        return True
    if kind is list:
        return [f"kept_{name}"]
    if kind is datetime:
        return datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    if kind is date:
        return date(2025, 1, 2)
    return 7


def columns(session: Session, event_id: int) -> dict[str, Any]:
    session.expire_all()
    row = session.get(Event, event_id)
    assert row is not None
    return {name: getattr(row, name) for name in COLUMNS}


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in COLUMNS if before[name] != after[name]}


@pytest.fixture
def cop15(session: Session) -> int:
    """CMS COP15 as shipped, then every column given a value, within a parent meeting."""
    umbrella = Event(uid="umbrella@test", title="Umbrella conference", kind=Kind.CONFERENCE,
                     status=Status.CONFIRMED, start_date=date(2026, 3, 1),
                     end_date=date(2026, 3, 31), first_date=date(2026, 3, 1),
                     last_date=date(2026, 3, 31), created_dt=datetime.now(UTC),
                     updated_dt=datetime.now(UTC))
    session.add(umbrella)
    session.flush()
    row = session.scalars(select(Event).where(Event.code == "CMS COP15")).one()
    for name in COLUMNS:
        if name not in UNTOUCHED:
            setattr(row, name, CONSTRAINED.get(name, made_up(name)))
    row.parent_id, row.code, row.title = umbrella.id, "CMS COP15", "15th meeting of the COP"
    row.first_date, row.last_date = row.start_date, row.end_date
    session.commit()
    return row.id


@pytest.fixture
def cms_editor(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("cms@blg.int", role="editor", bodies=["cms"])
    auth.login("cms@blg.int")
    return auth


def submit_form(editor: AuthActions, event_id: int, **changes: str) -> Any:
    """Open the edit form, change *changes* as a person would, submit it."""
    page = editor.client.get(f"/events/{event_id}/edit").get_data(as_text=True)
    return editor.client.post(f"/events/{event_id}/edit",
                              data=as_data(form_pairs(page, "event-form"), **changes))


def test_every_column_gets_a_value_that_differs_from_what_a_save_would_write() -> None:
    assert "source_url" in COLUMNS and len(COLUMNS) > 20
    for name in set(COLUMNS) - UNTOUCHED - set(CONSTRAINED):
        assert made_up(name) not in (None, "", [], False)


def test_fixing_a_date_through_the_form_changes_that_date_and_nothing_else(
        cms_editor: AuthActions, session: Session, cop15: int) -> None:
    before = columns(session, cop15)
    assert submit_form(cms_editor, cop15, end_date="2026-03-29").status_code == 302
    after = columns(session, cop15)
    assert changed(before, after) - BOOKKEEPING == {"end_date", "last_date"}
    assert after["source_url"] == CONSTRAINED["source_url"]
    history = cms_editor.client.get(f"/events/{cop15}/history").get_data(as_text=True)
    assert "source url" not in history


def test_saving_the_form_untouched_changes_no_column_at_all(
        cms_editor: AuthActions, session: Session, cop15: int) -> None:
    before = columns(session, cop15)
    assert submit_form(cms_editor, cop15).status_code == 302
    assert changed(before, columns(session, cop15)) == set()


def test_checking_clashes_writes_nothing(cms_editor: AuthActions, session: Session,
                                         cop15: int) -> None:
    before = columns(session, cop15)
    response = submit_form(cms_editor, cop15, end_date="2026-03-29", check="1")
    assert response.status_code == 200 and "Clashes if saved as it stands" in response.text
    assert changed(before, columns(session, cop15)) == set()


def test_cancel_and_revert_change_only_what_they_say(cms_editor: AuthActions, session: Session,
                                                     cop15: int) -> None:
    submit_form(cms_editor, cop15, end_date="2026-03-29")
    edited = columns(session, cop15)
    saved = session.scalar(select(func.max(Revision.id)).where(Revision.event_id == cop15))
    cms_editor.post(f"/events/{cop15}/cancel", {"confirm": "1"})
    assert changed(edited, columns(session, cop15)) - BOOKKEEPING == {"status"}
    cms_editor.post(f"/events/{cop15}/revert/{saved}", {"confirm": "1"})
    assert changed(edited, columns(session, cop15)) - BOOKKEEPING == set()


def test_an_import_keeps_the_columns_its_file_does_not_carry(
        runner: FlaskCliRunner, session: Session, cop15: int, tmp_path: Path) -> None:
    path = tmp_path / "cms.csv"
    header = "body,code,title,start,end,city,country\n"
    path.write_text(header + "cms,CMS COP15,15th meeting of the COP,2026-03-23,2026-03-28,"
                    "Campo Grande,BR\n", encoding="utf-8")
    before = columns(session, cop15)
    assert runner.invoke(args=["import", str(path), "--body", "cms"]).exit_code == 0
    assert changed(before, columns(session, cop15)) == set(), "attaching a source wrote"
    path.write_text(header + "cms,CMS COP15,15th COP of CMS,2026-03-23,2026-03-28,"
                    "Campo Grande,BR\n", encoding="utf-8")
    assert runner.invoke(args=["import", str(path), "--body", "cms"]).exit_code == 0
    assert changed(before, columns(session, cop15)) - BOOKKEEPING == {"title"}
