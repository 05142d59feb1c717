"""Every HTML page of the app, signed out and as an admin, on a phone and a desktop.

The pages are found by walking ``app.url_map``: a GET route that is not a
page (feeds, the API, downloads) is named in ``NOT_PAGES``; a route with
arguments must have a way to fill them from the seeded data in ``FILLERS``,
or the walk fails naming it, so a page added later cannot go unchecked.
Each page must pass :func:`assert_looks_right` (HTML, no sideways scroll,
no serious or critical axe-core violation); no select may cut off its label
and no table may split a word over two lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from playwright.sync_api import Browser
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal import create_app
from blgcal.domain.permissions import Role
from blgcal.models import Event, HarvestRun, Job, Revision, Source, User
from blgcal.services import accounts, comms, jobs
from blgcal.services.events import delete_event
from blgcal.services.history import Actor

from ..conftest import PASSWORD, TODAY, empty_tables
from .checks import assert_looks_right, cut_off_selects, split_words
from .conftest import serve
from .test_header import sign_in

pytestmark = pytest.mark.browser
FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"

ADMIN = "admin@blg.int"
NOT_PAGE_BLUEPRINTS = {"api"}  # JSON
NOT_PAGES = {
    "static", "pages.health", "probes.ready", "feeds.event", "feeds.body", "feeds.all_events", "feeds.custom",
    "feeds.observances", "feeds.private", "feeds.private_other", "feeds.qr_code",
    "feeds.comms_plan_moved", "findings.timeline_download", "sources.csv_template",
    "subscribe.count", "assets.body_colors", "assets.favicon", "editing.proposed_zone",
}
Filler = Callable[[Flask, Session], dict[str, Any]]


def _first_clash_key(app: Flask, _: Session) -> dict[str, Any]:
    clashes = app.test_client().get("/api/v1/clashes").get_json()["clashes"]
    return {"key": clashes[0]["key"]}


def _reset_token(app: Flask, session: Session) -> dict[str, Any]:
    user = session.scalars(select(User).where(User.email == ADMIN)).one()
    return {"token": accounts.reset_token(user, app.config["SECRET_KEY"])}


FILLERS: dict[str, Filler] = {
    "pages.event": lambda _, s: {"event_id": _event_id(s, "CITES CoP20")},
    "editing.edit": lambda _, s: {"event_id": _event_id(s, "CITES CoP20")},
    "editing.event_history": lambda _, s: {"event_id": _event_id(s, "CITES CoP20")},
    "pages.body": lambda _, s: {"slug": "cbd"},
    "pages.month": lambda _, s: {"year": 2025, "month": 11},
    "findings.clash_history": _first_clash_key,
    "findings.comms_edit": lambda _, s: {"item_id": comms.items(s)[0].id},
    "admin.edit_user": lambda _, s: {
        "user_id": s.scalars(select(User.id).where(User.email == ADMIN)).one()},
    "sources.runs": lambda _, s: {"source_id": s.scalars(select(Source.id)).first()},
    "sources.edit_source": lambda _, s: {"source_id": s.scalars(select(Source.id)).first()},
    "auth.reset_password": _reset_token,
    "editing.cancel": lambda _, s: {"event_id": _event_id(s, "CITES CoP20")},
    "editing.delete": lambda _, s: {"event_id": _event_id(s, "CITES CoP20")},
    "editing.revert": lambda _, s: {"event_id": _event_id(s, "CITES CoP20"), "revision_id": s.scalars(
        select(Revision.id).where(Revision.event_id == _event_id(s, "CITES CoP20"))).first()},
    "editing.purge": lambda _, s: {"event_id": _event_id(s, "GEF C.69")},
    "sources.run_page": lambda _, s: dict(zip(("source_id", "run_id"), s.execute(
        select(HarvestRun.source_id, HarvestRun.id)).first() or ())),
    "jobs.job_page": lambda _, s: {"job_id": s.scalars(select(Job.id)).first()},
}


def extra_paths(session: Session) -> list[str]:
    """Pages whose selects hold the longest labels: a filtered agenda, a committee's form."""
    return ["/?kind=standing_committee&status=postponed&country=GB",
            url_for("editing.edit", event_id=_event_id(session, "CITES SC78"))]


def _event_id(session: Session, code: str) -> int:
    return session.scalars(select(Event.id).where(Event.code == code)).one()


def page_paths(app: Flask, session: Session) -> list[str]:
    """The path of every HTML GET page, arguments filled from the seeded data."""
    paths, unknown = [], []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if ("GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES
                    or rule.endpoint.partition(".")[0] in NOT_PAGE_BLUEPRINTS):
                continue
            if rule.arguments and rule.endpoint not in FILLERS:
                unknown.append(f"{rule.rule} ({rule.endpoint})")
                continue
            filler = FILLERS.get(rule.endpoint)
            paths.append(url_for(rule.endpoint, **(filler(app, session) if filler else {})))
        paths += extra_paths(session)
    assert not unknown, ("tests/browser/test_accessibility.py does not know how to fill these "
                         f"routes: add them to FILLERS, or to NOT_PAGES if not HTML: {unknown}")
    return paths


def arrange(app: Flask) -> None:
    """The shipped calendar, an admin, harvest sources with a run, a comms plan item, and an
    event in the trash long enough to be purged."""
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(args=["import", str(FEEDS / "google.ics"), "--body", "cbd"])
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(args=[
        "source", "add", "--body", "cbd", "--kind", "ics", "--name", "cbd-feed",
        "--url", "https://www.cbd.int/sites/default/files/calendar/meetings-and-events-of-the-"
        "convention-on-biological-diversity.ics"])
    assert result.exit_code == 0, result.output
    with app.extensions["blgcal.sessionmaker"]() as session:
        now = datetime.now(UTC)
        accounts.create_user(session, ADMIN, role=Role.ADMIN, password=PASSWORD, now=now,
                             hash_method="pbkdf2:sha256:1000")
        comms.save_item(session, comms.PlanValues(
            title="Joint post for World Wetlands Day", owner_bodies=("ramsar", "cbd"),
            channel="social", deadline=date(2027, 1, 20), status="idea", notes=""),
            now=now, author=ADMIN)
        trashed = session.get(Event, _event_id(session, "GEF C.69"))
        assert trashed is not None
        delete_event(session, trashed, now=now - timedelta(days=40), actor=Actor(ADMIN, "cli"))
        run = session.scalars(select(HarvestRun)).first()
        assert run is not None
        job = jobs.queue_job(session, "harvest", {"source_id": run.source_id}, now=now)
        job.state, job.stage, job.done, job.total = "succeeded", "succeeded", 7, 7
        job.started_dt = job.finished_dt = job.heartbeat_dt = now
        job.message, job.result = "import cbd/google.ics: ok", {"source_id": run.source_id,
                                                                "run_id": run.id}
        session.commit()


@pytest.fixture(scope="module")
def site(migrated: Engine, database_url: str) -> Iterator[tuple[str, list[str]]]:
    """One seeded app and live server for the whole walk, and its page paths."""
    empty_tables(migrated)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-" + "x" * 32,
                      "DATABASE_URL": database_url, "TODAY": TODAY})
    arrange(app)
    with app.extensions["blgcal.sessionmaker"]() as session:
        paths = page_paths(app, session)
    with serve(app) as base:
        yield base, paths
    app.extensions["blgcal.engine"].dispose()


def test_the_walk_covers_the_main_pages(site: tuple[str, list[str]]) -> None:
    _, paths = site
    assert {"/", "/month/2025/11", "/timeline", "/opportunities", "/events/new", "/login",
            "/admin/users", "/bodies/cbd"} <= set(paths)
    assert all(path.startswith("/") and "<" not in path for path in paths)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_page_fits_the_screen_and_has_no_serious_axe_violation(
        site: tuple[str, list[str]], browser: Browser, width: int, signed_in: bool) -> None:
    base, paths = site
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        if signed_in:
            sign_in(page, base, ADMIN)
        failures, seen = [], set()
        for path in paths:
            response = page.goto(base + path)
            landed = page.url.partition("?")[0]
            if landed in seen:  # a redirect to a page already checked (the sign-in form)
                continue
            seen.add(landed)
            try:
                assert_looks_right(page, response)
                assert not cut_off_selects(page), f"selects cut off: {cut_off_selects(page)}"
                assert not split_words(page), f"words split in tables: {split_words(page)}"
            except AssertionError as exc:
                failures.append(f"{path}: {exc}")
        assert not failures, "\n".join(failures)
    finally:
        context.close()
