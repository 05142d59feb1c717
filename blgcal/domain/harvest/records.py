"""What a parser returns, and how it says what is wrong and where."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from blgcal.domain.types import Event

# How a parser's warnings about recurring series begin, so reports can count them.
REFUSED = "recurring series not imported"
CUT = "recurring series cut"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located complaint about an input file: ``line 12: ...``."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ParseError(ValueError):
    """The input cannot be imported; nothing of it may be written.

    :param source: a file name or URL, shown first in the message.
    :param problems: every problem found, each with its line or item.
    """

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{source}: {shown}{more}")

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, list[Problem]]]:
        """Pickle by the arguments (a parse in a child process sends its errors back)."""
        return ParseError, (self.source, self.problems)


def series_summary(messages: Iterable[str]) -> str:
    """"recurring series: 2 not imported, 1 cut short (see the warnings)", or "" if none was."""
    found = list(messages)
    counts = [(sum(message.startswith(REFUSED) for message in found), "not imported"),
              (sum(message.startswith(CUT) for message in found), "cut short")]
    said = [f"{count} {what}" for count, what in counts if count]
    return f"recurring series: {', '.join(said)} (see the warnings)" if said else ""


@dataclass(frozen=True, slots=True)
class HarvestedItem:
    """One event as a source states it, keyed by the source's own identity.

    ``event.uid`` carries the source's UID until blgcal assigns its own.
    ``titles`` keeps every language the source offers, as (language, text).
    """

    external_uid: str
    event: Event
    recurrence_id: str | None = None
    titles: tuple[tuple[str, str], ...] = ()
    source_url: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseResult:
    items: tuple[HarvestedItem, ...]
    warnings: tuple[Problem, ...] = field(default=())
