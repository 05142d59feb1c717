"""What a person sees, checked the same way on every page a journey visits.

``assert_looks_right(page, response)`` asserts that the page was served as
HTML, that it does not scroll sideways at the current viewport, and that
axe-core (npm ``axe-core``, installed by ``npm ci --prefix tests/js``) finds no
serious or critical accessibility violation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Response

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@cache
def axe_source() -> str:
    if not AXE.is_file():
        raise AssertionError("axe-core is missing: run npm ci --prefix tests/js")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not block.
        page.evaluate(axe_source())
    result = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [node["target"] for node in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in BLOCKING
    ]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return int(page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def assert_looks_right(page: Page, response: Response | None = None) -> None:
    """The page is HTML, fits the viewport's width and has no serious axe violation."""
    if response is not None:
        content_type = response.headers.get("content-type", "")
        assert content_type == "text/html; charset=utf-8", (page.url, content_type)
    assert page.locator("body").count() == 1, f"{page.url} has no rendered body"
    overflow = horizontal_overflow(page)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    violations = axe_violations(page)
    assert not violations, (page.url, violations)
