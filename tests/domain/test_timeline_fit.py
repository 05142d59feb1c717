"""Label fitting on the timeline: bounded by the room, not the title, and the labels it always gave."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain import timeline
from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.timeline import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    layout_timeline,
    render_timeline,
    text_width,
)
from blgcal.domain.types import Body, Event

DATA = files("blgcal") / "seed"
ROOT = Path(__file__).resolve().parents[2]


def measured_fit(text: str, room: float, size: int) -> str | None:
    """The fitting before it was made linear: measure every shortened prefix, longest first."""
    for end in range(len(text), 0, -1):
        shown = text if end == len(text) else text[:end].rstrip() + "\u2026"
        if text_width(shown, size) <= room:
            return shown
    return None


@pytest.fixture(scope="module")
def seeded() -> tuple[list[Event], list[Body]]:
    text = (DATA / "meetings.csv").read_text(encoding="utf-8")
    events = [replace(i.event, uid=i.external_uid)
              for i in parse_meetings_csv(text, source="meetings.csv").items]
    with (DATA / "bodies.csv").open(encoding="utf-8") as handle:
        bodies = [Body(r["slug"], r["short_name"], r["name"]) for r in csv.DictReader(handle)]
    return events, bodies


TITLES = st.text(st.sampled_from("aeiouKMW17 .-\u00e9\u2026\t\u00a0"), max_size=50) | st.text(max_size=50)
# Past the 51 characters the phone layout can measure in a lane.
LONG_TITLES = st.text(st.sampled_from("aeiouKMW17 .-"), min_size=1, max_size=250).filter(str.strip)


@given(TITLES, st.floats(-10, 700, allow_nan=False), st.sampled_from([timeline.SMALL, timeline.FONT]))
def test_fitting_gives_what_measuring_every_prefix_gave(text: str, room: float, size: int) -> None:
    assert timeline._fit(text, room, size) == measured_fit(text, room, size)


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_seeded_timeline_is_drawn_as_before(seeded: tuple[list[Event], list[Body]],
                                                monkeypatch: pytest.MonkeyPatch,
                                                width: int, year: int) -> None:
    events, bodies = seeded

    def draw() -> str:
        return render_timeline(events, bodies=bodies, year=year, today=date(2025, 9, 10),
                               href=lambda event: f"/events/{event.uid}", width=width)

    now = draw()
    monkeypatch.setattr(timeline, "_fit", measured_fit)
    monkeypatch.setattr(timeline, "_within", lambda text, width: text)  # lanes measured whole
    assert now == draw()
    if (year, width) == (2025, PHONE_WIDTH):
        assert "\u2026" in now  # labels were shortened: the fitting was exercised


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(LONG_TITLES, st.integers(0, 360), st.integers(0, 40)),
                min_size=1, max_size=8))
def test_random_titles_are_laid_out_as_before(meetings: list[tuple[str, int, int]]) -> None:
    bodies = [Body("cbd", "CBD", "CBD"), Body("cites", "CITES", "CITES")]
    events = [Event(uid=f"u{n}", title=title, bodies=(bodies[n % 2].slug,),
                    start_date=date(2026, 1, 1) + timedelta(days=start),
                    end_date=date(2026, 1, 1) + timedelta(days=start + length))
              for n, (title, start, length) in enumerate(meetings)]
    for width in (PHONE_WIDTH, DESKTOP_WIDTH):
        now = layout_timeline(events, bodies=bodies, year=2026, width=width)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timeline, "_fit", measured_fit)
            patch.setattr(timeline, "_within", lambda text, width: text)
            assert now == layout_timeline(events, bodies=bodies, year=2026, width=width)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []
    em = timeline._em

    def counting(char: str) -> float:
        calls.append(char)
        return em(char)

    monkeypatch.setattr(timeline, "_em", counting)
    yield calls


def test_fitting_a_megabyte_title_measures_only_what_fits(counted: list[str]) -> None:
    title = "Extraordinary Meeting of the Conference of the Parties " * 20_000  # 1.1 MB
    shown = timeline._fit(title, 300, timeline.SMALL)
    # 300 units hold at most 300 / (0.6 em x 11) = 45 characters: one more ends the scan.
    assert len(counted) <= 48
    assert shown is not None and shown.endswith("\u2026") and text_width(shown, timeline.SMALL) <= 300


def test_a_megabyte_title_on_the_timeline_is_drawn_quickly_and_well_formed(tmp_path: Path) -> None:
    """Guarded by a generous timeout, not timed: the quadratic fitting took hours here."""
    script = tmp_path / "draw.py"
    script.write_text(
        "from datetime import date\n"
        "from blgcal.domain.timeline import render_timeline\n"
        "from blgcal.domain.types import Body, Event\n"
        "title = 'Extraordinary Meeting of the Conference of the Parties ' * 20_000\n"
        "event = Event(uid='u', title=title, bodies=('cbd',), start_date=date(2027, 3, 1),\n"
        "              end_date=date(2027, 3, 5))\n"
        "print(render_timeline([event], bodies=[Body('cbd', 'CBD', 'CBD')], year=2027,\n"
        "                      today=date(2027, 1, 1), href=lambda e: '/events/1'))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True)
    svg = ET.fromstring(done.stdout)
    labels = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert any(label.startswith("Extraordinary") and label.endswith("\u2026") for label in labels)
