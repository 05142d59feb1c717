"""Reading the shared filter vocabulary from the query string."""

from __future__ import annotations

from flask import current_app, request

from blgcal.domain.filters import EventFilter, parse_filters
from blgcal.web.caches import known_bodies


def request_filters(*, per_page: int | None = None) -> EventFilter:
    """The request's filters; a malformed one raises FilterError (a 400)."""
    config = current_app.config
    return parse_filters(
        request.args.to_dict(flat=False),
        known_bodies=known_bodies(),
        per_page=per_page or int(config["PER_PAGE"]),
        max_per_page=int(config["MAX_PER_PAGE"]),
    )
