"""A viewer creates a private feed, sees its address once as a page, and regenerates it."""

from __future__ import annotations

import urllib.error
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from blgcal.models import User

from .journey import fetch_anonymously, look
from .test_editing_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def status_of(url: str) -> int:
    try:
        fetch_anonymously(url)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def test_a_viewer_creates_a_private_feed_sees_its_address_once_and_regenerates_it(
        live_server: str, page: Page, create_user: Callable[..., User]) -> None:
    create_user("viewer@blg.int", role="viewer")
    sign_in(page, live_server, "viewer@blg.int")
    page.goto(live_server + "/subscribe?body=cbd")
    page.get_by_role("link", name="Save these filters as a private feed").click()
    look(page, None, "private-feeds")
    page.get_by_label("Name of the feed").fill("CBD, with staff-only")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Create the feed").click()

    created = navigation.value
    assert created is not None and created.headers["content-type"] == "text/html; charset=utf-8"
    expect(page.get_by_role("heading", level=1)).to_have_text("Your private feed's address")
    expect(page.get_by_text("Copy it now: it is shown only this once.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("<!doctype")  # a page, not its source
    look(page, created, "private-feed-created")
    first = page.locator("[data-feed-url]").inner_text()
    assert "/feeds/private/" in first and status_of(first) == 200

    page.get_by_role("link", name="Back to your private feeds").click()
    expect(page.get_by_role("cell", name="CBD, with staff-only")).to_be_visible()
    assert first.rsplit("/", 1)[1] not in page.content()  # shown once: never again
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="New address").click()
    renewed = navigation.value
    assert renewed is not None and renewed.headers["content-type"] == "text/html; charset=utf-8"
    look(page, renewed, "private-feed-renewed")
    second = page.locator("[data-feed-url]").inner_text()
    assert second != first
    assert status_of(first) == 404 and status_of(second) == 200
