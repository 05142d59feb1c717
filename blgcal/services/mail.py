"""Outgoing mail, when an SMTP server is configured (``MAIL_SERVER``)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any


def mail_configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("MAIL_SERVER"))


def tls_context(config: Mapping[str, Any]) -> ssl.SSLContext:
    """A verifying client context: the server's certificate must match ``MAIL_SERVER``.

    ``MAIL_CA_FILE`` names a PEM bundle for a relay signed by a private authority;
    otherwise the system's trusted roots are used.
    """
    return ssl.create_default_context(cafile=config.get("MAIL_CA_FILE") or None)


def send_mail(config: Mapping[str, Any], *, to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                      timeout=15) as smtp:
        if config.get("MAIL_STARTTLS"):
            smtp.starttls(context=tls_context(config))
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
