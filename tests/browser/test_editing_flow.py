"""A secretariat editor's day, in a real browser: sign in, add, edit, revert, sign out."""

from collections.abc import Callable

import pytest
from flask import Flask
from icalendar import Calendar
from playwright.sync_api import Page, expect

from blgcal.models import User

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a phone "Sign out" sits in the closed header menu: present, not necessarily visible.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)


def fill_event(page: Page, *, title: str, code: str, first: str, last: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Short code").fill(code)
    page.get_by_label("Organising bodies").select_option(["cbd"])
    page.get_by_label("First day").fill(first)
    page.get_by_label("Last day").fill(last)
    page.get_by_label("City").fill("Nairobi")
    page.get_by_label("Country").select_option("KE")
    page.get_by_label("Time zone").fill("Africa/Nairobi")


def expect_saved(page: Page, title: str) -> None:
    """The event page of *title*; if the form came back instead, say what it objected to."""
    try:
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    except AssertionError as failed:
        objections = page.locator(".errors, .flash, [role=alert]").all_inner_texts()
        raise AssertionError(f"{title!r} was not saved; the form said {objections}") from failed


def test_an_editor_adds_a_meeting_and_side_event_edits_reverts_and_signs_out(
        app: Flask, live_server: str, page: Page, create_user: Callable[..., User]) -> None:
    create_user("cbd@blg.int", role="editor", bodies=["cbd"])
    sign_in(page, live_server, "cbd@blg.int")

    page.get_by_role("link", name="New event").click()
    fill_event(page, title="29th meeting of SBSTTA", code="SBSTTA-29", first="2027-05-10",
               last="2027-05-14")
    page.get_by_label("Kind").select_option("subsidiary_body")
    page.get_by_role("button", name="Create event").click()
    expect_saved(page, "29th meeting of SBSTTA")
    meeting_url = page.url

    page.get_by_role("link", name="New event").click()
    fill_event(page, title="Ocean science side event", code="SE-OCEAN", first="2027-05-11",
               last="2027-05-11")
    page.get_by_label("Kind").select_option("side_event")
    page.get_by_label("Part of meeting").select_option(label="SBSTTA-29 (2027-05-10)")
    page.get_by_role("button", name="Create event").click()
    # The event's own page (the form's "Part of meeting" label would match "Part of" at once,
    # and going on before the save has landed raced it on a loaded machine).
    expect_saved(page, "Ocean science side event")
    expect(page.get_by_text("Part of")).to_be_visible()

    page.goto(live_server + "/")
    expect(page.get_by_role("link", name="SBSTTA-29 · 29th meeting of SBSTTA")).to_be_visible()
    expect(page.get_by_role("link", name="SE-OCEAN · Ocean science side event")).to_be_visible()
    feed = page.request.get(live_server + "/feeds/cbd.ics")
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert {"SBSTTA-29: 29th meeting of SBSTTA", "SE-OCEAN: Ocean science side event"} <= summaries

    for city in ("Mombasa", "Kisumu"):
        page.goto(meeting_url)
        page.get_by_role("link", name="Edit").click()
        page.get_by_label("City").fill(city)
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator("dl.facts")).to_contain_text(city)

    page.get_by_role("link", name="History").click()
    reverts = page.get_by_role("link", name="Revert to this version…")
    expect(reverts).to_have_count(2)
    reverts.last.click()  # the oldest: as created
    expect(page.locator("table.diff")).to_contain_text("Kisumu")  # what the revert will do
    page.get_by_role("button", name="Revert", exact=True).click()
    page.goto(meeting_url)
    expect(page.locator("dl.facts")).to_contain_text("Nairobi, Kenya")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(meeting_url)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
