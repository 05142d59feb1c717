"""The window at a glance: one self-contained SVG, a row per month, a cell per day.

Each cell is coloured by what rules the day out (the first cause, in the
order of :class:`~blgcal.domain.slots.model.Cause`), pale green when free and
dark green when a listed slot starts on it; its tooltip (``<title>``) says
why in words. Laid out for a target width (390 or 1280) with a ``viewBox``,
as the year timeline is (:mod:`blgcal.domain.timeline`), so it scales on any
screen; day numbers are drawn only when cells are wide enough to hold them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from blgcal.domain.slots.model import CAUSE_LABELS, Cause, Day
from blgcal.domain.timeline import FONT, SMALL, text_width
from blgcal.domain.wording import format_day

FREE, SLOT = "free", "slot"
COLOURS = {
    SLOT: "#1b5e20", FREE: "#c8e6c9", Cause.PAST.value: "#eeeeee",
    Cause.WEEKEND.value: "#d6d6d6", Cause.HOLIDAY.value: "#ffcc80",
    Cause.BUSY.value: "#ef9a9a", Cause.BUFFER.value: "#f8bbd0",
    Cause.TRAVEL.value: "#ce93d8", Cause.HOURS.value: "#b3c7f0",
}
LEGEND = ((SLOT, "a listed slot starts"), (FREE, "free"),
          *((cause.value, label) for cause, label in CAUSE_LABELS.items()))
ROW_GAP = 4
TOP = 18


def state(day: Day) -> str:
    """The key of a day's colour: ``slot``, ``free`` or its first cause."""
    if day.rank is not None:
        return SLOT
    return day.causes[0].value if day.causes else FREE


def render_strip(days: Sequence[Day], *, width: int, title: str) -> str:
    """The SVG for *days* (consecutive), laid out for *width* units."""
    months = _months(days)
    label_w = max(text_width(_month_label(first, width), FONT) for first in months) + 8
    cell = (width - label_w - 2) / 31
    height = 26 if cell >= 24 else 16
    rows = len(months)
    total = TOP + rows * (height + ROW_GAP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="slot-strip" role="img" '
             f'viewBox="0 0 {width} {total}" width="100%" aria-labelledby="strip-t-{width}">',
             f'<title id="strip-t-{width}">{escape(title)}</title>']
    parts += _day_numbers(label_w, cell) if cell >= 24 else []
    for row, first in enumerate(months):
        y = TOP + row * (height + ROW_GAP)
        parts.append(f'<text class="month" x="0" y="{y + height * 0.7:.1f}" font-size="{FONT}" '
                     f'fill="#1a1a1a">{escape(_month_label(first, width))}</text>')
        for day in days:
            if (day.day.year, day.day.month) == (first.year, first.month):
                parts.append(_cell(day, label_w + (day.day.day - 1) * cell, y, cell, height))
    parts.append("</svg>")
    return "".join(parts)


def _months(days: Sequence[Day]) -> list[date]:
    seen: dict[tuple[int, int], date] = {}
    for day in days:
        seen.setdefault((day.day.year, day.day.month), day.day.replace(day=1))
    return list(seen.values())


def _month_label(first: date, width: int) -> str:
    return f"{first:%b %Y}" if width >= 600 else f"{first:%b %y}"


def _day_numbers(left: float, cell: float) -> list[str]:
    return [f'<text x="{left + (n - 0.5) * cell:.1f}" y="11" font-size="{SMALL}" '
            f'text-anchor="middle" fill="#4a4a4a">{n}</text>' for n in range(1, 32, 2)]


def _cell(day: Day, x: float, y: float, w: float, h: float) -> str:
    key = state(day)
    why = f"slot {day.rank}" if day.rank is not None else (
        "; ".join(day.notes) if day.notes else "free")
    tip = f"{day.day:%a} {format_day(day.day)}: {why}"
    rect = (f'<rect class="day {key}" x="{x + 0.5:.1f}" y="{y:.1f}" width="{w - 1:.1f}" '
            f'height="{h}" rx="2" fill="{COLOURS[key]}"/>')
    mark = ""
    if day.rank is not None and w >= 14:
        mark = (f'<text x="{x + w / 2:.1f}" y="{y + h * 0.7:.1f}" font-size="{SMALL}" '
                f'text-anchor="middle" fill="#ffffff">{day.rank}</text>')
    return f"<g><title>{escape(tip)}</title>{rect}{mark}</g>"
