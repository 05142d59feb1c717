"""The guarded fetcher against real loopback servers; nothing leaves 127.0.0.1."""

from __future__ import annotations

import ipaddress

import pytest

from blgcal.fetch import FetchError, fetch, is_public
from tests.support.feed_server import FeedServer, canary_server, connections, feed_server

__all__ = ["canary_server", "feed_server"]  # fixtures, imported for pytest


def get(server: FeedServer, path: str, **options: object) -> object:
    return fetch(server.url(path), allow_hosts=frozenset({server.host}), **options)  # type: ignore[arg-type]


def test_a_feed_is_fetched_then_not_modified_with_its_etag(feed_server: FeedServer) -> None:
    first = get(feed_server, "/feeds/indico.ics")
    second = get(feed_server, "/feeds/indico.ics", etag=first.etag)
    assert first.status == 200 and first.body is not None and first.body.startswith(b"BEGIN:VCALENDAR")
    assert first.etag and first.last_modified
    assert (second.status, second.body) == (304, None)


def test_last_modified_alone_gives_not_modified(feed_server: FeedServer) -> None:
    first = get(feed_server, "/feeds/google.ics")
    again = get(feed_server, "/feeds/google.ics", last_modified=first.last_modified)
    assert again.status == 304 and again.body is None


def test_redirects_are_followed_and_the_final_url_reported(feed_server: FeedServer) -> None:
    result = get(feed_server, "/redirect/3/outlook.ics")
    assert result.status == 200 and result.final_url == feed_server.url("/feeds/outlook.ics")
    assert feed_server.hits[:4] == ["/redirect/3/outlook.ics", "/redirect/2/outlook.ics",
                                    "/redirect/1/outlook.ics", "/feeds/outlook.ics"]


@pytest.mark.parametrize(("path", "limit"), [("/redirect/3/indico.ics", 2), ("/loop", 5)])
def test_too_many_redirects_are_refused(feed_server: FeedServer, path: str, limit: int) -> None:
    with pytest.raises(FetchError, match=f"more than {limit} redirects"):
        get(feed_server, path, max_redirects=limit)
    assert len(feed_server.hits) == limit + 1


@pytest.mark.parametrize("path", ["/big?bytes=300000", "/big-unsized?bytes=300000"])
def test_a_body_over_the_limit_is_refused(feed_server: FeedServer, path: str) -> None:
    with pytest.raises(FetchError, match="over the limit of 100000"):
        get(feed_server, path, max_bytes=100_000)


def test_a_body_at_the_limit_is_accepted(feed_server: FeedServer) -> None:
    assert len(get(feed_server, "/big-unsized?bytes=100000", max_bytes=100_000).body) == 100_000


@pytest.mark.parametrize("path", ["/slow?seconds=3", "/drip?seconds=4"])
def test_a_slow_server_times_out(feed_server: FeedServer, path: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        get(feed_server, path, read_timeout=1.5)


def test_an_error_status_is_reported(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError, match="HTTP 503"):
        get(feed_server, "/status/503")


SSRF = [
    ("http://127.0.0.1:{port}/feeds/indico.ics", "not a public address"),
    ("http://localhost:{port}/feeds/indico.ics", "not a public address"),
    ("http://[::1]:{port}/", "not a public address"),
    ("http://[::ffff:127.0.0.1]:{port}/", "not a public address"),
    ("http://[::ffff:7f00:1]:{port}/", "not a public address"),
    ("http://[64:ff9b::a00:1]/", "not a public address"),
    ("http://169.254.169.254/latest/meta-data/", "not a public address"),
    ("http://10.0.0.1/", "not a public address"),
    ("http://192.168.1.1/", "not a public address"),
    ("http://100.64.0.1/", "not a public address"),
    ("http://0.0.0.0:{port}/", "not a public address"),
    ("http://224.0.0.1/", "not a public address"),
    ("http://2130706433:{port}/", "unusual way to write an IP address"),
    ("http://0x7f.1:{port}/", "unusual way to write an IP address"),
    ("http://017700000001:{port}/", "unusual way to write an IP address"),
    ("ftp://127.0.0.1:{port}/feeds/indico.ics", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://127.0.0.1:{port}/", "only http and https"),
]


@pytest.mark.parametrize(("template", "reason"), SSRF)
def test_private_addresses_are_refused_before_connecting(
        canary_server: FeedServer, template: str, reason: str) -> None:
    port = canary_server.host.rsplit(":", 1)[1]
    with connections() as seen, pytest.raises(FetchError, match=reason):
        fetch(template.format(port=port))
    assert seen == [] and canary_server.hits == []


def test_an_allowed_server_cannot_redirect_to_a_private_one(
        feed_server: FeedServer, canary_server: FeedServer) -> None:
    canary = canary_server.url("/feeds/indico.ics")
    with connections() as seen, pytest.raises(FetchError, match="not a public address"):
        get(feed_server, f"/to?url={canary}")
    assert canary_server.hits == [] and seen == ["127.0.0.1"]


def test_an_allowed_server_cannot_redirect_to_another_allowed_private_one(
        feed_server: FeedServer, canary_server: FeedServer) -> None:
    """HARVEST_ALLOW_HOSTS trusts each source's own URL, not redirects from other hosts."""
    canary = canary_server.url("/feeds/indico.ics")
    both = frozenset({feed_server.host, canary_server.host})
    with pytest.raises(FetchError, match="not a public address"):
        fetch(feed_server.url(f"/to?url={canary}"), allow_hosts=both)
    assert canary_server.hits == []


def test_the_allow_list_names_a_port_not_every_loopback_service(
        feed_server: FeedServer, canary_server: FeedServer) -> None:
    with pytest.raises(FetchError, match="not a public address"):
        fetch(canary_server.url("/feeds/indico.ics"), allow_hosts=frozenset({feed_server.host}))
    assert canary_server.hits == []


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("127.0.0.1", False),
    ("10.1.2.3", False), ("172.16.0.1", False), ("100.64.0.1", False), ("169.254.169.254", False),
    ("0.0.0.0", False), ("255.255.255.255", False), ("240.0.0.1", False), ("224.0.0.251", False),
    ("::1", False), ("::", False), ("fe80::1", False), ("fc00::1", False), ("ff02::1", False),
    ("::ffff:127.0.0.1", False), ("::ffff:8.8.8.8", True), ("::127.0.0.1", False),
    ("64:ff9b::10.0.0.1", False), ("64:ff9b::8.8.8.8", True), ("64:ff9b:1::1", False),
    ("2002:7f00:1::", False), ("2001:0::1", False),
    # IANA special-purpose entries that Python's ipaddress calls global, and other corners
    ("192.0.0.1", False), ("192.0.0.9", False), ("192.0.0.170", False), ("192.0.2.1", False),
    ("198.18.0.1", False), ("198.51.100.7", False), ("203.0.113.9", False), ("192.88.99.1", False),
    ("192.31.196.1", False), ("192.52.193.1", False), ("192.175.48.1", False),
    ("fec0::1", False), ("2001:db8::1", False), ("3fff::1", False), ("100::1", False),
    ("2001:2::1", False), ("2001:20::1", False), ("5f00::1", False), ("4000::1", False),
    ("2620:4f:8000::1", False), ("1.1.1.1", True), ("2a00:1450:4001::200e", True),
])
def test_only_global_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public
