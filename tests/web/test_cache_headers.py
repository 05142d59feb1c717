"""No cache keeps a signed-in user's pages or a page whose URL is a secret."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize("path", ["/", "/events/1", "/clashes", "/subscribe", "/admin/users",
                                  "/account/password", "/api/v1/events"])
def test_every_page_for_a_signed_in_user_is_no_store(create_user, auth: AuthActions,  # type: ignore[no-untyped-def]
                                                    path: str) -> None:
    create_user("root@blg.int", role="admin")
    auth.login("root@blg.int")
    response = auth.client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable_for_anonymous_visitors(client: FlaskClient) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_the_password_link_page_is_no_store_even_signed_out(runner, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    output = runner.invoke(args=["user", "add", "ana@cbd.int", "--role", "viewer"]).output
    path = re.search(r"https?://[^/\s]+(/reset/\S+)", output).group(1)  # type: ignore[union-attr]
    response = client.get(path)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
