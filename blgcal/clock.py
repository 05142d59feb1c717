"""The app's clock. Views and commands read time here and pass it on as a parameter."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app


def now() -> datetime:
    """The current instant, aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today in UTC, or the ``TODAY`` configured for tests and demos."""
    fixed = current_app.config.get("TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return now().date()
