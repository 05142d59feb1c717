"""``blgcal user add|set-role|deactivate|activate|list|reset-link`` and reset links by mail."""

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskCliRunner

from .conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")


def test_user_add_with_password_on_stdin_can_sign_in(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["user", "add", "ana@cbd.int", "--role", "editor", "--body", "cbd",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Added ana@cbd.int (editor of cbd)." in result.output and "/reset/" not in result.output
    auth = AuthActions(app.test_client())
    assert auth.login("ana@cbd.int", "a long enough password").status_code == 302


def test_user_add_without_a_password_prints_a_one_time_link(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["user", "add", "bob@cites.org", "--role", "viewer"])
    assert result.exit_code == 0 and "/reset/" in result.output
    listing = runner.invoke(args=["user", "list"]).output
    assert "bob@cites.org\tviewer" in listing


@pytest.mark.parametrize(("args", "message"), [
    (["user", "add", "x@y.org", "--role", "editor"], "an editor needs at least one body"),
    (["user", "add", "x@y.org", "--role", "editor", "--body", "wwf"], "unknown body: wwf"),
    (["user", "add", "not-an-email", "--role", "viewer"], "is not an email address"),
    (["user", "reset-link", "nobody@y.org"], "no account for nobody@y.org"),
])
def test_user_commands_explain_what_is_wrong(runner: FlaskCliRunner, args: list[str],
                                             message: str) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output


def test_a_short_password_is_refused(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["user", "add", "ana@cbd.int", "--role", "viewer",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_an_admin_created_account_gets_its_link_by_mail_when_smtp_is_set(
        make_app, create_user, smtp: tuple[Inbox, int]) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="blgcal@blg.int")
    app.test_cli_runner().invoke(args=["init"])
    create_user("root@blg.int", role="admin")
    admin = AuthActions(app.test_client())
    admin.login("root@blg.int")
    page = admin.post("/admin/users/new", {"email": "new@cms.int", "role": "viewer"})
    assert "has also been mailed" in page.get_data(as_text=True)
    message = message_from_bytes(inbox.messages[0])
    assert message["To"] == "new@cms.int" and "/reset/" in message.get_payload()


@pytest.mark.parametrize("email", ["ops@intranet", "desk@blg.test"])
def test_addresses_on_intranet_or_test_domains_can_be_added_and_edited_everywhere(
        runner: FlaskCliRunner, create_user, auth: AuthActions, email: str) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["user", "add", email, "--role", "viewer"]).exit_code == 0
    result = runner.invoke(args=["user", "set-role", email, "--role", "editor", "--body", "cms"])
    assert result.exit_code == 0 and "editor of cms" in result.output
    create_user("root@blg.int", role="admin")
    auth.login("root@blg.int")
    users = auth.client.get("/admin/users").get_data(as_text=True)
    user_id = int(re.search(rf'href="/admin/users/(\d+)"[^>]*>{re.escape(email)}', users).group(1))  # type: ignore[union-attr]
    page = auth.post(f"/admin/users/{user_id}", {"email": email, "name": "Desk", "role": "viewer"},
                     follow_redirects=True)
    assert f"Saved {email}" in page.get_data(as_text=True)
    listed = runner.invoke(args=["user", "list"]).output
    assert f"{email}\tviewer" in listed


def test_deactivate_ends_sessions_and_activate_restores_sign_in(
        runner: FlaskCliRunner, create_user, auth: AuthActions) -> None:  # type: ignore[no-untyped-def]
    create_user("ana@cbd.int", role="viewer")
    auth.login("ana@cbd.int")
    assert auth.client.get("/account/password").status_code == 200
    result = runner.invoke(args=["user", "deactivate", "ana@cbd.int"])
    assert result.exit_code == 0 and "deactivated" in result.output
    assert auth.client.get("/account/password").status_code in (302, 401)
    assert "(deactivated)" in runner.invoke(args=["user", "list"]).output
    assert runner.invoke(args=["user", "activate", "ana@cbd.int"]).exit_code == 0
    assert auth.login("ana@cbd.int").status_code in (200, 302)
    assert auth.client.get("/account/password").status_code == 200


@pytest.mark.parametrize("args, message", [
    (["user", "set-role", "nobody@cbd.int", "--role", "viewer"], "no account for nobody@cbd.int"),
    (["user", "set-role", "ana@cbd.int", "--role", "editor"], "an editor needs at least one body"),
    (["user", "set-role", "ana@cbd.int", "--role", "editor", "--body", "xyz"], "unknown body: xyz"),
    (["user", "deactivate", "nobody@cbd.int"], "no account for nobody@cbd.int"),
    (["user", "add", "not an address", "--role", "viewer"], "is not an email address"),
])
def test_account_commands_name_what_is_wrong(runner: FlaskCliRunner, create_user,  # type: ignore[no-untyped-def]
                                             args: list[str], message: str) -> None:
    create_user("ana@cbd.int", role="viewer")
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output
