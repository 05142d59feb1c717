"""The year timeline: labels never overlap, text is escaped, marks are where they belong."""

from __future__ import annotations

import csv
import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from importlib.resources import files

import pytest

from blgcal.domain.body_colors import BODY_COLORS, body_color
from blgcal.domain.clashes import find_clashes
from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.opportunities import find_opportunities
from blgcal.domain.timeline import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    Box,
    layout_timeline,
    render_timeline,
    text_width,
)
from blgcal.domain.types import Body, Event, Kind, Observance

DATA = files("blgcal") / "seed"
SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 9, 10)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    text = (DATA / "meetings.csv").read_text(encoding="utf-8")
    return [replace(i.event, uid=i.external_uid)
            for i in parse_meetings_csv(text, source="meetings.csv").items]


@pytest.fixture(scope="module")
def bodies() -> list[Body]:
    with (DATA / "bodies.csv").open(encoding="utf-8") as handle:
        return [Body(r["slug"], r["short_name"], r["name"]) for r in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def observances() -> list[Observance]:
    with (DATA / "observances.csv").open(encoding="utf-8") as handle:
        return [Observance(r["name"], r["rrule"], r["lead_body"]) for r in csv.DictReader(handle)]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("year", [2025, 2026])
def test_no_two_labels_overlap_on_real_data(events: list[Event], bodies: list[Body],
                                            width: int, year: int) -> None:
    layout = layout_timeline(events, bodies=bodies, year=year, width=width)
    boxes = [label.box for label in layout.labels]
    assert len(boxes) > 12 + len(bodies)
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.intersects(b)]
    assert all(0 <= box.x and box.x + box.w <= width for box in boxes)


def test_desktop_labels_every_2025_meeting_of_the_busiest_rows(
        events: list[Event], bodies: list[Body]) -> None:
    layout = layout_timeline(events, bodies=bodies, year=2025, width=1280)
    texts = {label.text for label in layout.labels}
    assert {"CoP20", "GB-11", "20EXT", "COP15", "UNEA-7"} <= texts


@pytest.mark.parametrize(("a", "b", "meet"), [
    (Box(0, 0, 10, 10), Box(10, 0, 5, 5), False), (Box(0, 0, 10, 10), Box(9.9, 9.9, 5, 5), True),
    (Box(0, 0, 10, 10), Box(2, 2, 1, 1), True), (Box(0, 0, 10, 10), Box(0, 10, 10, 1), False),
])
def test_box_intersection_is_half_open(a: Box, b: Box, meet: bool) -> None:
    assert a.intersects(b) is meet is b.intersects(a)


def test_text_width_is_generous_for_capitals() -> None:
    assert text_width("WWW", 10) > text_width("iii", 10) >= 3 * 0.6 * 10


def render(events: list[Event], bodies: list[Body], observances: list[Observance],
           width: int = DESKTOP_WIDTH) -> ET.Element:
    svg = render_timeline(events, bodies=bodies, year=2025, today=TODAY,
                          clashes=find_clashes(events),
                          opportunities=find_opportunities(events, observances, today=TODAY),
                          observances=observances, href=lambda e: f"/events/{e.uid}?a=1&b=2",
                          width=width)
    return ET.fromstring(svg)


def test_svg_is_well_formed_and_marks_clashes_bands_ticks_and_today(
        events: list[Event], bodies: list[Body], observances: list[Observance]) -> None:
    root = render(events, bodies, observances)
    assert root.get("viewBox", "").startswith(f"0 0 {DESKTOP_WIDTH} ")
    links = root.findall(f"{SVG}a")
    clashing = {a.get("href") for a in links if "clash" in (a.find(f"{SVG}rect").get("class")
                                                           or "")}  # type: ignore[union-attr]
    assert "/events/cites:CITES CoP20?a=1&b=2" in clashing
    assert "/events/ramsar:Ramsar COP15?a=1&b=2" not in clashing
    assert all(a.find(f"{SVG}title") is not None for a in links)
    assert len(root.findall(f"{SVG}g[@class='observance']")) == 11
    assert root.findall(f"{SVG}rect[@class='opportunity co_location']")
    assert len(root.findall(f"{SVG}line[@class='today']")) == 1


def test_today_outside_the_year_draws_no_line(events: list[Event], bodies: list[Body]) -> None:
    svg = render_timeline(events, bodies=bodies, year=2026, today=TODAY, href=lambda e: "/")
    assert 'class="today"' not in svg


def test_all_text_is_escaped(bodies: list[Body]) -> None:
    nasty = Event(uid="x", title="<script>&", code="A<B>&C", bodies=("cbd",),
                  kind=Kind.GOVERNING_BODY, start_date=date(2025, 3, 1),
                  end_date=date(2025, 3, 30), city="</svg>")
    svg = render_timeline([nasty], bodies=[replace(bodies[0], short_name="C&D")], year=2025,
                          today=TODAY, href=lambda e: '"><script>')
    root = ET.fromstring(svg)
    assert "<script" not in svg
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"C&D", "A<B>&C"}


def test_events_are_clipped_to_the_year(bodies: list[Body]) -> None:
    event = Event(uid="x", title="x", bodies=("cbd",), start_date=date(2024, 12, 20),
                  end_date=date(2025, 1, 10))
    layout = layout_timeline([event], bodies=bodies[:1], year=2025, width=1280)
    [bar] = layout.bars
    assert bar.box.x == pytest.approx(layout.left)
    assert bar.box.w == pytest.approx(layout.x_of(date(2025, 1, 11)) - layout.left)



@pytest.mark.parametrize("width", [390, 1280])
def test_two_letter_names_keep_their_labels(events: list[Event], bodies: list[Body],
                                            width: int) -> None:
    """The UN row and WHC's "47" bar were once dropped for being too short to shorten."""
    layout = layout_timeline(events, bodies=bodies, year=2025, width=width)
    texts = {label.text for label in layout.labels}
    assert {"UN", "47"} <= texts


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_every_label_is_at_least_11_units_and_drawn_one_unit_to_a_pixel(
        events: list[Event], bodies: list[Body], observances: list[Observance],
        width: int) -> None:
    root = render(events, bodies, observances, width=width)
    assert root.get("width") == str(width) and root.get("viewBox", "").startswith(f"0 0 {width} ")
    sizes = {float(text.get("font-size", 0)) for text in root.iter(f"{SVG}text")}
    assert sizes and min(sizes) >= 11


def test_each_bar_takes_its_body_badge_colour(events: list[Event], bodies: list[Body],
                                             observances: list[Observance]) -> None:
    root = render(events, bodies, observances)
    bars = list(root.iter(f"{SVG}rect"))
    fills = {(r.get("data-body"), r.get("fill")) for r in bars if "bar" in (r.get("class") or "")}
    assert len(fills) >= 10
    assert all(fill == body_color(str(slug)) for slug, fill in fills)
    assert ("cites", BODY_COLORS["cites"]) in fills


def test_the_svg_is_not_an_image_role_since_its_bars_are_links(
        events: list[Event], bodies: list[Body], observances: list[Observance]) -> None:
    """axe-core's nested-interactive: the content of role="img" cannot hold links."""
    root = render(events, bodies, observances)
    assert root.get("role") != "img" and root.findall(f"{SVG}a")
