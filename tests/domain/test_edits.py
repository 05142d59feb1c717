"""Only what a person changed in a form is saved: ``domain.edits``."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from blgcal.domain.edits import UNITS, apply_edits, differences, edited_fields
from blgcal.domain.types import Event

STORED = Event(uid="u", id=4, title="CMS COP15", bodies=("cms",), city="Campo Grande",
               start_date=date(2026, 3, 23), end_date=date(2026, 3, 29), expected="2026-03",
               source_url="https://www.cms.int/cop15", tags=("Flyways",), sequence=2)
# As the form shows it: no source, tags folded, no window for a dated event.
SHOWN = replace(STORED, id=None, source_url=None, tags=("flyways",), expected=None, sequence=0)


def test_every_field_of_the_event_is_in_one_unit_bookkeeping_aside() -> None:
    named = [name for unit in UNITS for name in unit]
    assert len(named) == len(set(named))
    assert set(named) == {f.name for f in fields(Event)} - {"id", "uid", "sequence", "updated_dt"}


def test_a_field_the_form_does_not_show_keeps_its_value() -> None:
    saved = apply_edits(STORED, SHOWN, replace(SHOWN, end_date=date(2026, 3, 28)))
    assert saved == replace(STORED, end_date=date(2026, 3, 28))


def test_a_field_shown_lossily_but_not_touched_keeps_its_exact_value() -> None:
    assert apply_edits(STORED, SHOWN, SHOWN) is STORED


def test_switching_to_times_replaces_the_dates_as_one_unit() -> None:
    start = datetime(2026, 3, 24, 17, tzinfo=UTC)
    timed = replace(SHOWN, start_date=None, end_date=None, start_dt=start,
                    end_dt=start.replace(hour=18))
    saved = apply_edits(STORED, SHOWN, timed)
    assert (saved.start_date, saved.end_date, saved.start_dt) == (None, None, start)
    assert saved.expected == "2026-03" and saved.source_url == STORED.source_url


def test_differences_name_both_peoples_changes_and_flag_the_overlap() -> None:
    found = STORED
    stored = replace(STORED, city="Bonito", end_date=date(2026, 3, 27))
    submitted = replace(SHOWN, end_date=date(2026, 3, 28), description="Opening Monday")
    rows = {row.name: row for row in differences(found, stored, SHOWN, submitted)}
    assert set(rows) == {"end_date", "city", "description"}
    assert rows["end_date"].mine and rows["end_date"].theirs
    assert rows["city"].theirs and not rows["city"].mine
    assert rows["description"].yours == "Opening Monday" and not rows["description"].theirs


@given(st.text(max_size=20), st.sampled_from([f.name for f in fields(Event)
                                               if f.name in {"title", "city", "venue", "url",
                                                             "description", "code"}]))
def test_whatever_one_text_field_becomes_only_it_changes(text: str, name: str) -> None:
    submitted = replace(SHOWN, **{name: text if name == "title" else text or None})
    saved = apply_edits(STORED, SHOWN, submitted)
    assert {f.name for f in fields(Event) if getattr(saved, f.name) != getattr(STORED, f.name)} \
        <= {name}
    assert set(edited_fields(SHOWN, submitted)) <= {name}
