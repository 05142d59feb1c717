"""Security headers on every response.

The CSP allows only the app's own scripts, styles and images (no inline code),
so a crafted title cannot run script even if escaping failed somewhere.
Pages for a signed-in user, and pages whose URL carries a secret (a password
link), are ``Cache-Control: no-store``: no shared or browser cache keeps them.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

#: Endpoints whose URL is a secret: never stored, whoever asks.
SECRET_URL_ENDPOINTS = frozenset({"auth.reset_password"})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint in SECRET_URL_ENDPOINTS or current_user.is_authenticated:
        headers.setdefault("Cache-Control", "no-store")
    return response
