"""Working days by country: its weekend and its public holidays (the ``holidays`` package).

Weekends differ: Saturday and Sunday in most countries, Friday and Saturday
in Saudi Arabia, Friday alone in Iran. The package knows each country's; a
country it does not cover keeps Saturday and Sunday and has no holidays.
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache

import holidays

from blgcal.domain.geo import public_holidays
from blgcal.domain.wording import listed

SATURDAY_SUNDAY = frozenset({5, 6})


@cache
def weekend(country: str) -> frozenset[int]:
    """The weekday numbers (Monday 0) of *country*'s weekend."""
    try:
        return frozenset(holidays.country_holidays(country.upper()).weekend)
    except NotImplementedError:
        return SATURDAY_SUNDAY


def holiday_name(country: str, day: date) -> str | None:
    return public_holidays(country, day.year).get(day)


def is_working_day(country: str, day: date) -> bool:
    return day.weekday() not in weekend(country) and holiday_name(country, day) is None


def weekend_words(country: str) -> str:
    """"Saturday and Sunday", as a sentence names a weekend."""
    return listed([calendar.day_name[number] for number in sorted(weekend(country))])
