"""Read every page of a paged source, and the deferred parts its records point to.

InforMEA's OData services page with ``__next`` or ``$top``/``$skip`` and may
defer titles to links of their own; the CBD's Solr index pages with
``rows``/``start``. Each page and each deferred part is fetched through the
guarded fetcher (:func:`blgcal.fetch.fetch`), one after the other, and the
walk is bounded: more than :data:`MAX_PAGES` pages or :data:`MAX_DEFERRED`
deferred parts fail the harvest with that reason rather than read forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from blgcal.domain.harvest import odata
from blgcal.domain.harvest.detect import next_url
from blgcal.domain.harvest.sources import SourceKind
from blgcal.fetch import FetchError

MAX_PAGES = 200
MAX_DEFERRED = 2000

GetPage = Callable[[str], bytes]


@dataclass(slots=True)
class Pages:
    """The pages after the first, and the deferred parts by URI."""

    more: list[bytes] = field(default_factory=list)
    deferred: dict[str, bytes] = field(default_factory=dict)

    def key_bytes(self) -> bytes:
        """What the content key covers besides the first page."""
        parts = [*self.more, *(uri.encode() + b"\n" + body
                               for uri, body in sorted(self.deferred.items()))]
        return b"\n".join(parts)


def read_pages(kind: SourceKind, url: str, first: bytes, get: GetPage) -> Pages:
    """Follow *first*'s next links, then fetch the deferred parts (InforMEA)."""
    pages, seen, current, data = Pages(), {url}, url, first
    while (following := next_url(kind, data, current)) is not None:
        if following in seen:
            break  # a server that links back: every page is read once
        if len(pages.more) + 1 >= MAX_PAGES:
            raise FetchError(url, f"more than {MAX_PAGES} pages; narrow the query"
                             " (a $filter, fewer rows) or raise the limit")
        seen.add(following)
        data = get(following)
        pages.more.append(data)
        current = following
    if kind == SourceKind.INFORMEA:
        uris = list(dict.fromkeys(uri for page in (first, *pages.more)
                                  for uri in odata.deferred_uris(page)))
        if len(uris) > MAX_DEFERRED:
            raise FetchError(url, f"{len(uris)} deferred titles or descriptions (limit"
                             f" {MAX_DEFERRED}); ask for them inline with $expand=title,description")
        pages.deferred = {uri: get(uri) for uri in uris}
    return pages
