"""What a parse says of each UID, and where in the file that UID first stands."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from blgcal.domain.harvest.records import Problem


@dataclass(slots=True)
class Notes:
    """The warnings of each UID, in the order found, and the line each UID starts on.

    ``where`` maps a UID to ``line N`` (its first VEVENT's BEGIN).
    """

    where: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def place(self, uid: str) -> str:
        """``line 12 (UID 'x')``: where a problem of *uid* is, for a :class:`Problem`."""
        return f"{self.where.get(uid, '')} (UID {uid!r})".lstrip()

    def problems(self) -> tuple[Problem, ...]:
        """Every warning once, located, by UID in the order the UIDs were noted."""
        return tuple(Problem(self.place(uid), text)
                     for uid, texts in self.warnings.items() for text in dict.fromkeys(texts))
