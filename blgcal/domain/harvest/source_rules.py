"""What a source's own settings change in what it gave: zone and exclusions.

- **Zone.** Indico exports times in UTC and names no zone; other feeds do the
  same. A timed item without a zone gets the source's zone, else its venue
  city's (from the gazetteer), so pages show local times. The instant never
  changes, only the zone it is shown in.
- **Exclusions.** Title patterns, one a line, ``*`` matching anything and
  case ignored ("*Conference Invitees*"), leave items out: Indico lists
  registration shells ("SB 64: Conference Invitees") as events.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from fnmatch import translate

from blgcal.domain import geo
from blgcal.domain.harvest.records import HarvestedItem, ParseResult


def patterns(text: str | None) -> list[re.Pattern[str]]:
    """The exclusion patterns of a source's setting (blank lines and ``#`` comments aside)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return [re.compile(translate(line), re.IGNORECASE) for line in lines
            if line and not line.startswith("#")]


def apply_rules(result: ParseResult, *, zone: str | None,
                exclude: Iterable[re.Pattern[str]]) -> tuple[ParseResult, list[HarvestedItem]]:
    """The result with zones filled in and excluded items taken out, and those excluded."""
    rules = list(exclude)
    kept: list[HarvestedItem] = []
    left_out: list[HarvestedItem] = []
    for item in result.items:
        if any(rule.match(item.event.title) for rule in rules):
            left_out.append(item)
        else:
            kept.append(_zoned(item, zone))
    return ParseResult(tuple(kept), result.warnings), left_out


def _zoned(item: HarvestedItem, zone: str | None) -> HarvestedItem:
    event = item.event
    if event.start_dt is None or event.timezone:
        return item
    place = geo.locate(event.city, event.country)
    found = zone or (place.timezone if place else None)
    if not found:
        return item
    return dataclasses.replace(item, event=dataclasses.replace(event, timezone=found))
