"""The subscribe page: links for each client, QR codes, the builder and its live count."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.usefixtures("seeded")


def test_every_feed_has_its_address_webcal_google_outlook_and_qr(client: FlaskClient) -> None:
    html = client.get("/subscribe").get_data(as_text=True)
    addresses = re.findall(r'data-feed-url>(https?://[^<]+\.ics[^<]*)</code>', html)
    assert "http://localhost/feeds/all.ics" in addresses
    assert "http://localhost/feeds/observances.ics" in addresses
    assert "http://localhost/feeds/cbd.ics" in addresses
    assert all(len(u) < 256 for u in addresses)
    assert 'href="webcal://localhost/feeds/all.ics"' in html
    assert ("https://calendar.google.com/calendar/r?cid=http%3A%2F%2Flocalhost%2Ffeeds%2Fall.ics"
            in html)
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', html)
    assert outlook
    query = parse_qs(urlsplit(outlook.group(1).replace("&amp;", "&")).query)
    assert query["rru"] == ["addsubscription"] and query["url"][0].startswith("webcal://")
    work = re.search(r'href="(https://outlook\.office\.com/calendar/0/addfromweb\?[^"]+)"', html)
    assert work and "Outlook (work or school account)" in html
    query = parse_qs(urlsplit(work.group(1).replace("&amp;", "&")).query)
    assert query["url"] == ["http://localhost/feeds/all.ics"] and query["name"] == ["BLG calendar"]
    assert 'class="copy" data-copy="feed-1-url" hidden>Copy address</button>' in html
    assert 'src="/static/copy.js"' in html
    assert "never updates" in html and "<style" not in html and "style=" not in html
    assert 'src="/subscribe/qr.svg?path=/feeds/all.ics"' in html


def test_the_qr_code_is_an_svg_of_a_public_feed_only(client: FlaskClient) -> None:
    response = client.get("/subscribe/qr.svg?path=/feeds/all.ics")
    assert response.status_code == 200 and response.content_type == "image/svg+xml"
    assert response.data.startswith(b"<svg") and b"<script" not in response.data
    for path in ("/feeds/private/abc.ics", "https://evil.example/x.ics", "/admin"):
        assert client.get("/subscribe/qr.svg", query_string={"path": path}).status_code == 404


def test_the_builder_works_without_javascript(client: FlaskClient) -> None:
    html = client.get("/subscribe?body=cbd&kind=governing_body&observances=y").get_data(
        as_text=True)
    count = re.search(r"<strong data-feed-count>(\d+)</strong>", html)
    assert count and int(count.group(1)) >= 1
    assert "/feeds/custom.ics?body=cbd&amp;kind=governing_body&amp;observances=y" in html
    assert 'src="/static/subscribe.js"' in html


def test_the_builder_names_a_bad_filter(client: FlaskClient) -> None:
    html = client.get("/subscribe?country=ZZ").get_data(as_text=True)
    assert "country: " in html


def test_the_count_endpoint_feeds_the_live_builder(client: FlaskClient) -> None:
    answer = client.get("/api/v1/feeds/count?body=cbd").get_json()
    feed = client.get("/feeds/custom.ics?body=cbd").data
    assert answer["count"] == feed.count(b"BEGIN:VEVENT")
    assert answer["url"] == "http://localhost/feeds/custom.ics?body=cbd"
    assert answer["webcal"] == "webcal://localhost/feeds/custom.ics?body=cbd"
    assert answer["outlook_work"].startswith("https://outlook.office.com/calendar/0/addfromweb?")
    bad = client.get("/api/v1/feeds/count?kind=party")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "kind"


def test_base_url_makes_https_links_outside_a_request_s_host(make_app: object) -> None:
    app = make_app(BASE_URL="https://calendar.example.org")  # type: ignore[operator]
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    html = app.test_client().get("/subscribe").get_data(as_text=True)
    assert 'data-feed-url>https://calendar.example.org/feeds/all.ics</code>' in html
    assert 'href="webcal://calendar.example.org/feeds/all.ics"' in html
