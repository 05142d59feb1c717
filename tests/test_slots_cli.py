"""``blgcal slots``: the API's answers as text or JSON, and errors naming the option."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from blgcal.models import Event

FEBRUARY = ["slots", "--from", "2026-02-01", "--to", "2026-03-15", "--body", "blg"]


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(TODAY=date(2026, 1, 15))


@pytest.fixture
def near(app: Flask, runner: FlaskCliRunner) -> str:
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.extensions["blgcal.sessionmaker"]() as session:
        return str(session.scalars(select(Event.id).where(Event.code == "SBI-6")).one())


def test_the_text_answer_ranks_the_friday_after_sbi6_first(runner: FlaskCliRunner,
                                                           near: str) -> None:
    result = runner.invoke(args=[*FEBRUARY, "--days", "1", "--near", near, "--limit", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1. Fri 20 Feb 2026, Rome (IT)  (score 130)"
    assert lines[1].startswith("   + The working day after CBD SBI-6")
    assert "2. Fri 13 Feb 2026, Rome (IT)" in result.output
    assert "   ! CBD staff are at CBD RM workshop" in result.output


def test_json_is_the_apis_answer(app: Flask, runner: FlaskCliRunner, near: str) -> None:
    result = runner.invoke(args=[*FEBRUARY, "--minutes", "90", "--json"])
    assert result.exit_code == 0, result.output
    api = app.test_client().get("/api/v1/slots?from=2026-02-01&to=2026-03-15&body=blg"
                                "&minutes=90").get_json()
    assert json.loads(result.output) == api


def test_virtual_text_lists_each_secretariats_local_time(runner: FlaskCliRunner,
                                                         near: str) -> None:
    result = runner.invoke(args=[*FEBRUARY, "--minutes", "90", "--limit", "1"])
    assert "   CBD      10:00\u201311:30 America/Toronto" in result.output


def test_bad_input_names_the_option(runner: FlaskCliRunner, near: str) -> None:
    result = runner.invoke(args=[*FEBRUARY, "--days", "1", "--minutes", "60"])
    assert result.exit_code == 2 and "--minutes" in result.output and "not both" in result.output
    unknown = runner.invoke(args=["slots", "--body", "nobody", "--minutes", "60"])
    assert unknown.exit_code == 2 and "--body" in unknown.output
