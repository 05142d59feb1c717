"""URLs: database ids in routes, and links that keep the visitor's query string.

Query parameters are data, never keyword arguments of ``url_for``: a visitor's
``?year=``, ``?endpoint=`` or ``?_external=`` must not collide with the route's
own arguments or switch on ``url_for``'s options.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Map

from blgcal.domain.ids import MAX_ID


class RowId(IntegerConverter):
    """``<int:...>`` for database ids: a number past the id column's range is a 404, not a crash."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def url_keeping_query(endpoint: str, *, _external: bool = False,
                      _replace: dict[str, str] | None = None, **values: object) -> str:
    """``url_for(endpoint, **values)`` followed by this request's query string.

    :param _replace: parameters whose value replaces the request's (``page``).
    """
    query = MultiDict(request.args)
    for name, value in (_replace or {}).items():
        query.setlist(name, [value])
    base = url_for(endpoint, _external=_external, **values)
    return f"{base}?{urlencode(list(query.items(multi=True)))}" if query else base


def init_app(app: Flask) -> None:
    """Register the helpers; call before any blueprint so every ``<int:>`` is a :class:`RowId`."""
    app.url_map.converters["int"] = RowId
    app.jinja_env.globals["url_keeping_query"] = url_keeping_query
