"""The HTTP edge: blueprints, error pages, headers. Views stay thin."""

from __future__ import annotations

from flask import Flask

from blgcal.web import api, errors, formatting, fragments, page_cache, pages, security


def register(app: Flask) -> None:
    formatting.init_app(app)
    fragments.init_app(app)
    page_cache.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
