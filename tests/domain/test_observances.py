"""The shipped yearly rules give exactly the dates the sources list for 2025-2027."""

import csv
from collections import defaultdict
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from blgcal.domain.harvest.seed_csv import parse_observances
from blgcal.domain.observances import occurrences, upcoming, validate_rrule
from blgcal.domain.types import Observance

DATA = Path(__file__).parents[1] / "data" / "observance_dates_2025_2027.csv"


def shipped() -> list[Observance]:
    text = (files("blgcal") / "seed" / "observances.csv").read_text(encoding="utf-8")
    return parse_observances(text, source="observances.csv",
                             known_bodies=frozenset({"ramsar", "cites", "whc", "cms", "ippc",
                                                     "cbd", "unep", "un", "unesco"}))


def expected_dates() -> dict[str, list[date]]:
    found: dict[str, list[date]] = defaultdict(list)
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found[row["name"].split(" (")[0]].append(date.fromisoformat(row["date"]))
    return found


def test_every_shipped_rule_reproduces_the_listed_dates() -> None:
    listed = expected_dates()
    by_name: dict[str, list[date]] = defaultdict(list)
    for observance in shipped():
        by_name[observance.name.split(" (")[0]] += occurrences(
            observance, date(2025, 1, 1), date(2027, 12, 31))
    assert len(listed) >= 9
    for name, days in listed.items():
        assert sorted(by_name[name]) == sorted(days), name


def test_second_saturday_of_may_moves_with_the_calendar() -> None:
    day = Observance("World Migratory Bird Day", "FREQ=YEARLY;BYMONTH=5;BYDAY=2SA", "cms")
    assert occurrences(day, date(2025, 1, 1), date(2027, 12, 31)) == [
        date(2025, 5, 10), date(2026, 5, 9), date(2027, 5, 8)]


def test_upcoming_days_start_from_today_in_date_order() -> None:
    days = upcoming(tuple(shipped()), date(2026, 11, 27), limit=3)
    assert [(d, o.name) for d, o in days] == [
        (date(2027, 2, 2), "World Wetlands Day"),
        (date(2027, 3, 3), "World Wildlife Day"),
        (date(2027, 4, 18), "International Day for Monuments and Sites (World Heritage Day)"),
    ]


@pytest.mark.parametrize("rule", ["FREQ=DAILY", "FREQ=YEARLY;BYMONTH=13", "nonsense"])
def test_rules_that_are_not_yearly_or_not_valid_are_refused(rule: str) -> None:
    with pytest.raises(ValueError):
        validate_rrule(rule)
