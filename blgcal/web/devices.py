"""Device cookies: a browser that signed in to an account keeps its own sign-in limit.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a successful
sign-in gives the browser a signed cookie naming the account and a random
nonce. A later attempt on that account carrying it counts against that
cookie's own limit (``LOGIN_LIMIT_PER_DEVICE``) instead of the one every
other client of the account shares (``LOGIN_LIMIT_PER_ACCOUNT``), so guesses
from elsewhere do not lock the owner out, and a cookie that fails too often
is locked out itself. A forged or expired cookie, one for another account, or
one issued before the account's password last changed counts as none.
"""

from __future__ import annotations

from typing import cast

from flask import current_app, g, request
from werkzeug.wrappers import Response

from blgcal.db import get_session
from blgcal.models import User
from blgcal.services import accounts

DEVICE_COOKIE = "blgcal_device"
DEVICE_COOKIE_DAYS = 365


def device_nonce() -> str | None:
    """The nonce of this request's device cookie if it is valid for the account signing in."""
    if "device_nonce" not in g:  # read once: every limit on the route asks
        g.device_nonce = _read_cookie()
    return cast(str | None, g.device_nonce)


def trusted() -> bool:
    return device_nonce() is not None


def untrusted() -> bool:
    return device_nonce() is None


def device_key() -> str:
    return f"login-device:{device_nonce()}"


def remember_device(response: Response, user: User) -> Response:
    """Give the browser a new device cookie for *user* (a fresh nonce, a fresh limit)."""
    token = accounts.device_token(user, current_app.config["SECRET_KEY"])
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 86400,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")
    return response


def _read_cookie() -> str | None:
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return None
    user = accounts.by_email(get_session(), request.form.get("email", "")[:254])
    if user is None:
        return None
    return accounts.device_nonce(user, token, current_app.config["SECRET_KEY"],
                                 max_age_seconds=DEVICE_COOKIE_DAYS * 86400)
