"""An agenda's or a month's fingerprint moves whenever what it shows may have changed.

The page cache keeps a page through writes that leave its fingerprint as it was
(``blgcal.web.caches.cached``), so the one property that matters is: a write that
changes what :meth:`read` returns changes :meth:`fingerprint` too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.filters import EventFilter
from blgcal.domain.types import Visibility
from blgcal.models import Event
from blgcal.services.agenda import AgendaQuery, MonthQuery, PastQuery
from blgcal.services.event_rows import to_domain
from blgcal.services.events import delete_event, restore_event, save_event
from tests.support.feed_events import ACTOR, add, add_bodies

TODAY = date(2027, 3, 1)
AGENDA = AgendaQuery(EventFilter(per_page=3), TODAY, recent=2)
MARCH = MonthQuery(EventFilter(), 2027, 3)
VIEWS = (AGENDA, AgendaQuery(EventFilter(per_page=3, page=2), TODAY), MARCH,
         MonthQuery(EventFilter(bodies=("cites",)), 2027, 3),
         AgendaQuery(EventFilter(), TODAY, include_staff=True),
         PastQuery(EventFilter(per_page=2), TODAY), PastQuery(EventFilter(bodies=("cbd",)), TODAY))


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    add_bodies(session, ("cbd", "cites"))


def edit(session: Session, row: Event, **changes: object) -> None:
    save_event(session, replace(to_domain(row), **changes), now=datetime.now(UTC), actor=ACTOR,
               row=row)
    session.commit()


def on(day: date, length: int = 2) -> dict[str, date]:
    return {"start_date": day, "end_date": day + timedelta(days=length)}


def test_a_write_to_an_event_the_agenda_shows_moves_it_and_one_beyond_its_page_does_not(
        session: Session) -> None:
    # The page reads one row beyond its three, to learn that a next page follows.
    shown, *_, beyond = (add(session, **on(TODAY + timedelta(days=n))) for n in range(5))
    before = AGENDA.fingerprint(session)
    edit(session, beyond, title="Renamed beyond the first page")
    assert AGENDA.fingerprint(session) == before
    edit(session, shown, title="Renamed on the first page")
    assert AGENDA.fingerprint(session) != before


def test_an_agenda_with_nothing_ahead_follows_its_recent_past_meetings(session: Session) -> None:
    last = add(session, **on(TODAY - timedelta(days=10)))
    older = [add(session, **on(TODAY - timedelta(days=30 + n))) for n in range(2)]
    assert [e.id for e in AGENDA.read(session).recent] == [last.id, older[0].id]
    before = AGENDA.fingerprint(session)
    edit(session, older[1], title="Older than the recent ones")
    assert AGENDA.fingerprint(session) == before
    edit(session, last, title="The latest meeting, renamed")
    assert AGENDA.fingerprint(session) != before


def test_a_month_follows_events_moving_in_and_out_and_ignores_other_months(
        session: Session) -> None:
    inside = add(session, **on(date(2027, 3, 10)))
    april = add(session, **on(date(2027, 4, 20)))
    before = MARCH.fingerprint(session)
    edit(session, april, title="Still in April")
    assert MARCH.fingerprint(session) == before
    edit(session, april, **on(date(2027, 3, 25)))
    moved_in = MARCH.fingerprint(session)
    assert moved_in != before and april.id in {e.id for e in MARCH.read(session).events_by_day[
        date(2027, 3, 25)]}
    edit(session, inside, **on(date(2027, 5, 1)))
    assert MARCH.fingerprint(session) != moved_in


def test_hiding_a_parent_elsewhere_moves_its_child_s_month(session: Session) -> None:
    parent = add(session, **on(date(2027, 6, 1)))
    child = add(session, parent_id=parent.id, **on(date(2027, 3, 10)))
    before = MARCH.fingerprint(session)
    edit(session, parent, visibility=Visibility.STAFF)
    assert MARCH.fingerprint(session) != before
    shown = MARCH.read(session).events_by_day[date(2027, 3, 10)]
    assert [(e.id, e.parent_id) for e in shown] == [(child.id, None)]


CHANGES = st.one_of(
    st.builds(lambda n: {"title": f"Title {n}"}, st.integers(0, 3)),
    st.builds(lambda days, length: on(date(2027, 1, 20) + timedelta(days=days), length),
              st.integers(0, 100), st.integers(0, 5)),
    st.just({"start_date": None, "end_date": None, "expected": "2027"}),
    st.sampled_from([{"visibility": Visibility.STAFF}, {"visibility": Visibility.PUBLIC}]),
    st.sampled_from([{"bodies": ("cbd",)}, {"bodies": ("cites",)}, {"bodies": ("cbd", "cites")}]),
    st.sampled_from([{"country": "CA"}, {"country": "KE"}, {"tags": ("wetlands",)}, {"tags": ()}]),
    st.builds(lambda parent: {"parent": parent}, st.none() | st.integers(0, 7)),
    st.sampled_from([{"delete": True}, {"restore": True}]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 7), CHANGES), min_size=1, max_size=6))
def test_any_write_that_changes_what_a_page_shows_moves_its_fingerprint(
        session: Session, steps: list[tuple[int, dict[str, object]]]) -> None:
    rows = _eight_events(session)
    for index, change in steps:
        seen = [(view.read(session), view.fingerprint(session)) for view in VIEWS]
        _apply(session, rows, rows[index], dict(change))
        for view, (shown, fingerprint) in zip(VIEWS, seen, strict=True):
            if view.read(session) != shown:
                assert view.fingerprint(session) != fingerprint, (view, change)


def _eight_events(session: Session) -> list[Event]:
    """The same eight events across the examples (hypothesis reuses the test's database)."""
    found = list(session.scalars(select(Event).order_by(Event.id)))
    while len(found) < 8:
        found.append(add(session, **on(date(2027, 2, 20) + timedelta(days=9 * len(found)))))
    return found


def _apply(session: Session, rows: list[Event], row: Event, change: dict[str, object]) -> None:
    now = datetime.now(UTC)
    if change.pop("delete", False):
        delete_event(session, row, now=now, actor=ACTOR)
    elif change.pop("restore", False):
        restore_event(session, row, now=now, actor=ACTOR)
    elif "parent" in change:
        parent = change.pop("parent")
        parent_id = rows[parent].id if isinstance(parent, int) and rows[parent] is not row else None
        edit(session, row, parent_id=parent_id)
    else:
        edit(session, row, **change)
    session.commit()
