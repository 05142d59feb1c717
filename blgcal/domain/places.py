"""Countries and time zones: validation and display names (ISO 3166, IANA)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import pycountry


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone this machine's tz database knows."""
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in zone_names()


def country_name(code: str | None) -> str:
    """The English short name for an ISO 3166 alpha-2 code, or the code itself."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or (country.name if country else code)


def is_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) for every country, sorted by name, for pickers."""
    pairs = [(c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))
