"""Rendered list items, cached by the event's whole content.

The agenda draws fifty events per page; rendering each through the macro
costs more than the page's SQL. A domain event is frozen and hashable, so its
HTML can be cached under the event itself: any change to the event is a new
key, so the cache can never serve a stale item. Today is part of the key too,
since an undated event's window reads differently once it is overdue.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import Flask, get_template_attribute
from markupsafe import Markup

from blgcal.clock import today
from blgcal.domain.types import Event


def event_item(event: Event) -> Markup:
    """The ``<li>`` of one event in a list, as ``_macros.html`` draws it."""
    return _event_item(event, today())


@lru_cache(maxsize=20_000)
def _event_item(event: Event, day: date) -> Markup:
    return Markup(get_template_attribute("_macros.html", "event_item")(event))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["cached_event_item"] = event_item
