"""A CMS editor adds a side event from the meeting page, fixes a date, and the source stays.

Driven as a person does, on a phone (390 px) and a desktop (1280 px): every page
visited is checked with ``assert_looks_right``. Set ``BLGCAL_SCREENSHOTS`` to a
folder to keep a screenshot of each of them.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from blgcal.models import User

from .checks import assert_looks_right
from .test_editing_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
SOURCE = "https://www.cms.int/en/news/press-release-brazil-host-cmscop15"


def look(page: Page, name: str) -> None:
    """Check the page as a person sees it; keep a screenshot when asked to."""
    folder = os.environ.get("BLGCAL_SCREENSHOTS")
    if folder:
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    assert_looks_right(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_cms_editor_adds_a_side_event_fixes_a_date_and_the_source_stays(
        app: Flask, live_server: str, page: Page, create_user: Callable[..., User],
        width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    # A process's first event page loads the city table for its clashes (about 7 s on CI).
    page.set_default_navigation_timeout(30_000)
    create_user("cms@blg.int", role="editor", bodies=["cms"])
    sign_in(page, live_server, "cms@blg.int")

    # The meeting page offers the side event; Edit is the one main button.
    page.goto(live_server + "/bodies/cms")
    page.get_by_role("link", name="CMS COP15").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CMS COP15")
    meeting_url = page.url
    expect(page.get_by_role("button", name="Mark cancelled")).to_have_count(0)
    look(page, "meeting")

    # The form starts from the meeting: place, zone, parent, timed on its first day.
    page.get_by_role("link", name="Add a side event").click()
    expect(page.get_by_label("City")).to_have_value("Campo Grande")
    expect(page.get_by_label("Venue")).to_have_value("Bosque Expo")
    expect(page.get_by_label("Time zone")).to_have_value("America/Campo_Grande")
    expect(page.get_by_label("Part of meeting")).to_have_value(meeting_url.rsplit("/", 1)[1])
    expect(page.get_by_label("Starts at")).to_be_visible()
    expect(page.get_by_label("Expected", exact=True)).to_be_hidden()
    page.get_by_label("All day").check()
    expect(page.get_by_label("Starts at")).to_be_hidden()
    page.get_by_label("At set times").check()

    # The zone is proposed from the city as it is typed.
    for city, zone in (("Brasília", "America/Sao_Paulo"), ("Campo Grande", "America/Campo_Grande")):
        page.get_by_label("City").fill(city)
        page.get_by_label("City").dispatch_event("change")
        expect(page.get_by_label("Time zone")).to_have_value(zone)
        expect(page.get_by_text(f"Proposed from the city: {zone}.")).to_be_visible()

    page.get_by_label("Title").fill("Flyways of the Pantanal")
    page.get_by_label("Short code").fill("SE-PANTANAL")
    page.get_by_label("Starts at").fill("13:00")
    page.get_by_label("Ends at").fill("14:30")
    look(page, "side-event-form")

    # "Check clashes" answers where the eye is, and keeps what was typed.
    page.get_by_role("button", name="Check clashes").click()
    expect(page.locator("#preview")).to_be_in_viewport()
    expect(page.get_by_label("Title")).to_have_value("Flyways of the Pantanal")
    expect(page.get_by_label("Starts at")).to_have_value("13:00")
    look(page, "check-clashes")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator("dl.facts")).to_contain_text("Part of")
    expect(page.locator("dl.facts")).to_contain_text("13:00")
    side_url = page.url

    # Fixing the meeting's end date, while a colleague changes the venue first.
    page.goto(meeting_url)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Last day").fill("2026-03-28")
    colleague = page.context.new_page()
    colleague.goto(page.url)
    colleague.get_by_label("Venue").fill("Bosque Expo, hall B")
    colleague.get_by_role("button", name="Save changes").click()
    expect(colleague.locator("dl.facts")).to_contain_text("hall B")
    colleague.close()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone else changed this event first")
    expect(page.locator("table.conflict")).to_contain_text("2026-03-28")
    look(page, "conflict")
    page.get_by_role("button", name="Apply my changes to the current version").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("hall B")
    expect(facts).to_contain_text("28 Mar")
    expect(facts.get_by_role("link", name=SOURCE)).to_be_visible()

    # The history shows the date and the venue changed, and the source untouched.
    page.get_by_role("link", name="History").click()
    history = page.locator("ol.revisions")
    expect(history).to_contain_text("end date")
    expect(history).not_to_contain_text("source url")
    assert page.request.get(meeting_url.replace("/events/", "/api/v1/events/")).json()[
        "source_url"] == SOURCE

    # Cancelling the side event asks first, without JavaScript's help.
    page.goto(side_url)
    page.get_by_role("link", name="Mark cancelled…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mark SE-PANTANAL cancelled?")
    look(page, "confirm-cancel")
    page.get_by_role("button", name="Mark cancelled").click()
    expect(page.locator(".kicker")).to_contain_text("Cancelled")
