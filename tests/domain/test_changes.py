from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from blgcal.domain.changes import changed_fields, content_hash, is_material_change
from blgcal.domain.types import Event, Status

BASE = Event(uid="u", title="CITES CoP20", bodies=("cites",), start_date=date(2025, 11, 24),
             end_date=date(2025, 12, 5), city="Samarkand", country="UZ")


@pytest.mark.parametrize("change", [
    {"title": "CITES CoP 20"}, {"status": Status.CANCELLED}, {"start_date": date(2025, 11, 23)},
    {"end_date": date(2025, 12, 6)}, {"city": "Tashkent"}, {"country": "KZ"},
    {"venue": "Congress Center"}, {"online": True}, {"timezone": "Asia/Tashkent"},
])
def test_time_place_status_and_title_are_material(change: dict[str, object]) -> None:
    assert is_material_change(BASE, replace(BASE, **change))  # type: ignore[arg-type]


@pytest.mark.parametrize("change", [
    {"description": "Agenda online"}, {"tags": ("trade",)}, {"url": "https://cites.org"},
])
def test_descriptive_changes_are_not_material_but_are_changes(change: dict[str, object]) -> None:
    after = replace(BASE, **change)  # type: ignore[arg-type]
    assert not is_material_change(BASE, after)
    assert set(changed_fields(BASE, after)) == set(change)


def test_bookkeeping_does_not_change_the_content_hash() -> None:
    stamped = replace(BASE, id=7, uid="other", sequence=4,
                      updated_dt=datetime(2026, 1, 1, tzinfo=UTC))
    assert content_hash(stamped) == content_hash(BASE)
    assert changed_fields(BASE, stamped) == {}
    assert content_hash(replace(BASE, description="x")) != content_hash(BASE)
