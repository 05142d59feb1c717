"""A year at a glance: one self-contained SVG, no script, fonts or stylesheet.

One row per body (its short name on the left), a month grid, a bar per
dated event clipped to the year, observances as ticks along the top,
opportunities as pale bands and today as a red line. Bars of events in a
``block`` or ``warn`` clash get a red outline and the class ``clash``.

Layout is computed in the units of the target width (``PHONE_WIDTH`` and
``DESKTOP_WIDTH``: the page's content width on a 390 px phone and on a wide
screen) and drawn one unit to a CSS pixel, so no text is smaller than 11 px;
the bar colour of each body is its badge colour. Text widths are estimated
conservatively (0.72 em for capitals and digits, 0.6 em otherwise); a bar
label is shortened or dropped when its box would meet another label or leave
the chart, so no two elements of class ``label`` ever intersect.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from blgcal.domain.body_colors import body_color
from blgcal.domain.clashes import Clash, Severity
from blgcal.domain.observances import occurrences
from blgcal.domain.opportunities import Opportunity
from blgcal.domain.types import Body, Event, Observance, Status
from blgcal.domain.validation import xml_text
from blgcal.domain.wording import event_name, format_day, format_days

FONT = 12
SMALL = 11
PHONE_WIDTH = 330
DESKTOP_WIDTH = 1094
LANE = 26
TOP = 40
PAD = 6
MAX_LANES = 3


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle, top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    def intersects(self, other: Box) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)


@dataclass(frozen=True, slots=True)
class Label:
    """Text placed at (x, baseline), with its estimated box."""

    text: str
    x: float
    baseline: float
    size: int
    box: Box


@dataclass(frozen=True, slots=True)
class Bar:
    event: Event
    body: str
    box: Box


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything positioned; :func:`render_timeline` only draws it."""

    width: int
    height: int
    left: float
    year: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    rows: tuple[tuple[Body, float, float], ...]

    def x_of(self, day: date) -> float:
        """The x of the start of *day* in the chart area."""
        start = date(self.year, 1, 1)
        span = (date(self.year + 1, 1, 1) - start).days
        return self.left + (day - start).days / span * (self.width - PAD - self.left)


def text_width(text: str, size: int) -> float:
    """A deliberately generous estimate of rendered width in user units."""
    return sum(map(_em, text)) * size


def _em(char: str) -> float:
    return 0.72 if char.isupper() or char.isdigit() or char in "mwMW@%" else 0.6


def _label(text: str, x: float, baseline: float, size: int) -> Label:
    box = Box(x, baseline - size, text_width(text, size), size * 1.3)
    return Label(text, x, baseline, size, box)


def _fit(text: str, room: float, size: int) -> str | None:
    """*text*, or its longest prefix with an ellipsis, that fits *room*.

    One pass that stops once the room is spent: the widths of the prefixes
    only grow, so the work is bounded by *room*, not by the text's length.
    The sums are those of :func:`text_width`, term for term, so the answer
    is the one measuring every shortened prefix would give.
    """
    ellipsis = _em("\u2026")
    total, kept, kept_width = 0.0, 0, 0.0  # kept: where the prefix ends, trailing spaces cut
    fits: int | None = None
    for end, char in enumerate(text, start=1):
        total += _em(char)
        if not char.isspace():
            kept, kept_width = end, total
        if end == len(text) and total * size <= room:
            return text
        if end == len(text) or (kept_width + ellipsis) * size > room:
            break
        fits = kept
    return None if fits is None else text[:fits] + "\u2026"


def layout_timeline(events: Iterable[Event], *, bodies: Sequence[Body], year: int,
                    width: int = DESKTOP_WIDTH) -> Layout:
    """Place rows, bars and labels for *year* at *width* user units."""
    # One unit spare so rounding never drops the widest body's own name.
    left = min(max(text_width(b.short_name, FONT) for b in bodies) + 2 * PAD + 1, width * 0.28) \
        if bodies else PAD
    frame = Layout(width, 0, left, year, (), (), ())
    labels = _month_labels(frame)
    bars, rows, y = [], [], float(TOP)
    for body in bodies:
        lanes = _lanes(frame, [e for e in _in_year(events, year) if body.slug in e.bodies],
                       body.slug)
        height = max(1, len(lanes)) * LANE + 4
        name = _fit(body.short_name, left - 2 * PAD, FONT) or ""
        labels.append(_label(name, PAD, y + LANE / 2 + 4, FONT))
        for lane_number, lane in enumerate(lanes):
            lane_bars = [_bar(frame, event, body.slug, y + lane_number * LANE) for event in lane]
            bars += lane_bars
            labels += _bar_labels(frame, lane_bars, labels)
        rows.append((body, y, height))
        y += height
    return Layout(width, int(y) + PAD, left, year, tuple(bars), tuple(labels), tuple(rows))


def _month_labels(frame: Layout) -> list[Label]:
    labels = []
    for month in range(1, 13):
        start, end = date(frame.year, month, 1), _month_end(frame.year, month)
        room = frame.x_of(end) - frame.x_of(start) - 2
        name = calendar.month_abbr[month]
        text = name if text_width(name, SMALL) <= room else name[0]
        labels.append(_label(text, frame.x_of(start) + 2, 14, SMALL))
    return labels


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def _in_year(events: Iterable[Event], year: int) -> list[Event]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    found = [e for e in events if (days := e.local_days()) and days[0] <= last
             and days[1] >= first]
    return sorted(found, key=lambda e: (_days(e, year), e.uid))


def _days(event: Event, year: int) -> tuple[date, date]:
    """The event's local days clipped to *year*."""
    days = event.local_days()
    assert days is not None
    return max(days[0], date(year, 1, 1)), min(days[1], date(year, 12, 31))


def _lanes(frame: Layout, events: list[Event], body: str) -> list[list[Event]]:
    """Give each bar the first lane where its bar and its label both fit.

    Up to ``MAX_LANES`` lanes open to make room for labels; past that a bar
    takes the first lane its bar fits in and its label may be shortened or
    dropped. Bars never overlap within a lane.
    """
    lanes: list[list[Event]] = []
    ends: list[tuple[float, float]] = []  # per lane: (bar end, label end)
    for event in events:
        bar = _bar(frame, event, body, 0).box
        label_end = bar.x + text_width(_within(_row_name(event, body), frame.width), SMALL) + 2
        free = [n for n, (bar_end, _) in enumerate(ends) if bar_end < bar.x]
        roomy = [n for n in free if ends[n][1] < bar.x]
        if roomy or len(lanes) >= MAX_LANES and free:
            lane = (roomy or free)[0]
            lanes[lane].append(event)
            ends[lane] = (bar.x + bar.w, max(label_end, bar.x + bar.w))
        else:
            lanes.append([event])
            ends.append((bar.x + bar.w, max(label_end, bar.x + bar.w)))
    return lanes


def _within(text: str, width: float) -> str:
    """The start of *text* that can matter in *width*: one more character than could fit.

    Every character is at least 0.6 em wide, so what follows is past the edge whatever it is.
    """
    return text[:int(width / (0.6 * SMALL)) + 1]


def _bar(frame: Layout, event: Event, body: str, lane_y: float) -> Bar:
    first, last = _days(event, frame.year)
    x = frame.x_of(first)
    w = max(3.0, frame.x_of(last + timedelta(days=1)) - x)
    return Bar(event, body, Box(x, lane_y + 4, w, 10))


def _row_name(event: Event, body: str) -> str:
    """The event's name without its row's body: "CoP20" in the CITES row."""
    name = event_name(event)
    head, _, rest = name.partition(" ")
    return rest if rest and head.lower() == body.lower() else name


def _bar_labels(frame: Layout, bars: list[Bar], placed: list[Label]) -> list[Label]:
    """Label each bar under its start when the label meets nothing placed."""
    found: list[Label] = []
    right = frame.width - PAD
    for bar in bars:
        text = _fit(_row_name(bar.event, bar.body), right - bar.box.x, SMALL)
        while text:
            label = _label(text, bar.box.x, bar.box.y + bar.box.h + SMALL + 1, SMALL)
            if not any(label.box.intersects(other.box) for other in (*placed, *found)):
                found.append(label)
                break
            text = _fit(text.rstrip("\u2026"), label.box.w - SMALL, SMALL)
    return found


def render_timeline(events: Iterable[Event], *, bodies: Sequence[Body], year: int, today: date,
                    clashes: Iterable[Clash] = (), opportunities: Iterable[Opportunity] = (),
                    observances: Iterable[Observance] = (), href: Callable[[Event], str],
                    width: int = DESKTOP_WIDTH) -> str:
    """Render *year* as an SVG document; every text is escaped (:func:`_xml`).

    :param href: the link for an event's bar.
    :param width: the width to lay out for; the SVG scales by its viewBox.
    """
    events = list(events)
    layout = layout_timeline(events, bodies=bodies, year=year, width=width)
    flagged = _flagged(clashes)
    parts = [_open(layout), *_grid(layout), *_bands(layout, opportunities),
             *_ticks(layout, observances), *_bars(layout, flagged, href),
             *(_text(label) for label in layout.labels), *_today(layout, today), "</svg>"]
    return "\n".join(parts)


def _flagged(clashes: Iterable[Clash]) -> dict[str, list[str]]:
    flagged: dict[str, list[str]] = {}
    for clash in clashes:
        if clash.severity is not Severity.INFO:
            for event in clash.events:
                flagged.setdefault(event.uid, []).append(clash.explanation)
    return flagged


def _open(layout: Layout) -> str:
    # No role="img": the bars are links, and an image's content is not interactive.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} '
            f'{layout.height}" width="{layout.width}" height="{layout.height}" '
            f'font-family="system-ui, sans-serif"><title>Meetings in {layout.year}</title>')


def _grid(layout: Layout) -> list[str]:
    bottom = layout.height - PAD
    lines = []
    for month in range(1, 14):
        x = layout.x_of(_month_end(layout.year, month - 1) if month > 1 else date(layout.year, 1, 1))
        lines.append(f'<line class="grid" x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{bottom}" '
                     'stroke="#ddd" stroke-width="1"/>')
    for _, y, height in layout.rows:
        lines.append(f'<line class="row" x1="0" y1="{y + height:.1f}" x2="{layout.width}" '
                     f'y2="{y + height:.1f}" stroke="#eee" stroke-width="1"/>')
    return lines


def _clip(layout: Layout, first: date, last: date) -> tuple[float, float] | None:
    year_first, year_last = date(layout.year, 1, 1), date(layout.year, 12, 31)
    if last < year_first or first > year_last:
        return None
    x = layout.x_of(max(first, year_first))
    return x, max(2.0, layout.x_of(min(last, year_last) + timedelta(days=1)) - x)


def _bands(layout: Layout, opportunities: Iterable[Opportunity]) -> list[str]:
    bands = []
    for item in opportunities:
        span = _clip(layout, item.start, item.end)
        if span is not None:
            bands.append(f'<rect class="opportunity {item.kind}" x="{span[0]:.1f}" y="{TOP - 4}" '
                         f'width="{span[1]:.1f}" height="{layout.height - TOP - PAD + 4}" '
                         f'fill="#f5c518" fill-opacity="0.15"><title>{_xml(item.explanation)}'
                         "</title></rect>")
    return bands


def _ticks(layout: Layout, observances: Iterable[Observance]) -> list[str]:
    ticks = []
    for item in observances:
        for day in occurrences(item, date(layout.year, 1, 1), date(layout.year, 12, 31)):
            x = layout.x_of(day) + 1
            ticks.append(f'<g class="observance"><title>{_xml(item.name)}, '
                         f'{format_day(day)}</title><path d="M{x - 4:.1f} 22 h8 l-4 8 z" '
                         'fill="#2a9d8f"/></g>')
    return ticks


def _bars(layout: Layout, flagged: dict[str, list[str]],
          href: Callable[[Event], str]) -> list[str]:
    return [_bar_svg(bar, body_color(bar.body), flagged.get(bar.event.uid, []), href)
            for bar in layout.bars]


def _bar_svg(bar: Bar, fill: str, problems: list[str], href: Callable[[Event], str]) -> str:
    event, box = bar.event, bar.box
    days = event.local_days()
    where = f"{event.city or 'online'}, {format_days(*days) if days else ''}"
    tip = "\n".join([f"{event.title} ({where})", *problems])
    classes = "bar clash" if problems else "bar"
    outline = ' stroke="#d62728" stroke-width="2"' if problems else ""
    faint = ' fill-opacity="0.55"' if event.status is not Status.CONFIRMED else ""
    return (f"<a href={quoteattr(href(event))}><title>{_xml(tip)}</title>"
            f'<rect class="{classes}" data-body={quoteattr(bar.body)} x="{box.x:.1f}" '
            f'y="{box.y:.1f}" width="{box.w:.1f}" '
            f'height="{box.h:.1f}" rx="2" fill="{fill}"{faint}{outline}/></a>')


def _text(label: Label) -> str:
    return (f'<text class="label" x="{label.x:.1f}" y="{label.baseline:.1f}" '
            f'font-size="{label.size}" fill="#222">{_xml(label.text)}</text>')


def _xml(text: str) -> str:
    """*text* for an SVG: escaped, without the characters XML refuses (rows may hold them)."""
    return escape(xml_text(text))


def _today(layout: Layout, today: date) -> list[str]:
    if today.year != layout.year:
        return []
    x = layout.x_of(today)
    line = (f'<line class="today" x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{layout.height - PAD}" '
            'stroke="#d62728" stroke-width="1.5" stroke-dasharray="4 3"><title>Today, '
            f"{format_day(today)}</title></line>")
    return [line]
