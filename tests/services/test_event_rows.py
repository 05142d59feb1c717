"""The event's mapping lives once, and names every column of the table."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event
from blgcal.services import event_rows, queries

pytestmark = pytest.mark.usefixtures("seeded")


def test_every_column_of_the_event_table_is_mapped_or_declared_row_only() -> None:
    named = (*event_rows.BOOKKEEPING, *event_rows.PLAIN_FIELDS, *event_rows.DERIVED, *event_rows.ROW_ONLY)
    assert len(named) == len(set(named))
    assert sorted(named) == sorted(column.name for column in Event.__table__.columns)


def test_a_plain_row_and_an_orm_row_give_the_same_domain_event(session: Session) -> None:
    rows = session.scalars(select(Event).order_by(Event.id)).all()
    plain = queries.load(session, select(*event_rows.COLUMNS).order_by(Event.id))
    assert len(rows) > 40
    assert plain == event_rows.to_domain_all(rows)


def test_the_values_an_edit_writes_are_those_the_row_holds(session: Session) -> None:
    for row in session.scalars(select(Event)):
        written = event_rows.content_values(event_rows.to_domain(row))
        assert written == {name: getattr(row, name) for name in written}, row.uid
