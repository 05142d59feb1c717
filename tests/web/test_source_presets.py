"""Shipped source presets: listed, added disabled, from the command line and the admin page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Source, User

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")


def test_presets_are_listed_with_whether_the_format_is_verified(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["source", "presets"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("informea-cms\tinformea\tcms\tverified") for line in lines)
    assert any(line.startswith("informea-icrw\tinformea\tiwc\tverified") for line in lines)
    assert any(line.startswith("cbd-meetings\tcbd\tcbd\tverified") for line in lines)
    assert any(line.startswith("ipbes-ical\tics\tipbes\tdocumented only") for line in lines)
    assert "needs an agreement with InforMEA's knowledge-management project" in result.output


def test_a_preset_is_added_disabled_from_the_command_line(runner: FlaskCliRunner,
                                                          session: Session) -> None:
    result = runner.invoke(args=["source", "add", "--preset", "indico-un", "--category", "512"])
    assert result.exit_code == 0, result.output
    source = session.scalars(select(Source).where(Source.name == "indico-un-512")).one()
    assert (source.enabled, source.kind, source.url, source.preset) == (
        False, "ics", "https://indico.un.org/category/512/events.ics", "indico-un")
    assert "*Conference Invitees*" in (source.exclude_titles or "")
    missing = runner.invoke(args=["source", "add", "--preset", "indico-un"])
    assert missing.exit_code == 1 and "needs a numeric category id" in missing.output
    unknown = runner.invoke(args=["source", "add", "--preset", "nope"])
    assert unknown.exit_code == 1 and "no preset 'nope'" in unknown.output


def test_an_admin_adds_a_preset_from_the_page(create_user: Callable[..., User], auth: AuthActions,
                                              session: Session) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    page = auth.client.get("/admin/sources/presets").get_data(as_text=True)
    assert "cbd-meetings" in page and "format verified" in page and "documented only" in page
    response = auth.post("/admin/sources/presets/cbd-meetings")
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    source = session.scalars(select(Source).where(Source.preset == "cbd-meetings")).one()
    assert (source.enabled, source.kind) == (False, "cbd")
    assert source.url.startswith("https://api.cbd.int/api/v2013/index/select?q=")


def test_only_admins_add_presets(create_user: Callable[..., User], auth: AuthActions) -> None:
    create_user("ed@blg.int", role="editor", bodies=["cbd"])
    auth.login("ed@blg.int")
    assert auth.post("/admin/sources/presets/cbd-meetings").status_code == 403
