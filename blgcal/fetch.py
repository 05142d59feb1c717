"""The one place blgcal reaches out to other servers: a guarded HTTP GET.

A harvest URL is typed by a user, so it must not become a way into the
network blgcal runs in (server-side request forgery). Every host, and every
redirect, is resolved once with ``getaddrinfo``; all its addresses must be
global unicast, and the connection goes to the address that was checked, not
to a fresh lookup (a second lookup could answer differently: DNS rebinding).
The Host header and TLS SNI still carry the name, and certificates are
checked against it. Only hosts named in *allow_hosts* skip the address check.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

USER_AGENT = "Mozilla/5.0 (compatible; blgcal/1.0; calendar harvester)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: embeds an IPv4 address
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: local use
NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """The URL could not be fetched; ``message`` says why in plain words."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


@dataclass(frozen=True, slots=True)
class FetchResult:
    """``body`` is None when the server answered 304 Not Modified."""

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    final_url: str


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          max_bytes: int = 10 * 2**20, connect_timeout: float = 5, read_timeout: float = 20,
          max_redirects: int = 5, allow_hosts: frozenset[str] = frozenset(),
          user_agent: str = USER_AGENT) -> FetchResult:
    """GET *url*, conditionally when *etag* or *last_modified* is given.

    :param read_timeout: seconds the whole response may take once connected.
    :param allow_hosts: ``host`` or ``host:port`` entries trusted to be
        private (a test server, an intranet feed): no address check for them.
    :raises FetchError: bad scheme, refused address, timeout, oversize body,
        too many redirects, or a status other than 200 and 304.
    """
    headers = {"User-Agent": user_agent, "Accept": "text/calendar, application/json, text/csv, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _ in range(max_redirects + 1):
        target = resolve(current, allow_hosts)
        status, response_headers, body = _get(target, headers, url=current, max_bytes=max_bytes,
                                              timeouts=(connect_timeout, read_timeout))
        if status not in REDIRECTS:
            return _result(current, status, response_headers, body)
        location = response_headers.get("location")
        if not location:
            raise FetchError(current, f"HTTP {status} redirect without a Location")
        current = urljoin(current, location)
    raise FetchError(url, f"more than {max_redirects} redirects")


def resolve(url: str, allow_hosts: frozenset[str] = frozenset()) -> _Target:
    """Check *url* and pick the address to connect to, refusing private ones."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(url, f"only http and https URLs can be fetched, not {parts.scheme or 'this'!r}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(url, "the port is not a number from 0 to 65535") from None
    if not host:
        raise FetchError(url, "no host name")
    allowed = host in allow_hosts or f"{_bracket(host)}:{port}" in allow_hosts
    if not allowed:
        _refuse_odd_numbers(url, host)
    address = _pick(url, host, port, check=not allowed)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(parts.scheme, host, port, path, address)


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _refuse_odd_numbers(url: str, host: str) -> None:
    """Refuse IPv4 written other than as four decimals ("2130706433", "0x7f.1").

    Resolvers disagree on such forms, and no public feed needs them.
    """
    labels = host.split(".")
    if all(NUMERIC_LABEL.match(label) for label in labels):
        try:
            canonical = str(ipaddress.IPv4Address(host)) == host
        except ValueError:
            canonical = False
        if not canonical:
            raise FetchError(url, f"refused before connecting: {host!r} is an unusual way to"
                             " write an IP address")


def _pick(url: str, host: str, port: int, *, check: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve {host!r}: {exc}") from None
    addresses = [str(info[4][0]).split("%", 1)[0] for info in infos]
    if check:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text)):
                raise FetchError(url, f"refused before connecting: {host!r} resolves to {text},"
                                 " which is not a public address")
    return addresses[0]


def is_public(address: Address) -> bool:
    """True for global unicast addresses only (IPv4-in-IPv6 forms unwrapped)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        if address in NAT64_LOCAL or address.teredo is not None:
            return False
    return bool(address.is_global) and not (
        address.is_multicast or address.is_reserved or address.is_loopback
        or address.is_link_local or address.is_unspecified or address.is_private
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return address.ipv4_mapped
    if address.sixtofour is not None:  # 2002:aabb:ccdd::/48
        return address.sixtofour
    if int(address) >> 32 == 0 or address in NAT64:  # ::a.b.c.d (deprecated), RFC 6052
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


class _PinnedHTTP(http.client.HTTPConnection):
    """Connect to a checked address; Host header still names the host."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTP`, with SNI and certificate checks for the name."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout,
                         context=ssl.create_default_context())
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _get(target: _Target, headers: dict[str, str], *, url: str, max_bytes: int,
         timeouts: tuple[float, float]) -> tuple[int, dict[str, str], bytes]:
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeouts[0])
    try:
        connection.connect()
        deadline = time.monotonic() + timeouts[1]
        _set_timeout(connection, deadline, url)
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        body = b"" if response.status in REDIRECTS or response.status == 304 else \
            _read(response, connection, url=url, max_bytes=max_bytes, deadline=deadline)
        return response.status, found, body
    except (TimeoutError, socket.timeout):
        raise FetchError(url, "timed out") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(url, f"connection failed: {exc}") from None
    finally:
        connection.close()


def _read(response: http.client.HTTPResponse, connection: http.client.HTTPConnection, *,
          url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(url, f"the body is {declared} bytes, over the limit of {max_bytes}")
    chunks, total = [], 0
    while chunk := response.read1(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(url, f"the body is over the limit of {max_bytes} bytes")
        chunks.append(chunk)
        _set_timeout(connection, deadline, url)
    return b"".join(chunks)


def _set_timeout(connection: http.client.HTTPConnection, deadline: float, url: str) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(url, "timed out")
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _result(url: str, status: int, headers: dict[str, str], body: bytes) -> FetchResult:
    if status not in (200, 304):
        raise FetchError(url, f"HTTP {status}: expected 200 or 304")
    return FetchResult(status=status, body=body if status == 200 else None,
                       etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                       final_url=url)
