"""Errors: JSON ``{"error": {"code", "message", "field"}}`` under /api, pages elsewhere."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from blgcal.domain.filters import FilterError


class ApiError(Exception):
    """An error to report as JSON, with the offending field when there is one."""

    def __init__(self, status: int, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(FilterError, _filter_error)
    app.register_error_handler(ApiError, _api_error)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    response = jsonify(error={"code": code, "message": message, "field": field})
    response.status_code = status
    return response


def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    if wants_json():
        return json_error(status, _code(status), exc.description or exc.name or "error")
    return render_template("errors/error.html", error=exc, status=status), status


def _filter_error(exc: FilterError) -> Response | tuple[str, int]:
    if wants_json():
        return json_error(400, "invalid_parameter", exc.message, exc.param)
    return render_template("errors/error.html", status=400, message=str(exc)), 400


def _api_error(exc: ApiError) -> Response:
    return json_error(exc.status, _code(exc.status), exc.message, exc.field)


def _code(status: int) -> str:
    return HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
