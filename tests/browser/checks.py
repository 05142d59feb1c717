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


def cut_off_selects(page: Page) -> list[tuple[str, str]]:
    """Visible single selects too narrow for their chosen label, as (id or name, label).

    The label's width is measured in the select's own font; Chromium's arrow
    takes about 24 px beside the padding.
    """
    return [tuple(found) for found in page.evaluate("""() => {
      const ctx = document.createElement('canvas').getContext('2d');
      return [...document.querySelectorAll('select:not([multiple])')]
        .filter(s => s.offsetParent && s.selectedOptions.length)
        .filter(s => {
          const style = getComputedStyle(s);
          ctx.font = style.font;
          const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return ctx.measureText(s.selectedOptions[0].text).width + 24 > room;
        })
        .map(s => [s.id || s.name, s.selectedOptions[0].text]);
    }""")]


def split_words(page: Page) -> list[str]:
    """Words of visible table cells that wrap onto two lines ("Bod y", "CITE S").

    Each word (split at spaces and hyphens, where a line may break) is wrapped
    in a Range; more than one line of client rectangles means the word was cut.
    """
    return list(page.evaluate(r"""() => {
      const found = [];
      for (const cell of document.querySelectorAll('table th, table td')) {
        if (!cell.offsetParent) continue;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.data.matchAll(/[^\s\-\u2013]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
              .map(r => Math.round(r.top)));
            if (tops.size > 1) found.push(match[0]);
          }
        }
      }
      return found;
    }"""))


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
