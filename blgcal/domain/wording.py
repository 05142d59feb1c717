"""How explanations name days, events, audiences and lists, in English."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from blgcal.domain.types import Event


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
    missing = [body.upper() for body in event.bodies if body.lower() not in name.lower()]
    return " ".join([*missing, name]) if len(missing) == len(event.bodies) else name


def describe_event(event: Event) -> str:
    """"CITES CoP20 (Samarkand, 24 Nov–5 Dec 2025)", as explanations name events."""
    where = event.city or ("online" if event.online else "place to be announced")
    days = event.local_days()
    when = format_days(*days) if days else "dates to be announced"
    return f"{event_name(event)} ({where}, {when})"
