"""Helpers of the journey tests: look at each page at a phone's and a desktop's width.

``BLGCAL_SHOTS=/some/folder`` makes :func:`look` save a screenshot of every page
it checks, at both widths, for a person to look at.
"""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, Response

from .checks import assert_looks_right

WIDTHS = (390, 1280)


def look(page: Page, response: Response | None, name: str) -> None:
    """Assert the page looks right at 390 and 1280 px (then leave it at 1280)."""
    shots = os.environ.get("BLGCAL_SHOTS")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_looks_right(page, response)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)


def fetch_anonymously(url: str) -> tuple[str, bytes]:
    """GET *url* as a calendar app would: no cookies, no session. Content type and bytes."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.headers["Content-Type"], answer.read()
