"""When two listings are the same meeting: the rule harvests merge by.

Two dated events are compared only when their days overlap (at the venue).
Then:

- **same** (merged without asking): the same normalised code, or the same
  normalised title, *and* the same city;
- **maybe** (an editor decides): the same code or title but a different or
  unknown city, or titles that share at least :data:`SIMILAR` of their words
  in the same city.

Normalising lower-cases, strips accents and punctuation and drops filler
words, so "CITES CoP20" and "cites cop-20" are one code and "The 7th session
of the UN Environment Assembly" matches "7th Session of UN Environment
Assembly". Undated events never match: without dates there is no evidence.

:class:`Candidates` finds the pairs without comparing every new listing with
every existing event: events are filed by key and by week, so a listing meets
only those sharing a key and a week with it, however many there are.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from blgcal.domain.types import Event

SIMILAR = 0.6
#: Width in days of the date buckets :class:`Candidates` files events under.
BUCKET_DAYS = 7
FILLER = frozenset({"the", "of", "and", "on", "for", "in", "to", "a", "an", "at", "de", "la",
                    "le", "des", "du", "et", "el", "y", "meeting"})


class DuplicateState(enum.StrEnum):
    """Where a listed pair stands: for an editor to decide, merged, or judged different meetings."""

    OPEN = "open"
    MERGED = "merged"
    DISTINCT = "distinct"


@dataclass(frozen=True, slots=True)
class Verdict:
    """``same`` merges; otherwise the pair goes on the possible-duplicates list."""

    same: bool
    reason: str


@lru_cache(maxsize=65536)  # a harvest compares the same titles and cities many times
def words(text: str | None) -> tuple[str, ...]:
    """Lower-case ASCII words of *text*, filler words left out."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return tuple(w for w in re.findall(r"[a-z0-9]+", ascii_text.lower()) if w not in FILLER)


def code_key(code: str | None) -> str | None:
    """``CITES CoP20`` -> ``citescop20``; None when there is no code."""
    key = "".join(words(code))
    return key or None


def title_key(title: str | None) -> str | None:
    key = " ".join(words(title))
    return key or None


def city_key(city: str | None) -> str | None:
    key = " ".join(words(city))
    return key or None


def overlap(a: Event, b: Event) -> bool:
    """Whether the events' local days overlap (undated events never do)."""
    days_a, days_b = a.local_days(), b.local_days()
    if days_a is None or days_b is None:
        return False
    return days_a[0] <= days_b[1] and days_b[0] <= days_a[1]


def similarity(a: str | None, b: str | None) -> float:
    """Share of title words in common (Jaccard)."""
    left, right = set(words(a)), set(words(b))
    return len(left & right) / len(left | right) if left and right else 0.0


def compare(a: Event, b: Event) -> Verdict | None:
    """Judge whether *a* and *b* are one meeting; None when clearly not."""
    if not overlap(a, b):
        return None
    same_city = city_key(a.city) is not None and city_key(a.city) == city_key(b.city)
    identity = _identity(a, b)
    if identity and same_city:
        return Verdict(True, f"same {identity}, overlapping dates, same city")
    if identity:
        return Verdict(False, f"same {identity} and overlapping dates, but the city"
                              f" differs or is unknown ({a.city or '?'} / {b.city or '?'})")
    if same_city and similarity(a.title, b.title) >= SIMILAR:
        return Verdict(False, "similar titles, overlapping dates, same city")
    return None


def _identity(a: Event, b: Event) -> str | None:
    if code_key(a.code) is not None and code_key(a.code) == code_key(b.code):
        return "code"
    if title_key(a.title) is not None and title_key(a.title) == title_key(b.title):
        return "title"
    return None


class Candidates:
    """Dated events a new listing may duplicate, filed by code, title and city, and by week.

    :func:`compare` needs overlapping days and a shared code, title or city,
    so an event is filed under each of its keys in every week its days touch,
    and a listing looks only under its own keys in its own weeks. The answer
    is exactly that of comparing the listing with every event.
    """

    def __init__(self, events: Iterable[Event]) -> None:
        self._index: dict[tuple[str, str, int], list[Event]] = defaultdict(list)
        for event in events:
            if event.id is not None:
                for key in _filing(event):
                    self._index[key].append(event)

    def match(self, event: Event, *, taken: set[int]) -> tuple[Event, Verdict] | None:
        """The best match for *event* outside *taken*: a sure one first, then the lowest id."""
        found = {c.id: c for key in _filing(event) for c in self._index.get(key, ())
                 if c.id not in taken}
        verdicts = [(c, v) for c in found.values() if (v := compare(event, c)) is not None]
        return min(verdicts, key=lambda pair: (not pair[1].same, pair[0].id or 0), default=None)


def _filing(event: Event) -> Iterator[tuple[str, str, int]]:
    """The (key name, key, week) places *event* is filed under; none when undated."""
    days = event.local_days()
    if days is None:
        return
    keys = [(name, value) for name, value in (("code", code_key(event.code)),
                                              ("title", title_key(event.title)),
                                              ("city", city_key(event.city))) if value is not None]
    for week in range(days[0].toordinal() // BUCKET_DAYS, days[1].toordinal() // BUCKET_DAYS + 1):
        for name, value in keys:
            yield name, value, week
