"""What a clash is: its kind, severity, events and the facts that explain it."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Protocol

from blgcal.domain.changes import material_fields
from blgcal.domain.geo import TravelRules
from blgcal.domain.types import Event


class Severity(enum.StrEnum):
    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


class ClashKind(enum.StrEnum):
    OVERLAP = "overlap"
    TRAVEL = "travel"
    HOLIDAY = "holiday"
    SIDE_EVENT = "side_event"
    UNKNOWN_CITY = "unknown_city"
    CROWDED = "crowded"


@dataclass(frozen=True, slots=True)
class ClashRules:
    """What to look for; the defaults are described in :mod:`blgcal.domain.clashes`.

    :param travel: journey lengths, see :class:`blgcal.domain.geo.TravelRules`.
    :param max_per_event: cap on listed pairwise clashes per event and kind.
    """

    kinds: frozenset[ClashKind] = frozenset(ClashKind)
    travel: TravelRules = TravelRules()  # noqa: RUF009 (frozen, so sharing is safe)
    max_per_event: int = 4


class Facts(Protocol):
    """What a rule found beyond the events themselves; hashable, as tuples are."""

    def explain(self, events: tuple[Event, ...]) -> str:
        """Say in one sentence why *events* clash."""
        ...  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Clash:
    """Events that should not coincide, and why.

    The rule stores its findings in *facts*; the sentence is written only when
    :attr:`explanation` is read, as most clashes of a big calendar never are.
    """

    kind: ClashKind
    severity: Severity
    events: tuple[Event, ...]
    facts: Facts

    @property
    def explanation(self) -> str:
        """Why the events clash, in one sentence naming them."""
        return self.facts.explain(self.events)

    @property
    def key(self) -> str:
        """Stable identity for acknowledging: kind plus sorted event uids."""
        return f"{self.kind}:" + "+".join(sorted(event.uid for event in self.events))

    @property
    def fingerprint(self) -> str:
        """The key plus each event's material fields: changes when they do.

        An acknowledged clash whose fingerprint no longer matches is shown
        again, because one of its events moved or changed.
        """
        parts = [self.key] + [repr((e.uid, material_fields(e)))
                              for e in sorted(self.events, key=lambda e: e.uid)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


_SEVERITY_RANK = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}
_KIND_RANK = {kind: rank for rank, kind in enumerate(sorted(ClashKind))}


class Found:
    """Clashes as the rules find them, each with its place in the output.

    The place is an integer (earliest local day, then severity, then kind),
    kept in a list beside the clashes rather than in a tuple with each: a big
    calendar has tens of thousands of clashes, and fewer live objects mean
    fewer garbage-collector passes over the whole heap.
    """

    def __init__(self) -> None:
        self._keys: list[int] = []
        self._clashes: list[Clash] = []

    def add(self, first: int, clash: Clash) -> None:
        """Record *clash*; *first* is the ordinal of its events' earliest local day."""
        self._keys.append(first * 64 + _SEVERITY_RANK[clash.severity] * 8
                          + _KIND_RANK[clash.kind])
        self._clashes.append(clash)

    def ordered(self) -> list[Clash]:
        """The clashes by place; ties keep the order they were found in."""
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        return [self._clashes[n] for n in order]
