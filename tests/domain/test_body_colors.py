"""Body colours: one table for badges, the month grid and the timeline, all legible."""

from __future__ import annotations

import re

import pytest

from blgcal.domain.body_colors import (
    BODY_COLORS,
    COLORS,
    OTHER_COLOR,
    body_color,
    body_stylesheet,
    feed_color,
)
from blgcal.domain.ical.colors import CSS3_COLORS


def luminance(hex_color: str) -> float:
    """WCAG 2.1 relative luminance."""
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("slug", "color"), [*BODY_COLORS.items(), ("other", OTHER_COLOR)])
def test_white_badge_text_on_every_body_colour_meets_wcag_aa(slug: str, color: str) -> None:
    ratio = (1 + 0.05) / (luminance(color) + 0.05)
    assert ratio >= 4.5, f"{slug} {color}: contrast {ratio:.2f}"


def test_the_stylesheet_gives_each_body_its_badge_and_grid_colour() -> None:
    css = body_stylesheet()
    for slug, color in BODY_COLORS.items():
        assert f".body-{slug} {{ background: {color}; }}" in css
        assert f".month li.b-{slug} {{ border-color: {color}; }}" in css
    assert len(re.findall(r"#[0-9a-f]{6}", css)) == 2 * len(BODY_COLORS)


def test_a_body_without_a_colour_gets_the_neutral_one() -> None:
    assert body_color("newbody") == OTHER_COLOR and body_color("cbd") == BODY_COLORS["cbd"]


def test_every_feed_colour_is_a_css3_keyword() -> None:
    """RFC 7986 5.9: a feed's COLOR takes a CSS3 colour name, not a hex value."""
    assert all(color.keyword in CSS3_COLORS for color in COLORS.values())
    assert feed_color("cbd") == "seagreen" and feed_color("newbody") in CSS3_COLORS
