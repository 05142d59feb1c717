"""What a harvest source is, what it does with what it stops listing, and how a run ends.

The database stores the values (``source.kind``, ``source.on_vanish``,
``harvest_run.status``, each under a CHECK constraint); the members compare
equal to them, as the event's :class:`~blgcal.domain.types.Kind` does.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class SourceKind(enum.StrEnum):
    """The format a source publishes, which picks its parser (:mod:`.detect`)."""

    ICS = "ics"
    CSV = "csv"
    INFORMEA = "informea"
    CBD = "cbd"

    @property
    def label(self) -> str:
        return SOURCE_KIND_LABELS[self]


SOURCE_KIND_LABELS = {
    SourceKind.ICS: "iCalendar feed (.ics)",
    SourceKind.CSV: "Spreadsheet (CSV, blgcal columns)",
    SourceKind.INFORMEA: "InforMEA meetings (OData JSON, D8 API, saved JSON)",
    SourceKind.CBD: "CBD meetings index (Solr JSON at api.cbd.int)",
}


class OnVanish(enum.StrEnum):
    """What becomes of an event whose item the source stops listing."""

    CANCEL = "cancel"
    KEEP = "keep"

    @property
    def label(self) -> str:
        return "Mark them cancelled" if self is OnVanish.CANCEL else "Keep them as they are"


class RunStatus(enum.StrEnum):
    """How a harvest run ended: written, nothing new (HTTP 304 or the same bytes), or failed."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


def spoken(values: Iterable[str]) -> str:
    """``ics, csv, informea or cbd``: the values as a sentence lists them."""
    said = list(values)
    return ", ".join(said[:-1]) + f" or {said[-1]}" if len(said) > 1 else "".join(said)
