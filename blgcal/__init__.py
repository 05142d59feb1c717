"""blgcal: one calendar for the Biodiversity-related Conventions.

Importing the package loads nothing heavy, so ``blgcal.domain`` stays free of
Flask and SQLAlchemy; the app itself lives in :mod:`blgcal.app`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app (see :func:`blgcal.app.create_app`)."""
    from blgcal.app import create_app as build

    return build(test_config)
