"""Bodies are named by their short names on every page ("Ramsar", never "RAMSAR")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ..conftest import AuthActions

TEMPLATES = Path(__file__).resolve().parents[2] / "blgcal" / "templates"


def test_no_template_shouts_a_slug() -> None:
    shouting = [f"{path.relative_to(TEMPLATES)}:{number}"
                for path in TEMPLATES.rglob("*.html")
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if re.search(r"\|\s*upper\b", line)]
    assert shouting == [], "use |body_name for bodies"


@pytest.mark.usefixtures("seeded")
def test_the_users_page_names_ramsar_as_ramsar(
        client: FlaskClient, create_user, auth: AuthActions) -> None:  # type: ignore[no-untyped-def]
    create_user("root@blg.int", role="admin")
    create_user("wet@ramsar.org", role="editor", bodies=("ramsar",))
    auth.login("root@blg.int")
    users = auth.client.get("/admin/users").get_data(as_text=True)
    assert "Ramsar" in users and "RAMSAR" not in users
