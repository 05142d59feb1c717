"""Private feeds: tokens, revocation, regeneration, staff-only events, logs, pages."""

from __future__ import annotations

import http.client
import logging
import re
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from blgcal.models import Event, User
from blgcal.models.feeds import PrivateFeed
from blgcal.services.feeds import private as feed_private
from tests.conftest import AuthActions
from tests.support.feed_events import STAFF, add, add_bodies, assert_feed_holds

TOKEN_URL = re.compile(r'data-feed-url>https?://[^<]*/feeds/private/([A-Za-z0-9_-]+)\.ics<')


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    add_bodies(session)


@pytest.fixture
def viewer(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("viewer@blg.int", role="viewer")
    auth.login("viewer@blg.int")
    return auth


def create_feed(viewer: AuthActions, filters: str = "body=cbd", name: str = "CBD, mine") -> str:
    response = viewer.post("/account/feeds", {"name": name, "filters": filters})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    match = TOKEN_URL.search(response.get_data(as_text=True))
    assert match
    return match.group(1)


def feed_id(session: Session) -> int:
    session.expire_all()
    return session.scalars(select(PrivateFeed.id).order_by(PrivateFeed.id.desc())).first() or 0


def test_a_private_feed_holds_staff_only_events_and_is_private(
        viewer: AuthActions, client: FlaskClient, session: Session) -> None:
    public, staff = add(session), add(session, visibility=STAFF)
    add(session, bodies=("cites",))
    token = create_feed(viewer)
    assert len(token) >= 22  # at least 128 bits
    anonymous = client.application.test_client()
    response = anonymous.get(f"/feeds/private/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert_feed_holds(response.data, [public, staff], session=session)
    assert staff.uid.encode() not in anonymous.get("/feeds/all.ics").data


def test_the_token_is_stored_only_as_its_hash(viewer: AuthActions, session: Session) -> None:
    token = create_feed(viewer)
    stored = session.scalars(select(PrivateFeed.token_hash)).one()
    assert stored == feed_private.token_hash(token) and token not in stored


def test_unknown_altered_and_revoked_tokens_get_the_same_404(
        viewer: AuthActions, client: FlaskClient, session: Session) -> None:
    token = create_feed(viewer)
    other = client.application.test_client()
    assert other.get(f"/feeds/private/{token}.ics").status_code == 200
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert viewer.post(f"/account/feeds/{feed_id(session)}/revoke").status_code == 302
    answers = [other.get(path) for path in (
        f"/feeds/private/{token}.ics", f"/feeds/private/{altered}.ics",
        "/feeds/private/nothing.ics", "/feeds/private/" + "x" * 300 + ".ics",
        f"/feeds/private/{token}")]
    assert {(a.status_code, a.data, a.content_type) for a in answers} == {
        (404, b"Not found.\n", "text/plain; charset=utf-8")}


def test_regenerating_kills_the_old_address_on_the_next_request(
        viewer: AuthActions, client: FlaskClient, session: Session) -> None:
    old = create_feed(viewer)
    other = client.application.test_client()
    etag = other.get(f"/feeds/private/{old}.ics").headers["ETag"]
    page = viewer.post(f"/account/feeds/{feed_id(session)}/regenerate")
    match = TOKEN_URL.search(page.get_data(as_text=True))
    assert page.status_code == 200 and match
    new = match.group(1)
    assert new != old
    assert other.get(f"/feeds/private/{old}.ics",
                     headers={"If-None-Match": etag}).status_code == 404
    assert other.get(f"/feeds/private/{new}.ics").status_code == 200


def test_a_deactivated_account_s_feeds_stop(viewer: AuthActions, client: FlaskClient,
                                            session: Session) -> None:
    token = create_feed(viewer)
    user = session.scalars(select(User).where(User.email == "viewer@blg.int")).one()
    user.active = False
    session.commit()
    assert client.application.test_client().get(
        f"/feeds/private/{token}.ics").status_code == 404


def test_another_user_s_feed_cannot_be_revoked_or_regenerated(
        viewer: AuthActions, create_user: Callable[..., User], app: Flask,
        session: Session) -> None:
    token = create_feed(viewer)
    mine = feed_id(session)
    create_user("other@blg.int", role="admin")
    other = AuthActions(app.test_client())
    other.login("other@blg.int")
    for action in ("revoke", "regenerate"):
        assert other.post(f"/account/feeds/{mine}/{action}").status_code == 404
    assert app.test_client().get(f"/feeds/private/{token}.ics").status_code == 200


def test_a_bad_saved_filter_is_refused_with_its_parameter(viewer: AuthActions,
                                                          session: Session) -> None:
    response = viewer.post("/account/feeds", {"name": "x", "filters": "body=nope"})
    assert response.status_code == 400 and "body: unknown body" in response.get_data(as_text=True)
    assert session.scalars(select(PrivateFeed)).first() is None


def test_the_management_page_lists_feeds_without_their_tokens(
        viewer: AuthActions, client: FlaskClient) -> None:
    token = create_feed(viewer, name="Finance watch", filters="tag=finance")
    page = client.get("/account/feeds").get_data(as_text=True)
    assert "Finance watch" in page and "tag=finance" in page and token not in page
    assert token not in client.get("/subscribe").get_data(as_text=True)


@pytest.fixture
def served(app: Flask) -> Iterator[int]:
    """The app behind werkzeug's own server on loopback, so its request log is real."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()
    server.server_close()


def test_the_token_is_masked_in_werkzeug_s_request_log(
        viewer: AuthActions, served: int, caplog: pytest.LogCaptureFixture,
        session: Session) -> None:
    token = create_feed(viewer)
    caplog.set_level(logging.INFO, logger="werkzeug")
    for path in (f"/feeds/private/{token}.ics", "/feeds/private/unknown-token.ics"):
        connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
        connection.request("GET", path)
        connection.getresponse().read()
        connection.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len([line for line in lines if "/feeds/private/[token]" in line]) == 2, lines
    assert not any(token in line or "unknown-token" in line for line in lines)
    assert session.scalars(select(Event)).all() is not None


def test_the_token_is_masked_in_gunicorn_s_access_log() -> None:
    import runpy
    from datetime import timedelta
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    logger = conf["MaskingLogger"](Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/feeds/private/SECRETtoken123.ics",
               "PATH_INFO": "/feeds/private/SECRETtoken123.ics", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": "https://x/feeds/private/SECRETx.ics"}
    atoms = logger.atoms(SimpleNamespace(status="200 OK", sent=10, headers=[]), [], environ,
                         timedelta(milliseconds=3))
    assert "SECRET" not in repr(atoms) and atoms["U"] == "/feeds/private/[token]"
    environ = {**environ, "RAW_URI": "/reset/SECRETreset", "PATH_INFO": "/reset/SECRETreset"}
    atoms = logger.atoms(SimpleNamespace(status="200 OK", sent=10, headers=[]), [], environ,
                         timedelta(milliseconds=3))
    assert "SECRET" not in repr(atoms) and atoms["U"] == "/reset/[token]"


def test_gunicorn_logs_json_lines_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy
    from pathlib import Path

    from gunicorn.config import Config

    from blgcal.logs import JsonFormatter

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    monkeypatch.setenv("BLGCAL_PRODUCTION", "1")
    logger = conf["MaskingLogger"](Config())
    own = [h for h in logger.error_log.handlers if getattr(h, "_gunicorn", False)]
    assert own and all(isinstance(h.formatter, JsonFormatter) for h in own)
    monkeypatch.setenv("BLGCAL_LOG_FORMAT", "text")
    logger = conf["MaskingLogger"](Config())
    assert not any(isinstance(h.formatter, JsonFormatter) for h in logger.error_log.handlers)
