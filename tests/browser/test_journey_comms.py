"""A comms officer lists the opportunities of the next three months, plans one, then
finds it on the board and in the comms plan's private feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from icalendar import Calendar
from playwright.sync_api import Page, expect

from blgcal.models import User

from .journey import fetch_anonymously, look
from .test_editing_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Mid-September 2025: COP30, CITES CoP20 and UNEA-7 lie in the next three months."""
    return make_app(TODAY=date(2025, 9, 15))


def test_a_comms_officer_plans_an_opportunity_and_finds_it_on_the_board_and_in_the_feed(
        live_server: str, page: Page, create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    sign_in(page, live_server, "comms@blg.int")

    page.get_by_role("link", name="Opportunities").first.click()
    page.get_by_text("Filter").first.click()
    page.get_by_label("From").fill("2025-09-15")
    page.get_by_label("To").fill("2025-12-15")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Filter").click()
    look(page, navigation.value, "opportunities")
    ahead = page.locator("section", has=page.get_by_role("heading", name="Ahead"))
    expect(ahead).to_contain_text("UNEP UNEA-7 (Nairobi, 8–12 Dec 2025)")
    expect(ahead).not_to_contain_text("UNOC3")  # June 2025: outside the three months

    unea = page.locator("li.finding", has_text="is the UN Environment Assembly")
    unea.get_by_role("link", name="Plan it").click()
    expect(page.get_by_label("Title")).to_have_value("UNEA-7")
    expect(page.get_by_label("Deadline")).to_have_value("2025-11-24")  # two weeks ahead
    expect(page.get_by_text("Planned from an opportunity")).to_be_visible()
    look(page, None, "plan-item")
    page.get_by_label("Channel").select_option("statement")
    page.get_by_label("Status").select_option("planned")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save").click()

    response = navigation.value
    assert response is not None and response.url.endswith("/comms")
    planned = page.locator("section.column", has=page.get_by_role("heading", name="Planned"))
    card = planned.locator("article.card", has_text="UNEA-7")
    expect(card).to_contain_text("due 24 Nov 2025")
    look(page, response, "comms-board")
    card.get_by_role("link", name="The opportunity").click()
    expect(page.locator("li.finding")).to_have_count(1)
    expect(page.locator("li.finding")).to_contain_text("is the UN Environment Assembly")

    page.get_by_role("link", name="Comms plan").first.click()
    page.get_by_label("Name of the feed").fill("BLG comms plan")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Make my comms plan feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your private feed's address")
    look(page, navigation.value, "comms-feed-address")
    address = page.locator("[data-feed-url]").inner_text()
    assert "/feeds/private/" in address

    content_type, body = fetch_anonymously(address)
    assert content_type == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Joint statement: UNEA-7"]
    assert events[0]["DTSTART"].dt == date(2025, 11, 24)
