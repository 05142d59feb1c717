"""``/readyz``: whether this installation is ready, check by check (``/healthz`` is liveness)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from blgcal.clock import now
from blgcal.db import get_engine, get_session
from blgcal.services import readiness
from blgcal.services.readiness import Check

bp = Blueprint("probes", __name__)


@bp.get("/readyz")
def ready() -> Response:
    """200 when every check passes, else 503; the body says which failed and what each saw."""
    config, moment = current_app.config, now()
    checks: dict[str, Callable[[], Check]] = {
        "database": lambda: readiness.database(get_engine()),
        "migrations": lambda: readiness.migrations(get_engine()),
        "harvest": lambda: readiness.harvest(get_session(), now=moment,
                                             max_hours=limit(config["READY_MAX_HARVEST_AGE_HOURS"])),
        "queue": lambda: readiness.queue(get_session(), now=moment,
                                         max_minutes=limit(config["READY_MAX_QUEUE_WAIT_MINUTES"])),
    }
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        if name != "database" and not results["database"]["ok"]:
            results[name] = {"ok": None, "skipped": "the database did not answer"}
            continue
        results[name] = run(check)
    failed = [name for name, result in results.items() if result["ok"] is False]
    response = jsonify(status="not ready" if failed else "ready", failed=failed, checks=results)
    response.status_code = 503 if failed else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def run(check: Callable[[], Check]) -> dict[str, Any]:
    """A check's answer; an error (the database gone, a missing table) is a failure saying so."""
    try:
        found = check()
    except Exception as exc:  # noqa: BLE001 (reported in the answer, never a 500)
        get_session().rollback()
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
    return {"ok": found.ok, **found.detail}


def limit(value: Any) -> float | None:
    return None if value in (None, "", 0) else float(value)
