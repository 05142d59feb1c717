"""A real HTTP server on 127.0.0.1 that behaves like the feeds blgcal harvests.

Routes (all GET):

- ``/feeds/<file>``: a file of ``tests/data/feeds`` with a strong ETag and a
  Last-Modified; answers 304 to a matching If-None-Match or If-Modified-Since;
- ``/redirect/<n>/<file>``: n hops of 302 ending at ``/feeds/<file>``;
  ``/loop``: redirects to itself; ``/to?url=<url>``: 302 to any URL;
- ``/slow?seconds=<s>``: waits before answering; ``/drip?seconds=<s>``: sends
  one byte a second for s seconds;
- ``/big?bytes=<n>`` (with Content-Length), ``/big-unsized?bytes=<n>`` (without);
- ``/status/<code>``: an empty answer with that status;
- ``/paged/<name>?<param>=<n>``: the file ``<name>.<n>.json`` of
  ``tests/data/feeds/paged`` (``<name>.0.json`` without the parameter; the
  parameter is ``$skip``, ``start`` or ``page``), with ``{server}`` in it
  replaced by this server's address, so ``__next`` links can point back here.

Every request's path is recorded in ``hits``. Use the ``feed_server`` and
``canary_server`` fixtures, or ``with FeedServer() as server:``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
LAST_MODIFIED = formatdate(1_764_230_400, usegmt=True)  # 2025-11-27, fixed so tests repeat


class FeedServer:
    """Serve :data:`FEEDS` on an ephemeral loopback port in a thread."""

    def __init__(self, root: Path = FEEDS) -> None:
        self.root = root
        self.hits: list[str] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def host(self) -> str:
        """``127.0.0.1:<port>``, as ``fetch(..., allow_hosts=...)`` expects."""
        return f"127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def record(self, path: str) -> None:
        with self._lock:
            self.hits.append(path)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up mid-body (oversize, timeout) is expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self.server.owner.record(self.path)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        segments = parts.path.strip("/").split("/")
        route = getattr(self, f"_route_{segments[0].replace('-', '_')}", None)
        if route is None:
            self._send(404, b"not found")
        else:
            route(segments[1:], query)

    def _route_feeds(self, rest: list[str], query: dict[str, str]) -> None:
        path = self.server.owner.root / "/".join(rest)
        if not rest or not path.is_file() or ".." in rest:
            return self._send(404, b"not found")
        data = path.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self._not_modified(etag):
            return self._send(304, b"", headers)
        kind = "text/calendar" if path.suffix == ".ics" else "application/octet-stream"
        self._send(200, data, {**headers, "Content-Type": f"{kind}; charset=utf-8"})

    def _not_modified(self, etag: str) -> bool:
        if (match := self.headers.get("If-None-Match")) is not None:
            return etag in [tag.strip() for tag in match.split(",")]
        since = self.headers.get("If-Modified-Since")
        try:
            return since is not None and parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
        except (TypeError, ValueError):
            return False

    def _route_redirect(self, rest: list[str], query: dict[str, str]) -> None:
        hops, name = int(rest[0]), "/".join(rest[1:])
        target = f"/redirect/{hops - 1}/{name}" if hops > 1 else f"/feeds/{name}"
        self._send(302, b"", {"Location": target})

    def _route_loop(self, rest: list[str], query: dict[str, str]) -> None:
        self._send(302, b"", {"Location": "/loop"})

    def _route_to(self, rest: list[str], query: dict[str, str]) -> None:
        self._send(302, b"", {"Location": query["url"]})

    def _route_slow(self, rest: list[str], query: dict[str, str]) -> None:
        time.sleep(float(query.get("seconds", "2")))
        self._send(200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    def _route_drip(self, rest: list[str], query: dict[str, str]) -> None:
        seconds = int(float(query.get("seconds", "3")))
        self._start(200, {"Content-Length": str(seconds)})
        for _ in range(seconds):
            time.sleep(1)
            self.wfile.write(b"x")
            self.wfile.flush()

    def _route_big(self, rest: list[str], query: dict[str, str]) -> None:
        self._send(200, b"x" * int(query["bytes"]))

    def _route_big_unsized(self, rest: list[str], query: dict[str, str]) -> None:
        self.close_connection = True
        self._start(200, {"Connection": "close"})
        left = int(query["bytes"])
        while left > 0:
            self.wfile.write(b"x" * min(left, 65536))
            left -= 65536

    def _route_paged(self, rest: list[str], query: dict[str, str]) -> None:
        number = next((query[k] for k in ("$skip", "start", "page") if k in query), "0")
        path = self.server.owner.root / "paged" / f"{rest[0]}.{number}.json"
        if len(rest) != 1 or not path.is_file() or ".." in rest[0]:
            return self._send(404, b"not found")
        data = path.read_bytes().replace(b"{server}", f"http://{self.server.owner.host}".encode())
        self._send(200, data, {"Content-Type": "application/json; charset=utf-8"})

    def _route_status(self, rest: list[str], query: dict[str, str]) -> None:
        self._send(int(rest[0]), b"")

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self._start(status, {**(headers or {}), "Content-Length": str(len(body))})
        if body and status != 304:
            self.wfile.write(body)

    def _start(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


_watchers: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Record every socket connect while watched, and block non-loopback ones."""
    if event != "socket.connect" or not _watchers:
        return
    address = args[1]
    host = str(address[0]) if isinstance(address, tuple) else str(address)
    for seen in _watchers:
        seen.append(host)
    try:
        loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ConnectionRefusedError(f"test guard: refused a connection to {host}")


sys.addaudithook(_audit)


@contextmanager
def connections() -> Iterator[list[str]]:
    """Yield the list of addresses connected to inside the block (loopback only)."""
    seen: list[str] = []
    _watchers.append(seen)
    try:
        yield seen
    finally:
        _watchers.remove(seen)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running :class:`FeedServer`; its ``host`` goes in ``allow_hosts``."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def canary_server() -> Iterator[FeedServer]:
    """A second server that must never be reached; assert ``hits == []``."""
    with FeedServer() as server:
        yield server
