"""Subscribe links for a feed: the https address, webcal, Google, Outlook (personal and
work or school accounts), a QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlencode

import segno
from flask import current_app, request, url_for

# Google refuses longer subscription addresses.
MAX_URL = 255


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """Everything the subscribe page shows for one feed."""

    name: str
    path: str
    https: str
    webcal: str
    google: str
    outlook: str
    outlook_work: str
    qr: str

    @property
    def too_long(self) -> bool:
        return len(self.https) > MAX_URL


def base_url() -> str:
    """``BASE_URL`` when configured (links made for the public), else this request's root."""
    return str(current_app.config.get("BASE_URL") or request.url_root).rstrip("/")


def links_for(name: str, path: str, *, qr_inline: bool = False) -> FeedLinks:
    """Links for the feed at *path* (``/feeds/all.ics``, with its query string).

    *qr_inline* gives the QR code as a ``data:`` URI instead of a link to
    :func:`qr_svg`: used for private addresses, so the token never travels
    in another URL (and never lands in a log).
    """
    https = base_url() + path
    webcal = "webcal://" + https.split("://", 1)[1]
    # Google stores the cid verbatim; a webcal:// cid syncs nothing, so give it https.
    google = "https://calendar.google.com/calendar/r?cid=" + quote(https, safe="")
    outlook = "https://outlook.live.com/?" + urlencode(
        {"rru": "addsubscription", "url": webcal, "name": name})
    # Microsoft 365 (work or school) accounts live on outlook.office.com, not outlook.live.com.
    outlook_work = "https://outlook.office.com/calendar/0/addfromweb?" + urlencode(
        {"url": https, "name": name})
    qr = (qr_data_uri(https) if qr_inline
          else url_for("feeds.qr_code", path=path))
    return FeedLinks(name, path, https, webcal, google, outlook, outlook_work, qr)


@lru_cache(maxsize=128)
def qr_svg(text: str) -> bytes:
    """A QR code of *text* as a small SVG file (no script, no style)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False,
                                     title="QR code of the feed address")
    return out.getvalue()


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
