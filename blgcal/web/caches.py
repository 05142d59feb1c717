"""The app's caches of pages, findings, the bodies and the countries in use (the feeds keep
theirs in :mod:`blgcal.web.feeds.http`).

Each is a :class:`~blgcal.cache.VersionedCache` in ``app.extensions``, so two
apps in one process never share one.

Whole pages are cached for anonymous readers, keyed by the calendar's version
or by a fingerprint of the events they show.

A page (or an API answer) is a function of its URL, today's date and the
data. The data's version costs one query of index lookups, so a repeated
agenda request costs a dictionary lookup instead of its ten queries and
rendering (the version itself is read from memory, see
:mod:`blgcal.web.data_version`).
Any write changes the version, so a cached page is never stale; a page that
fingerprints its events reads that fingerprint again after each write, and is
kept (with its ETag) when the write was elsewhere. The entries also answer
``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, request
from sqlalchemy.orm import Session

from blgcal.cache import VersionedCache
from blgcal.clock import today
from blgcal.db import get_session
from blgcal.services import queries, versions
from blgcal.services.findings import FindingsCache
from blgcal.services.findings import findings_cache as new_findings_cache
from blgcal.web.data_version import current_version

PageCache = VersionedCache[str, str]
T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Give the app ``PAGE_CACHE_MB`` of rendered pages and ``FINDINGS_CACHE_MB`` of findings."""
    pages: PageCache = VersionedCache(int(app.config["PAGE_CACHE_MB"]) * 2**20, len)
    app.extensions["blgcal.page_cache"] = pages
    # A page's fingerprint, per calendar version: a small fraction of its page's size.
    app.extensions["blgcal.page_fingerprints"] = VersionedCache(pages.capacity // 16, len)
    app.extensions["blgcal.findings_cache"] = new_findings_cache(
        int(app.config["FINDINGS_CACHE_MB"]) * 2**20)
    # The bodies' slugs and fingerprints, the reference version, the countries (public, staff).
    app.extensions["blgcal.calendar_parts"] = VersionedCache(5, lambda _: 1)


def known_bodies() -> frozenset[str]:
    """Every body's slug, read once per calendar version (which counts the bodies).

    Every filtered page, API answer and feed checks its ``body`` parameters against them,
    before the page cache is even asked.
    """
    return _per_version("slugs", queries.body_slugs)


def body_fingerprints() -> Mapping[str, str]:
    """:func:`blgcal.services.versions.body_fingerprints`, read once per calendar version."""
    return _per_version("fingerprints", versions.body_fingerprints)


def bodies_stamp(bodies: Collection[str]) -> str:
    """:func:`blgcal.services.versions.bodies_stamp` of *bodies*, from :func:`body_fingerprints`."""
    return versions.bodies_stamp(body_fingerprints(), bodies)


def reference_version() -> str:
    """:func:`blgcal.services.versions.reference_version`, read once per calendar version."""
    return _per_version("reference", versions.reference_version)


def countries_in_use(*, include_staff: bool = False) -> list[str]:
    """:func:`blgcal.services.queries.countries_in_use`, read once per calendar version.

    Every page with filter pickers lists them, and the query scans every event.
    """
    return _per_version(f"countries, staff={include_staff}", lambda session: (
        queries.countries_in_use(session, include_staff=include_staff)))


def _per_version(part: str, read: Callable[[Session], T]) -> T:
    """*read*'s answer, read once per calendar version (the app's ``calendar_parts``)."""
    cache: VersionedCache[str, Any] = current_app.extensions["blgcal.calendar_parts"]
    return cast(T, cache.get_or_build(part, current_version(), lambda: read(get_session())))


def findings_cache() -> FindingsCache | None:
    """This app's findings cache, or None when it is turned off."""
    cache: FindingsCache = current_app.extensions["blgcal.findings_cache"]
    return cache if cache.enabled else None


def cached(render: Callable[[], str], *, mimetype: str = "text/html",
           shows: Callable[[], str] | None = None) -> Response:
    """Serve *render*'s page (or JSON) from the cache when what it shows has not changed.

    That is the calendar's version, unless *shows* fingerprints the events the
    answer shows (as :meth:`blgcal.services.agenda.AgendaQuery.fingerprint` or
    :func:`bodies_stamp` do). *shows* is then read once per calendar version,
    and the answer is kept under it and what pages' pickers list (the bodies, the
    observances and the countries in use), so a write to other events keeps it, and its ETag.
    """
    cache: PageCache = current_app.extensions["blgcal.page_cache"]
    if not cache.enabled or request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        return Response(render(), mimetype=mimetype)
    key, day = f"{request.host}\0{request.full_path}", today().isoformat()
    data = current_version() if shows is None else _fingerprint(key, day, shows)
    version = (data, day)
    etag = hashlib.sha256(f"{key}\0{version}".encode()).hexdigest()[:32]
    page = cache.get_or_build(key, version, render)
    response = Response(page, mimetype=mimetype)
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def _fingerprint(key: str, day: str, shows: Callable[[], str]) -> str:
    """*shows*' fingerprint and the reference data's, read once per calendar version and day.

    Only anonymous visitors' answers are cached, so the countries are the public ones.
    """
    fingerprints: VersionedCache[str, str] = current_app.extensions["blgcal.page_fingerprints"]
    return fingerprints.get_or_build(key, (current_version(), day), lambda: " ".join(
        (shows(), reference_version(), ",".join(countries_in_use()))))
