"""Templates compare enum-valued attributes with the enums, never with their strings.

``event.status == Status.CANCELLED``, not ``event.status.value == 'cancelled'``: the
enums are Jinja globals (``blgcal.web.formatting.ENUMS``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask, get_template_attribute

from blgcal.domain.types import Event, Status

TEMPLATES = Path(__file__).resolve().parents[2] / "blgcal" / "templates"
ENUM_VALUED = r"\b(?:status|kind|visibility|state|role|on_vanish|mode|severity)(?:\.value)?"
STRING = r"""\(?\s*['"]"""
COMPARED = re.compile(rf"{ENUM_VALUED}\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*{STRING}"
                      rf"""|['"]\s*(?:==|!=)\s*[\w.]*{ENUM_VALUED}""")


def string_comparisons(text: str) -> list[str]:
    return [match.group(0) for match in COMPARED.finditer(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("{% if event.status.value == 'cancelled' %}", True),
    ("{% if run.status != \"failed\" %}", True),
    ("{% if principal.role.value in ('admin', 'editor') %}", True),
    ("{% if 'staff' == event.visibility %}", True),
    ("{% if event.status == Status.CANCELLED %}", False),
    ("{% if principal.role in (Role.ADMIN, Role.EDITOR) %}", False),
    ("{% if request.endpoint == 'pages.agenda' %}", False),
])
def test_the_scan_tells_a_string_comparison_from_an_enum_one(text: str, found: bool) -> None:
    assert bool(string_comparisons(text)) is found


def test_no_template_compares_an_enum_valued_attribute_with_a_string() -> None:
    compared = [f"{path.relative_to(TEMPLATES)}: {hit}"
                for path in sorted(TEMPLATES.rglob("*.html"))
                for hit in string_comparisons(path.read_text(encoding="utf-8"))]
    assert compared == [], "compare with the enum member (a Jinja global), not its value"


@pytest.mark.parametrize(("status", "struck", "badge"), [
    (Status.CONFIRMED, False, None),
    (Status.TENTATIVE, False, "Tentative"),
    (Status.CANCELLED, True, "Cancelled"),
])
def test_a_listed_event_reads_its_status_through_the_enum(
        app: Flask, status: Status, struck: bool, badge: str | None) -> None:
    event = Event(uid="u", title="COP 17", bodies=("cbd",), status=status, id=7,
                  start_date=date(2026, 10, 19), end_date=date(2026, 10, 30))
    with app.test_request_context():
        html = str(get_template_attribute("_macros.html", "event_item")(event))
    assert ('class="event kind-governing_body cancelled"' in html) is struck
    assert ("status-" in html) is (badge is not None)
    assert badge is None or f">{badge}</span>" in html
