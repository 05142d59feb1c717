"""Tables keep their words whole ("Bod y", "CITE S", "ad min" were split) and fit the screen."""

from collections.abc import Callable

import pytest
from flask.testing import FlaskCliRunner
from playwright.sync_api import Page

from blgcal.models import User

from .checks import horizontal_overflow, split_words
from .test_header import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


@pytest.mark.parametrize("width", [390, 1280])
def test_admin_tables_split_no_word_and_scroll_only_inside_themselves(
        live_server: str, page: Page, runner: FlaskCliRunner, create_user: Callable[..., User],
        width: int) -> None:
    create_user("admin@blg.int", role="admin")
    create_user("secretariat.editor@cites.org", role="editor", bodies=["cites", "cms", "ramsar"])
    for name, body in (("cites-meetings-and-events", "cites"), ("ramsar-calendar", "ramsar")):
        result = runner.invoke(args=["source", "add", "--body", body, "--kind", "ics", "--name",
                                     name, "--url", f"https://example.org/{name}.ics"])
        assert result.exit_code == 0, result.output
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "admin@blg.int")
    for path in ("/admin/users", "/admin/sources"):
        page.goto(live_server + path)
        assert page.locator("table td").count() > 4
        assert split_words(page) == [], path
        assert horizontal_overflow(page) <= 0, path
