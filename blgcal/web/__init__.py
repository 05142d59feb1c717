"""The HTTP edge: blueprints, error pages, headers. Views stay thin."""

from __future__ import annotations

from flask import Flask
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from blgcal import logs
from blgcal.web import (
    admin,
    api,
    assets,
    auth,
    caches,
    data_version,
    editing,
    errors,
    findings,
    formatting,
    fragments,
    jobs,
    pages,
    probes,
    security,
    slots,
    sources,
    urls,
)
from blgcal.web.feeds import replay as feed_replay
from blgcal.web.feeds import routes as feeds

csrf = CSRFProtect()


def register(app: Flask) -> None:
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
    logs.init_app(app)  # first: every request gets its id before any other hook answers
    urls.init_app(app)  # before the blueprints: their <int:> routes take its converter
    data_version.init_app(app)
    csrf.init_app(app)
    formatting.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    fragments.init_app(app)
    caches.init_app(app)
    auth.init_app(app)
    assets.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(probes.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(findings.bp)
    app.register_blueprint(sources.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(slots.bp)
    feeds.init_app(app)  # feeds, the subscribe pages and their caches
    feed_replay.init_app(app)  # last: in front of everything, it answers repeated 304s
