"""Staff edits win over harvests: the merge decision, as a table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from blgcal.domain.harvest.merge import decide, state, vanish
from blgcal.domain.types import Event, Status

SAID = Event(uid="u", title="SBI-6", bodies=("cbd",), city="Rome",
             start_date=date(2026, 2, 16), end_date=date(2026, 2, 19))


def test_fields_nobody_touched_take_the_new_value() -> None:
    decision = decide(SAID, state(SAID), replace(SAID, city="Nairobi"))
    assert decision.event.city == "Nairobi" and decision.held == {}


def test_a_field_staff_changed_keeps_its_value_and_holds_the_source_value() -> None:
    edited = replace(SAID, title="SBI-6 (Rome)")
    decision = decide(edited, state(SAID), replace(SAID, title="SBI 6", city="Nairobi"))
    assert (decision.event.title, decision.event.city) == ("SBI-6 (Rome)", "Nairobi")
    assert decision.held == {"title": "SBI 6"}
    assert decision.harvested["title"] == "SBI-6"  # still staff's field next time


def test_dates_move_together() -> None:
    edited = replace(SAID, start_date=date(2026, 2, 15))
    decision = decide(edited, state(SAID), replace(SAID, end_date=date(2026, 2, 20)))
    assert (decision.event.start_date, decision.event.end_date) == (date(2026, 2, 15),
                                                                   date(2026, 2, 19))
    assert decision.held == {"start_date": "2026-02-16", "end_date": "2026-02-20"}


def test_a_vanished_item_is_cancelled_unless_staff_set_its_status() -> None:
    assert vanish(SAID, state(SAID)).event.status is Status.CANCELLED
    postponed = replace(SAID, status=Status.POSTPONED)
    decision = vanish(postponed, state(SAID))
    assert decision.event.status is Status.POSTPONED and decision.held == {"status": "cancelled"}
