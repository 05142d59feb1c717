"""Assets made by the app: the body colours' stylesheet and ``/favicon.ico``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app

from blgcal.domain.body_colors import body_stylesheet

bp = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600
BODY_CSS = body_stylesheet()
BODY_CSS_VERSION = hashlib.sha256(BODY_CSS.encode()).hexdigest()[:12]


@bp.get("/bodies.css")
def body_colors() -> Response:
    """The badge and grid colour of each body; the link carries a version, so cache it long."""
    response = Response(BODY_CSS, mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, YEAR
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for ``/favicon.ico`` whatever the page links: answer with the SVG icon."""
    assert current_app.static_folder is not None
    icon = Path(current_app.static_folder, "favicon.svg").read_bytes()
    response = Response(icon, mimetype="image/svg+xml")
    response.cache_control.public, response.cache_control.max_age = True, YEAR
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["body_css_version"] = BODY_CSS_VERSION
