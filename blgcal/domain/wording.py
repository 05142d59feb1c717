"""How explanations name days, events, audiences and lists, in English."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from blgcal.domain.types import Event

#: Short names that are words, not acronyms (``blgcal/seed/bodies.csv`` agrees: a test checks).
WORD_NAMES = {"ramsar": "Ramsar"}
#: Kinds of clashes and opportunities whose name is not their value with spaces.
KIND_LABELS = {"co_location": "Co-location"}
_QUALIFIER = re.compile(r"^(?P<name>.+?)\s*\((?P<note>[^()]+)\)$")


def body_name(slug: str) -> str:
    """A body's short name from its slug: "CBD", "Ramsar"."""
    return WORD_NAMES.get(slug, slug.upper())


def finding_kind_label(value: str) -> str:
    """A finding kind for people: ``co_location`` -> "Co-location"."""
    return KIND_LABELS.get(value, value.replace("_", " ").capitalize())


def describe_day(name: str, day: date, lead_body: str, *, led: bool = False) -> str:
    """An international day on a date: "World Wetlands Day (2 Feb 2027, Ramsar)".

    A note in the name's own brackets joins the date's rather than opening a
    second pair, and is dropped when it only names the month: "World Migratory
    Bird Day (May)" on 8 May reads "World Migratory Bird Day (8 May 2027, CMS)".
    """
    lead = f"led by {body_name(lead_body)}" if led else body_name(lead_body)
    return bracketed(name, [format_day(day), lead], drop=f"{day:%B}")


def bracketed(name: str, notes: Sequence[str], *, drop: str = "") -> str:
    """*name* followed by *notes* in one pair of brackets, joining a pair it ends with.

    "CBD COP16 (resumed)" with "Rome" reads "CBD COP16 (resumed, Rome)"; a
    bracketed note equal to *drop* is left out.
    """
    match = _QUALIFIER.match(name)
    if match:
        name, notes = match["name"], [*([match["note"]] if match["note"] != drop else []), *notes]
    return f"{name} ({', '.join(notes)})"


def listed(words: Sequence[str]) -> str:
    """Join words as a sentence does: "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_audience(tags: Iterable[str]) -> str:
    """Name the tags for a sentence: "heads of secretariat and bureau members"."""
    return listed([tag.replace("_", " ") for tag in sorted(tags)])


def plural(count: int, noun: str) -> str:
    """"1 day", "2 days"."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def format_day(day: date) -> str:
    """"25 Nov 2025"."""
    return f"{day.day} {day:%b %Y}"


def format_days(first: date, last: date) -> str:
    """A compact inclusive range: "24–29 Nov 2025", "24 Nov–5 Dec 2025"."""
    if first == last:
        return format_day(first)
    if first.year != last.year:
        return f"{format_day(first)}\u2013{format_day(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%b}\u2013{format_day(last)}"
    return f"{first.day}\u2013{format_day(last)}"


def event_name(event: Event) -> str:
    """The code, or the title, prefixed with the body unless it already says it.

    "SBSTTA-27" becomes "CBD SBSTTA-27"; "CITES CoP20" stays as it is.
    """
    name = event.code or event.title
    missing = [body_name(body) for body in event.bodies if body.lower() not in name.lower()]
    return " ".join([*missing, name]) if len(missing) == len(event.bodies) else name


def describe_event(event: Event) -> str:
    """"CITES CoP20 (Samarkand, 24 Nov–5 Dec 2025)", as explanations name events;
    "CBD COP16 (resumed, Rome, 25–27 Feb 2025)"."""
    where = event.city or ("online" if event.online else "place to be announced")
    days = event.local_days()
    when = format_days(*days) if days else "dates to be announced"
    return bracketed(event_name(event), [where, when])
