"""The calendar's version as requests read it: from memory, checked at most every
``VERSION_CHECK_MS``.

Pages, the API and feeds are cached under the version, so reading it was the
one query of every cached answer. A worker now reads it again only when its
copy is older than ``VERSION_CHECK_MS`` (default 1,000) or when this process
has committed since: its own writes show at once, other processes' writes
(another worker, a harvest) within that time. 0 reads it on every request.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from blgcal.db import get_session
from blgcal.services.versions import VersionMemo, calendar_version


def init_app(app: Flask) -> None:
    memo = VersionMemo(float(app.config["VERSION_CHECK_MS"]) / 1000)
    app.extensions["blgcal.version"] = memo

    def forget(_session: Session) -> None:
        memo.forget()

    event.listen(app.extensions["blgcal.sessionmaker"], "after_commit", forget)


def current_version() -> str:
    """The calendar's version, from this process's memory when fresh enough."""
    memo: VersionMemo = current_app.extensions["blgcal.version"]
    return memo.get(lambda: calendar_version(get_session()))
