"""Whole-page caching for anonymous readers, keyed by the calendar's version.

A page (or an API answer) is a function of its URL, today's date and the
data. The data's version costs one query of index lookups, so a repeated
agenda request costs a dictionary lookup instead of its ten queries and
rendering (the version itself is read from memory, see
:mod:`blgcal.web.data_version`).
Any write changes the version, so a cached page is never stale; the entries
also answer ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, Response, current_app, request

from blgcal.clock import today
from blgcal.web.data_version import current_version

_lock = threading.Lock()


class PageCache:
    """A small LRU of rendered pages; one per app."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        with _lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: str) -> None:
        with _lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def init_app(app: Flask) -> None:
    app.extensions["blgcal.page_cache"] = PageCache(int(app.config["PAGE_CACHE_SIZE"]))


def cached(render: Callable[[], str], *, mimetype: str = "text/html") -> Response:
    """Serve *render*'s page (or JSON) from the cache when the data has not changed."""
    cache: PageCache = current_app.extensions["blgcal.page_cache"]
    if not cache.size or request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        return Response(render(), mimetype=mimetype)
    key = "\0".join((request.host, request.full_path, current_version(),
                     today().isoformat()))
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    page = cache.get(key)
    if page is None:
        page = render()
        cache.put(key, page)
    response = Response(page, mimetype=mimetype)
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)
