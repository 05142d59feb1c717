"""The one place blgcal reaches out to other servers: a guarded HTTP GET.

A harvest URL is typed by a user, so it must not become a way into the
network blgcal runs in (server-side request forgery). Every host, and every
redirect, is resolved once with ``getaddrinfo``; all its addresses must be
global unicast, and the connection goes to the address that was checked, not
to a fresh lookup (a second lookup could answer differently: DNS rebinding).
The Host header and TLS SNI still carry the name, and certificates are
checked against it. Only hosts named in *allow_hosts* skip the address check,
and only for the URL asked for and redirects that stay on its host and port.

"Public" is decided by an explicit deny list taken from IANA's IPv4 and IPv6
Special-Purpose Address Registries (RFC 6890 and successors), not by Python's
``ipaddress``, which counts 192.0.0.0/24 and fec0::/10 as global.
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
#: IANA IPv4 Special-Purpose Address Registry, every entry, plus multicast (RFC 5771).
SPECIAL_IPV4 = tuple(ipaddress.IPv4Network(net) for net in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
    "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
))
#: IPv6 outside global unicast (RFC 4291 2.4) is never public; inside it, the
#: IANA IPv6 Special-Purpose Address Registry's entries are refused too.
GLOBAL_UNICAST_IPV6 = ipaddress.IPv6Network("2000::/3")
SPECIAL_IPV6 = tuple(ipaddress.IPv6Network(net) for net in (
    "2001::/23", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16",
))
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
    trusted: bool  # named in the allow-list, so its address was not checked

    @property
    def origin(self) -> str:
        return allow_key(self.host, self.port)


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
    current, trusted = url, allow_hosts
    for _ in range(max_redirects + 1):
        target = resolve(current, trusted)
        status, response_headers, body = _get(target, headers, url=current, max_bytes=max_bytes,
                                              timeouts=(connect_timeout, read_timeout))
        if status not in REDIRECTS:
            return _result(current, status, response_headers, body)
        location = response_headers.get("location")
        if not location:
            raise FetchError(current, f"HTTP {status} redirect without a Location")
        current = urljoin(current, location)
        # A redirect keeps the trust only on the same host and port: an allowed
        # host must not become a way to reach another private service.
        trusted = frozenset({target.origin}) if target.trusted else frozenset()
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
    allowed = host in allow_hosts or allow_key(host, port) in allow_hosts
    if not allowed:
        _refuse_odd_numbers(url, host)
    address = _pick(url, host, port, check=not allowed)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(parts.scheme, host, port, path, address, trusted=allowed)


def allow_key(host: str, port: int) -> str:
    """The ``host:port`` spelling of allow-list entries (``[::1]:8080`` for IPv6)."""
    host = host.lower()
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_origin(url: str) -> str:
    """The allow-list entry naming exactly *url*'s host and port."""
    parts = urlsplit(url)
    return allow_key(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))


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
    """True for global unicast addresses outside IANA's special-purpose registries.

    IPv4-in-IPv6 forms (mapped, 6to4, NAT64, compatible) are judged by the
    IPv4 address they carry.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        return (address in GLOBAL_UNICAST_IPV6 and bool(address.is_global)
                and not any(address in network for network in SPECIAL_IPV6))
    return bool(address.is_global) and not any(address in network for network in SPECIAL_IPV4)


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
    except TimeoutError:
        raise FetchError(url, "timed out") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(url, f"connection failed: {exc}") from None
    finally:
        connection.close()


def _read(response: http.client.HTTPResponse, connection: http.client.HTTPConnection, *,
          url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
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
