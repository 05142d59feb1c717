"""Sign-in throttling is shared by every worker when Redis is configured.

Two gunicorn workers serve the app on loopback; with a limit of three tries per
account, the fourth try is refused whichever worker answers it. Without a
shared store each worker would count alone and allow up to six. A browser's
device cookie, and its own limit, hold whichever worker answers too.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from blgcal.domain.permissions import Role
from blgcal.services import accounts
from tests.conftest import PASSWORD, empty_tables

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def two_workers(migrated, database_url: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    env = {**os.environ, "BLGCAL_DATABASE_URL": database_url, "BLGCAL_SECRET_KEY": "s" * 40,
           "BLGCAL_REDIS_URL": REDIS_URL, "BLGCAL_LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
           "BLGCAL_LOGIN_LIMIT_PER_DEVICE": "3 per minute",
           "BLGCAL_LOGIN_LIMIT_PER_ADDRESS": "100 per minute", "BLGCAL_LOCAL_DEVELOPMENT": "true"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                               f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Let a sign-in's 302 answer as itself, so success and failure differ."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(
        http.cookiejar.CookieJar()), NoRedirects())


def try_login(base: str, opener: urllib.request.OpenerDirector | None = None,
              password: str = "wrong guess") -> int:
    """One sign-in attempt, by default from a fresh browser; the answer's status code."""
    opener = opener or browser()
    html = opener.open(base + "/login", timeout=5).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert token
    data = urllib.parse.urlencode({"email": "ana@cbd.int", "password": password,
                                   "csrf_token": token.group(1)}).encode()
    try:
        return int(opener.open(base + "/login", data=data, timeout=5).status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_two_workers_share_one_sign_in_limit_through_redis(two_workers: str) -> None:
    codes = [try_login(two_workers) for _ in range(6)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429, 429]


def test_a_known_browser_keeps_its_own_limit_whichever_worker_answers(
        migrated: Engine, two_workers: str) -> None:
    empty_tables(migrated)
    with Session(migrated) as session:
        accounts.create_user(session, "ana@cbd.int", role=Role.VIEWER, password=PASSWORD,
                             now=datetime.now(UTC), hash_method="pbkdf2:sha256:1000")
        session.commit()
    owner = browser()
    assert try_login(two_workers, owner, PASSWORD) == 302
    assert [try_login(two_workers) for _ in range(4)][-1] == 429  # strangers are locked out
    assert [try_login(two_workers, owner, PASSWORD) for _ in range(4)] == [302] * 4
    assert [try_login(two_workers, owner) for _ in range(4)] == [200, 200, 200, 429]
