"""The site header: one compact line on a phone with a menu that needs no script."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from blgcal.models import User

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
PHONE = {"width": 390, "height": 844}


def header_height(page: Page) -> float:
    box = page.locator("header.site").bounding_box()
    assert box
    return box["height"]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_header_is_one_line_and_its_menu_opens_and_links(
        live_server: str, browser: Browser, create_user: Callable[..., User],
        script: bool) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=script)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        assert header_height(page) < 80
        timeline = page.get_by_role("link", name="Timeline")
        expect(timeline).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(timeline).to_be_visible()
        timeline.click()
        page.wait_for_url(live_server + "/timeline")
        expect(page.get_by_role("heading", level=1)).to_contain_text("at a glance")

        create_user("admin@blg.int", role="admin")
        sign_in(page, live_server, "admin@blg.int")
        assert header_height(page) < 80
        page.get_by_text("Menu", exact=True).click()
        page.get_by_role("link", name="Users").click()
        page.wait_for_url(live_server + "/admin/users")
    finally:
        context.close()


def test_on_a_desktop_every_link_shows_without_a_menu(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    for name in ("Agenda", "Month", "Timeline", "Opportunities", "Subscribe", "Sign in"):
        expect(page.locator("header.site").get_by_role("link", name=name)).to_be_visible()
    assert header_height(page) < 80
