"""Password mail: STARTTLS verifies the relay's certificate; links use ``BASE_URL``."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from blgcal.services.mail import send_mail

from .conftest import AuthActions
from .test_user_cli import Inbox, smtp  # noqa: F401 - the loopback relay fixture


def self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """A certificate for *host*, signed by itself, made by Debian's openssl."""
    key, cert = folder / f"{host}.key", folder / f"{host}.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return key, cert


@pytest.fixture
def tls_relay(tmp_path: Path) -> Iterator[Callable[[str], tuple[Inbox, int, Path]]]:
    """Start an SMTP relay on loopback that offers STARTTLS with a certificate for a host."""
    controllers: list[Controller] = []

    def start(host: str) -> tuple[Inbox, int, Path]:
        key, cert = self_signed(tmp_path, host)
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(cert, key)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_context,
                                require_starttls=True)
        controller.start()
        controllers.append(controller)
        return inbox, port, cert

    yield start
    for controller in controllers:
        controller.stop()


def mail_config(port: int, ca_file: Path) -> dict[str, object]:
    return {"MAIL_SERVER": "localhost", "MAIL_PORT": port, "MAIL_STARTTLS": True,
            "MAIL_CA_FILE": str(ca_file), "MAIL_FROM": "blgcal@blg.int"}


def test_starttls_refuses_a_certificate_made_for_another_host(tls_relay) -> None:  # type: ignore[no-untyped-def]
    inbox, port, cert = tls_relay("mail.other.example")
    with pytest.raises(ssl.SSLCertVerificationError):
        send_mail(mail_config(port, cert), to="a@cms.int", subject="s", body="b")
    assert inbox.messages == []


def test_starttls_delivers_to_a_relay_whose_certificate_matches(tls_relay) -> None:  # type: ignore[no-untyped-def]
    inbox, port, cert = tls_relay("localhost")
    send_mail(mail_config(port, cert), to="a@cms.int", subject="s", body="b")
    assert message_from_bytes(inbox.messages[0])["To"] == "a@cms.int"


@pytest.mark.usefixtures("seeded")
def test_a_mailed_link_uses_base_url_not_the_request_host(
        make_app, create_user, smtp: tuple[Inbox, int]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    inbox, port = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, BASE_URL="https://calendar.blg.int/")
    app.test_cli_runner().invoke(args=["init"])
    create_user("root@blg.int", role="admin")
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "attacker.example"
    admin = AuthActions(client)
    admin.login("root@blg.int")
    page = admin.post("/admin/users/new", {"email": "new@cms.int", "role": "viewer"})
    assert "https://calendar.blg.int/reset/" in page.get_data(as_text=True)
    body = message_from_bytes(inbox.messages[0]).get_payload()
    assert "https://calendar.blg.int/reset/" in body and "attacker.example" not in body
