"""A chair finds a February 2026 date next to SBI-6, on a phone and on a desktop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .checks import assert_looks_right

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(TODAY=date(2026, 1, 15))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_chair_asks_for_february_near_sbi6_and_sees_why(live_server: str, page: Page,
                                                          width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"{live_server}/slots")
    assert_looks_right(page, response)
    page.get_by_role("radio", name="In person").check()
    page.get_by_label("From").fill("2026-02-01")
    page.get_by_label("To", exact=True).fill("2026-03-15")
    page.get_by_label("Days (in person)").fill("1")
    expect(page.get_by_label("All eight BLG members")).to_be_checked()
    page.get_by_label("Next to a meeting").select_option(label="SBI-6 · Rome, 16–19 Feb 2026")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Find slots").click()
    assert_looks_right(page, navigation.value)
    first = page.locator("li.slot").first
    expect(first.get_by_role("heading")).to_contain_text("Fri 20 Feb 2026 · Rome")
    expect(first).to_contain_text("The working day after CBD SBI-6")
    expect(first).to_contain_text("No required body is in session")
    strip = page.locator("figure.strip:visible svg")
    expect(strip).to_have_count(1)
    box = strip.bounding_box()
    assert box is not None and box["width"] <= width and box["height"] > 20
    assert strip.locator("rect.slot").count() == 10
    assert strip.locator("rect.weekend").count() == 13
    expect(page.get_by_text("a required body is in session")).to_be_visible()
