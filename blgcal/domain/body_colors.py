"""One colour per body, for the badges, the month grid, the timeline and the feeds alike.

Every colour carries white text at WCAG AA (a contrast of at least 4.5:1),
since the badges print the body's short name on it. A feed's ``COLOR``
(RFC 7986 5.9) must be a CSS3 keyword, so each body also names the keyword
nearest its colour.
"""

from __future__ import annotations

from typing import NamedTuple


class BodyColor(NamedTuple):
    hex: str
    keyword: str


COLORS = {
    "cbd": BodyColor("#2e7d32", "seagreen"), "cites": BodyColor("#8d6e63", "sienna"),
    "cms": BodyColor("#0277bd", "steelblue"), "ramsar": BodyColor("#00838f", "teal"),
    "whc": BodyColor("#6a1b9a", "purple"), "ippc": BodyColor("#4a7a28", "olivedrab"),
    "itpgrfa": BodyColor("#6f6e12", "olive"), "iwc": BodyColor("#1565c0", "navy"),
    "blg": BodyColor("#0b6e4f", "darkgreen"), "unep": BodyColor("#00695c", "darkcyan"),
    "ipbes": BodyColor("#ad1457", "mediumvioletred"),
    "unfccc": BodyColor("#37474f", "darkslategray"), "unccd": BodyColor("#a35c00", "peru"),
    "gef": BodyColor("#4e342e", "saddlebrown"), "unesco": BodyColor("#283593", "midnightblue"),
    "iucn": BodyColor("#c62828", "crimson"), "un": BodyColor("#1976d2", "dodgerblue"),
}
OTHER = BodyColor("#58666b", "darkgreen")
BODY_COLORS = {slug: color.hex for slug, color in COLORS.items()}
OTHER_COLOR = OTHER.hex


def body_color(slug: str) -> str:
    """The body's colour, or the neutral one for a body without its own."""
    return COLORS.get(slug, OTHER).hex


def feed_color(slug: str) -> str:
    """The CSS3 keyword for the body's feed (RFC 7986 5.9 ``COLOR``)."""
    return COLORS.get(slug, OTHER).keyword


def body_stylesheet() -> str:
    """The CSS of the badge (``.body-SLUG``) and month-grid (``li.b-SLUG``) colours."""
    rules = [f".body-{slug} {{ background: {color}; }}\n"
             f".month li.b-{slug} {{ border-color: {color}; }}"
             for slug, color in BODY_COLORS.items()]
    return "/* Generated from blgcal/domain/body_colors.py. */\n" + "\n".join(rules) + "\n"
