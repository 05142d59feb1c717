"""How explanations name bodies, kinds and international days."""

from __future__ import annotations

import csv
from datetime import date
from importlib.resources import files

import pytest

from blgcal.domain.types import Event
from blgcal.domain.wording import body_name, describe_day, describe_event, finding_kind_label


def test_every_body_is_named_as_its_shipped_short_name() -> None:
    """"led by RAMSAR" stood beside "Ramsar": one spelling of each body everywhere."""
    with (files("blgcal") / "seed" / "bodies.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(body_name(row["slug"]) == row["short_name"] for row in rows)


@pytest.mark.parametrize(("value", "label"), [
    ("co_location", "Co-location"), ("side_event", "Side event"), ("unknown_city", "Unknown city"),
    ("convening", "Convening"),
])
def test_finding_kinds_read_as_words(value: str, label: str) -> None:
    assert finding_kind_label(value) == label


@pytest.mark.parametrize(("name", "day", "lead", "led", "text"), [
    ("World Migratory Bird Day (May)", date(2027, 5, 8), "cms", False,
     "World Migratory Bird Day (8 May 2027, CMS)"),
    ("World Migratory Bird Day (October)", date(2026, 10, 10), "cms", True,
     "World Migratory Bird Day (10 Oct 2026, led by CMS)"),
    ("International Day for Monuments and Sites (World Heritage Day)", date(2027, 4, 18), "whc",
     False, "International Day for Monuments and Sites (World Heritage Day, 18 Apr 2027, WHC)"),
    ("World Wetlands Day", date(2027, 2, 2), "ramsar", True,
     "World Wetlands Day (2 Feb 2027, led by Ramsar)"),
])
def test_an_international_day_on_a_date_opens_one_pair_of_brackets(
        name: str, day: date, lead: str, led: bool, text: str) -> None:
    assert describe_day(name, day, lead, led=led) == text


def test_an_event_with_a_bracketed_name_opens_one_pair_of_brackets() -> None:
    event = Event(uid="x", title="Resumed session", code="CBD COP16 (resumed)", bodies=("cbd",),
                  start_date=date(2025, 2, 25), end_date=date(2025, 2, 27), city="Rome")
    assert describe_event(event) == "CBD COP16 (resumed, Rome, 25\u201327 Feb 2025)"
