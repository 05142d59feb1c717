"""Signing in and out, sessions that end, throttling, safe redirects, CSRF."""

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blgcal.models import User
from blgcal.web.redirects import safe_next

from ..conftest import PASSWORD, AuthActions, csrf_token

pytestmark = pytest.mark.usefixtures("seeded")


def signed_in(client: FlaskClient) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def test_signing_in_with_the_right_password_works(auth: AuthActions, client: FlaskClient,
                                                  create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int", role="editor", bodies=["cbd"])
    response = auth.login("Ana@CBD.int")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)


def test_unknown_email_and_wrong_password_get_the_same_answer(
        auth: AuthActions, create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    wrong = auth.login("ana@cbd.int", "not the password")
    unknown = auth.login("nobody@cbd.int", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong email or password." in wrong.get_data(as_text=True)
    strip = lambda r: r.get_data(as_text=True).split("csrf_token")[0]  # noqa: E731
    assert strip(wrong).replace("ana@cbd.int", "X") == strip(unknown).replace("nobody@cbd.int", "X")


def test_a_deactivated_account_cannot_sign_in(auth: AuthActions, client: FlaskClient,
                                              create_user: Callable[..., User]) -> None:
    create_user("old@cms.int", active=False)
    assert "Wrong email or password." in auth.login("old@cms.int").get_data(as_text=True)
    assert not signed_in(client)


def test_the_session_cookie_changes_at_sign_in(auth: AuthActions, client: FlaskClient,
                                               create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    csrf_token(client)
    before = client.get_cookie("session")
    auth.login("ana@cbd.int")
    after = client.get_cookie("session")
    assert before is not None and after is not None and before.value != after.value


def test_signing_out_ends_the_session_even_for_a_copied_cookie(
        app: Flask, auth: AuthActions, client: FlaskClient,
        create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    auth.login("ana@cbd.int")
    stolen = client.get_cookie("session").value
    auth.logout()
    assert not signed_in(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert not signed_in(thief)


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(
        app: Flask, auth: AuthActions, client: FlaskClient,
        create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    other = app.test_client()
    AuthActions(other).login("ana@cbd.int")
    auth.login("ana@cbd.int")
    new = "a brand new long password"
    response = auth.post("/account/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert signed_in(client) and not signed_in(other)
    auth.logout()
    assert auth.login("ana@cbd.int", new).status_code == 302


def test_deactivating_an_account_ends_its_sessions(app: Flask, auth: AuthActions,
                                                   create_user: Callable[..., User]) -> None:
    create_user("root@blg.int", role="admin")
    victim = create_user("ana@cbd.int")
    other = app.test_client()
    AuthActions(other).login("ana@cbd.int")
    assert signed_in(other)
    auth.login("root@blg.int")
    response = auth.post(f"/admin/users/{victim.id}", {"email": "ana@cbd.int", "role": "viewer"})
    assert response.status_code == 302
    assert not signed_in(other)


def test_a_reset_link_sets_the_password_once(app: Flask, client: FlaskClient,
                                             auth: AuthActions, runner,  # type: ignore[no-untyped-def]
                                             create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    link = runner.invoke(args=["user", "reset-link", "ana@cbd.int"]).output.strip()
    path = link[link.index("/reset/"):]
    new = "another long password!"
    token = csrf_token(client, path)
    response = client.post(path, data={"new": new, "confirm": new, "csrf_token": token})
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # used: the session token moved on
    assert auth.login("ana@cbd.int", new).status_code == 302
    assert client.get("/reset/forged-token").status_code == 404


def test_sign_in_is_throttled_per_account(make_app: Callable[..., Flask],
                                          create_user: Callable[..., User]) -> None:
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_ADDRESS="100 per minute")
    create_user("ana@cbd.int")
    auth = AuthActions(app.test_client())
    codes = [auth.login("ana@cbd.int", "guess").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert auth.login("ana@cbd.int").status_code == 429  # even the right password, for now
    other = AuthActions(app.test_client())
    assert other.login("bob@cbd.int", "guess").status_code == 200  # another account is free


def test_sign_in_is_throttled_per_client_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="100 per minute", LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    auth = AuthActions(app.test_client())
    codes = [auth.login(f"user{i}@cbd.int", "guess").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_successful_sign_ins_do_not_count_towards_the_account_limit(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_DEVICE="3 per minute",
                   LOGIN_LIMIT_PER_ADDRESS="100 per minute")
    create_user("ana@cbd.int")
    auth = AuthActions(app.test_client())
    for _ in range(5):  # a busy morning: sign in, sign out, sign in again
        assert auth.login("ana@cbd.int").status_code == 302
        assert auth.logout().status_code == 302
    codes = [auth.login("ana@cbd.int", "guess").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # the failures alone are counted


def test_the_limit_page_says_when_to_try_again_in_the_sites_layout(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="2 per 10 minutes", LOGIN_LIMIT_PER_ADDRESS="100 per minute")
    auth = AuthActions(app.test_client())
    for _ in range(2):
        auth.login("ana@cbd.int", "guess")
    refused = auth.login("ana@cbd.int", "guess")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    main = html[html.index("<main"):html.index("</main>")]
    wait = re.search(r"Please try again in (\d+) minutes?,\s+after <time datetime=\"[^\"]+\">"
                     r"\d\d:\d\d UTC</time>", main)
    assert wait and 1 <= int(wait.group(1)) <= 10, main
    assert 'href="/subscribe"' in html and "<main" in html  # the site's navigation and layout
    assert "per 10 minute" not in html


@pytest.mark.parametrize("target", [
    "//evil.example", "\\\\evil.example", "/\\evil.example", "https:evil.example",
    "https://evil.example/", "%2F%2Fevil.example", "/%2F/evil.example", "%5C%5Cevil.example",
    "/%5Cevil.example", "%252F%252Fevil.example", "javascript:alert(1)", "/\tevil", "//", "",
    "evil.example", "/\n/evil.example",
])
def test_next_never_leaves_the_site(target: str) -> None:
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/", "/events/3", "/month/2025/11?body=cbd", "/past#x"])
def test_next_keeps_same_site_paths(target: str) -> None:
    assert safe_next(target, "/fallback") == target


def test_sign_in_follows_a_safe_next_and_ignores_an_unsafe_one(
        auth: AuthActions, client: FlaskClient, create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    assert auth.login("ana@cbd.int", next="/past").headers["Location"] == "/past"
    auth.logout()
    assert auth.login("ana@cbd.int", next="//evil.example").headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/login", "/logout"])
def test_sign_in_and_out_refuse_a_missing_csrf_token(client: FlaskClient, path: str,
                                                     create_user: Callable[..., User]) -> None:
    create_user("ana@cbd.int")
    response = client.post(path, data={"email": "ana@cbd.int", "password": PASSWORD})
    assert response.status_code == 400
    assert not signed_in(client)


def test_oversized_requests_are_refused(make_app: Callable[..., Flask]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413
