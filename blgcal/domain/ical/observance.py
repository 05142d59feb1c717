"""International days as yearly all-day series (RFC 5545 3.8.5.3 RRULE)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from icalendar import Event as VEvent
from icalendar.prop import vRecur

from blgcal.domain.ical.content import body_label, web_uri
from blgcal.domain.ical.text import SafeCategories, SafeText, sanitize_text
from blgcal.domain.observances import occurrences, validate_rrule
from blgcal.domain.types import Observance

OBSERVANCE_CATEGORY = "International day"
# Eight years holds an occurrence of any yearly rule, even one on 29 February.
_SEARCH = timedelta(days=8 * 366)


def observance_uid(observance: Observance) -> str:
    """``observance-<slug>@blgcal``, the slug derived from the name if unset."""
    slug = observance.slug or re.sub(r"[^a-z0-9]+", "-", observance.name.lower()).strip("-")
    return f"observance-{slug}@blgcal"


def observance_component(observance: Observance, first_date: date, *,
                         stamp_dt: datetime) -> str:
    """Build one all-day VEVENT that repeats *observance* every year.

    DTSTART is the first occurrence on or after *first_date*. Pass a date
    that does not move with the clock (e.g. the start of the oldest year a
    feed shows) and a fixed *stamp_dt* (when the observance list last
    changed): then the bytes stay the same and clients do not see a change.

    :raises ValueError: if the rule is not yearly or never occurs.
    """
    validate_rrule(observance.rrule)
    found = occurrences(observance, first_date, first_date + _SEARCH)
    if not found:
        raise ValueError(f"{observance.name!r} does not occur after {first_date}")
    stamp = stamp_dt.astimezone(UTC).replace(microsecond=0)
    vevent = VEvent()
    vevent.add("uid", SafeText(observance_uid(observance)))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", found[0])
    vevent.add("dtend", found[0] + timedelta(days=1))  # exclusive, RFC 5545 3.6.1
    vevent.add("rrule", vRecur.from_ical(observance.rrule))
    vevent.add("summary", SafeText(sanitize_text(observance.name)))
    vevent.add("description", SafeText(_description(observance)))
    if uri := web_uri(observance.source_url):
        vevent.add("url", uri)
    vevent.add("categories", SafeCategories((OBSERVANCE_CATEGORY,)))
    vevent.add("status", "CONFIRMED")
    vevent.add("class", "PUBLIC")
    vevent.add("transp", "TRANSPARENT")
    text: bytes = vevent.to_ical(sorted=False)
    return text.decode("utf-8")


def _description(observance: Observance) -> str:
    """``Lead: CITES (CITES Secretariat)`` and the source, a blank line apart."""
    lead = f"Lead: {body_label(observance.lead_body)}"
    if observance.note:
        lead += f" ({sanitize_text(observance.note).strip()})"
    source = sanitize_text(observance.source_url or "").strip()
    return f"{lead}\n\n{source}" if source else lead
