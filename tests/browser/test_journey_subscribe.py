"""A staff member builds the CBD + CITES feed and subscribes: every link carries its address."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from blgcal.models import User

from .journey import fetch_anonymously, look
from .test_editing_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def query_of(page: Page, selector: str) -> dict[str, list[str]]:
    href = page.locator(selector).get_attribute("href")
    assert href
    return parse_qs(urlsplit(href).query)


def test_a_staff_member_builds_the_cbd_and_cites_feed_and_subscribes(
        live_server: str, page: Page, create_user: Callable[..., User]) -> None:
    create_user("staff@blg.int", role="viewer")
    sign_in(page, live_server, "staff@blg.int")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)

    page.get_by_role("link", name="Subscribe").first.click()
    look(page, None, "subscribe")
    with page.expect_navigation():  # the live builder shows the first card by reloading
        page.get_by_label("Bodies").select_option(["cbd", "cites"])
    built = page.locator("#built")
    expect(built.locator("[data-feed-count]")).to_have_text(re.compile(r"^\d+$"))
    shown = int(built.locator("[data-feed-count]").inner_text())
    address = built.locator("[data-feed-url]").inner_text()
    assert address == f"{live_server}/feeds/custom.ics?body=cbd&body=cites"
    look(page, None, "subscribe-built")

    page.set_viewport_size({"width": 390, "height": 900})  # on a phone, all of it shows
    box = built.locator("[data-feed-url]")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert box.bounding_box()["width"] <= 390  # type: ignore[index]
    built.get_by_role("button", name="Copy address").click()
    expect(built.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address

    webcal = built.locator("[data-feed-webcal]").get_attribute("href")
    assert webcal == "webcal://" + address.split("://", 1)[1]
    assert query_of(page, "#built [data-feed-google]")["cid"] == [address]
    assert query_of(page, "#built [data-feed-outlook]")["url"] == [webcal]
    work = query_of(page, "#built [data-feed-outlook-work]")
    assert work["url"] == [address] and work["name"] == ["BLG calendar: CBD, CITES"]
    expect(built.get_by_role("link", name="Outlook (work or school account)")).to_have_attribute(
        "href", re.compile(r"^https://outlook\.office\.com/calendar/0/addfromweb\?"))

    content_type, body = fetch_anonymously(address)
    assert content_type == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == shown > 0
    for event in events:  # each organised by CBD or CITES (bodies are CATEGORIES)
        assert {"CBD", "CITES"} & set(event["CATEGORIES"].cats), event["SUMMARY"]
