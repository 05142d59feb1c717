"""The year timeline stays readable: no two labels overlap, on a phone or a desktop."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

Box = tuple[float, float, float, float]


def overlap(a: Box, b: Box) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("year", [2025, 2026])
def test_no_two_timeline_labels_overlap(live_server: str, page: Page, width: int,
                                        year: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/timeline?year={year}")
    labels = page.locator("figure.timeline:visible svg text.label")
    boxes = [box for box in (labels.nth(i).bounding_box() for i in range(labels.count())) if box]
    assert len(boxes) > 15, "the timeline should label its rows and bars"
    flat = [(b["x"], b["y"], b["width"], b["height"]) for b in boxes]
    clashing = [(i, j) for i in range(len(flat)) for j in range(i + 1, len(flat))
                if overlap(flat[i], flat[j])]
    texts = labels.all_inner_texts()
    assert not clashing, [(texts[i], texts[j]) for i, j in clashing]
    svg = page.locator("figure.timeline:visible svg").bounding_box()
    assert svg and svg["width"] <= width, "the timeline must fit the screen's width"


def test_each_bar_of_the_timeline_links_to_its_meeting(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/timeline?year=2025")
    page.locator("figure.timeline:visible svg a").filter(has_text="CoP20").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("CITES CoP20")


@pytest.mark.parametrize("width", [390, 1280])
def test_timeline_labels_render_at_11_px_or_more(live_server: str, page: Page,
                                                 width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/timeline?year=2025")
    sizes = page.locator("figure.timeline:visible svg text").evaluate_all(
        "texts => texts.map(t => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')))")
    assert len(sizes) > 15 and min(sizes) >= 11, min(sizes)


def test_the_legend_explains_the_marks_and_shows_each_body_in_its_bar_colour(
        live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/timeline?year=2025")
    legend = page.locator(".timeline-legend")
    for words in ("a clash", "a joint-communication opportunity", "an international day",
                  "today", "not confirmed"):
        expect(legend).to_contain_text(words)
    swatches = dict(legend.locator(".swatch").evaluate_all(
        "spans => spans.map(s => [s.className.match(/body-(\\S+)/)[1],"
        " getComputedStyle(s).backgroundColor])"))
    bars = page.locator("figure.timeline:visible svg rect.bar").evaluate_all(
        "rects => rects.map(r => [r.dataset.body, getComputedStyle(r).fill])")
    assert len(swatches) == 17 and len(bars) > 20
    assert all(swatches[body] == fill for body, fill in bars), (swatches, bars)
    page.goto(f"{live_server}/bodies")
    badge = page.locator("a.chip.body-cites").first.evaluate(
        "a => getComputedStyle(a).backgroundColor")
    assert badge == swatches["cites"]
