"""Schemathesis over ``/api/v1/openapi.json``, against the app through WSGI on the shipped data.

Each operation gets generated requests, valid ones and invalid ones; every answer must be no
5xx, a declared status, a declared content type and a body matching the declared schema.
``BLGCAL_FUZZ_EXAMPLES`` sets the requests per operation and mode (25 by default,
derandomised, so CI sends the same requests every time); the README's JSON API section has
the longer run against a live server.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from blgcal.web.openapi import document

EXAMPLES = int(os.environ.get("BLGCAL_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
PATHS = document(bodies=[], per_page=50, max_per_page=500)["paths"]
#: Each operation with valid requests; those that take parameters with invalid ones too.
RUNS = [(path, mode) for path, item in sorted(PATHS.items())
        for mode in schemathesis.GenerationMode
        if mode is schemathesis.GenerationMode.POSITIVE or item["get"]["parameters"]]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(("path", "mode"), RUNS, ids=[f"{path}-{mode.value}" for path, mode in RUNS])
def test_every_operation_keeps_its_contract(app: Flask, path: str,
                                            mode: schemathesis.GenerationMode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path]["GET"]

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def keeps_contract(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    keeps_contract()
