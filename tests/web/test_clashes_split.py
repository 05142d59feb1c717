"""The clashes page lists what lies ahead from today first, then the past, latest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask

from .test_findings import COP20_GB11, text_of


def sections(html: str) -> dict[str, str]:
    text = text_of(html)
    ahead, past = text.split(" Ahead (from today) ", 1)[1].split(" Past ", 1)
    return {"ahead": ahead, "past": past}


def test_clashes_ahead_come_first_soonest_first_then_the_past_latest_first(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(TODAY=date(2025, 11, 20))
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    found = sections(app.test_client().get("/clashes").get_data(as_text=True))
    assert COP20_GB11 in found["ahead"] and COP20_GB11 not in found["past"]
    assert "UNEA-7" in found["ahead"]  # December 2025
    assert found["ahead"].index(COP20_GB11) < found["ahead"].index("UNEA-7")
    assert "COP30 (Belém, 10–21 Nov 2025) falls on" in found["ahead"]  # under way: still ahead
    assert "UNOC3 (Nice, 9–13 Jun 2025) falls on" in found["past"]
    # Latest first: July's World Heritage Committee before June's journey to Nice.
    assert found["past"].index("WHC 47") < found["past"].index("GEF C.69 (Washington")


def test_with_nothing_ahead_the_page_says_so_and_shows_the_past(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(TODAY=date(2027, 12, 1))  # after the last dated meeting shipped
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    found = sections(app.test_client().get("/clashes").get_data(as_text=True))
    assert found["ahead"].startswith("No clashes ahead")
    assert COP20_GB11 in found["past"]
