"""Guessing a password online: throttled, without locking the owner out (device cookies).

The attacker guesses from fresh clients until the account is locked for the
clients it does not know; the owner's browser, which signed in before, keeps
its own limit. Cookies the attacker can make or take give them nothing more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.cookies import SimpleCookie

import itsdangerous.timed
import pytest
from flask import Flask
from flask.testing import FlaskClient

from blgcal.models import User
from blgcal.services import accounts
from blgcal.web.devices import DEVICE_COOKIE, DEVICE_COOKIE_DAYS
from tests.conftest import PASSWORD, AuthActions

pytestmark = pytest.mark.usefixtures("seeded")
GUESSES = ["123456", "password", "cbd2026", "Biodiversity!", "ana@cbd.int"]
LIMITS = {"LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_DEVICE": "3 per minute",
          "LOGIN_LIMIT_PER_ADDRESS": "100 per minute"}


@pytest.fixture
def guarded(make_app: Callable[..., Flask], create_user: Callable[..., User]) -> Flask:
    """An app with small sign-in limits and Ana's account (and Bob's)."""
    app = make_app(**LIMITS)
    create_user("ana@cbd.int")
    create_user("bob@cbd.int")
    return app


def owner_browser(app: Flask, email: str = "ana@cbd.int") -> FlaskClient:
    """A browser that signed in to *email* and signed out again: it keeps its device cookie."""
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.login(email).status_code == 302
    assert auth.logout().status_code == 302
    assert client.get_cookie(DEVICE_COOKIE) is not None
    return client


def lock_out_strangers(app: Flask, email: str = "ana@cbd.int") -> list[int]:
    """Guess from a fresh client each time, as a botnet would; the answers' status codes."""
    return [AuthActions(app.test_client()).login(email, guess).status_code for guess in GUESSES]


def with_cookie(app: Flask, value: str) -> FlaskClient:
    client = app.test_client()
    client.set_cookie(DEVICE_COOKIE, value)
    return client


def test_guesses_from_unknown_clients_lock_the_account_for_unknown_clients(guarded: Flask) -> None:
    assert lock_out_strangers(guarded) == [200, 200, 200, 429, 429]
    assert AuthActions(guarded.test_client()).login("ana@cbd.int").status_code == 429


def test_the_owners_browser_still_signs_in_while_strangers_are_locked_out(guarded: Flask) -> None:
    browser = owner_browser(guarded)
    assert lock_out_strangers(guarded)[-1] == 429
    response = AuthActions(browser).login("ana@cbd.int")
    assert response.status_code == 302 and "Sign out" in browser.get("/").get_data(as_text=True)


def test_the_device_cookie_is_signed_long_lived_and_out_of_scripts_reach(guarded: Flask) -> None:
    response = AuthActions(guarded.test_client()).login("ana@cbd.int")
    header = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith(DEVICE_COOKIE + "="))
    cookie = SimpleCookie(header)[DEVICE_COOKIE]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == DEVICE_COOKIE_DAYS * 86400 == 365 * 86400
    assert "ana@cbd.int" not in header and PASSWORD not in header


def test_a_device_cookie_has_a_limit_of_its_own(guarded: Flask) -> None:
    browser = AuthActions(owner_browser(guarded))
    codes = [browser.login("ana@cbd.int", guess).status_code for guess in GUESSES]
    assert codes == [200, 200, 200, 429, 429]
    assert browser.login("ana@cbd.int").status_code == 429  # locked, right password or not
    # Its failures were its own: unknown clients still have theirs.
    assert AuthActions(guarded.test_client()).login("ana@cbd.int").status_code == 302


def test_each_sign_in_gives_a_new_device_cookie_with_a_fresh_limit(guarded: Flask) -> None:
    browser = owner_browser(guarded)
    first = browser.get_cookie(DEVICE_COOKIE).value  # type: ignore[union-attr]
    assert AuthActions(browser).login("ana@cbd.int").status_code == 302
    assert browser.get_cookie(DEVICE_COOKIE).value != first  # type: ignore[union-attr]


@pytest.mark.parametrize("forge", [
    lambda real: "forged",
    lambda real: real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # signature altered
    lambda real: itsdangerous.URLSafeTimedSerializer("not-the-secret-" + "x" * 32, salt=(
        accounts.DEVICE_SALT)).dumps([1, "nonce"]),
], ids=["garbage", "tampered", "other-secret"])
def test_a_forged_device_cookie_counts_as_none(guarded: Flask,
                                               forge: Callable[[str], str]) -> None:
    real = owner_browser(guarded).get_cookie(DEVICE_COOKIE).value  # type: ignore[union-attr]
    assert lock_out_strangers(guarded)[-1] == 429
    assert AuthActions(with_cookie(guarded, forge(real))).login("ana@cbd.int").status_code == 429


def test_an_expired_device_cookie_counts_as_none(guarded: Flask,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with guarded.extensions["blgcal.sessionmaker"]() as db:
        user = accounts.by_email(db, "ana@cbd.int")
        assert user is not None
        issued = time.time() - DEVICE_COOKIE_DAYS * 86400 - 60
        with monkeypatch.context() as past:
            past.setattr(itsdangerous.timed.time, "time", lambda: issued)
            old = accounts.device_token(user, guarded.config["SECRET_KEY"])
        fresh = accounts.device_token(user, guarded.config["SECRET_KEY"])
    assert lock_out_strangers(guarded)[-1] == 429
    assert AuthActions(with_cookie(guarded, old)).login("ana@cbd.int").status_code == 429
    assert AuthActions(with_cookie(guarded, fresh)).login("ana@cbd.int").status_code == 302


def test_a_device_cookie_of_another_account_counts_as_none(guarded: Flask) -> None:
    bobs = owner_browser(guarded, "bob@cbd.int")  # the attacker's own account, or Bob's browser
    assert lock_out_strangers(guarded)[-1] == 429
    assert AuthActions(bobs).login("ana@cbd.int").status_code == 429


def test_a_stolen_device_cookie_is_void_once_the_owner_changes_the_password(
        guarded: Flask) -> None:
    stolen = owner_browser(guarded).get_cookie(DEVICE_COOKIE).value  # type: ignore[union-attr]
    owner = guarded.test_client()
    new = "a brand new long password"
    AuthActions(owner).login("ana@cbd.int")
    changed = AuthActions(owner).post("/account/password",
                                      {"current": PASSWORD, "new": new, "confirm": new})
    assert changed.status_code == 302
    assert lock_out_strangers(guarded)[-1] == 429
    assert AuthActions(with_cookie(guarded, stolen)).login("ana@cbd.int", new).status_code == 429
    # The browser that changed it got a new cookie and is still trusted.
    AuthActions(owner).logout()
    assert AuthActions(owner).login("ana@cbd.int", new).status_code == 302


def test_a_stolen_device_cookie_buys_only_its_own_few_guesses(guarded: Flask) -> None:
    stolen = owner_browser(guarded).get_cookie(DEVICE_COOKIE).value  # type: ignore[union-attr]
    thief = AuthActions(with_cookie(guarded, stolen))
    assert lock_out_strangers(guarded)[-1] == 429
    assert [thief.login("ana@cbd.int", g).status_code for g in GUESSES] == [200, 200, 200, 429, 429]


def test_the_per_address_limit_applies_to_known_browsers_too(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(**{**LIMITS, "LOGIN_LIMIT_PER_DEVICE": "100 per minute",
                      "LOGIN_LIMIT_PER_ADDRESS": "3 per minute"})
    create_user("ana@cbd.int")
    browser = AuthActions(owner_browser(app))
    assert [browser.login("ana@cbd.int", g).status_code for g in GUESSES] == [200, 200, 200, 429,
                                                                               429]
