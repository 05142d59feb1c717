"""``blgcal clashes`` and ``blgcal opportunities``: the API's answers on the command line."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import with_appcontext

from blgcal.cli.output import echo
from blgcal.clock import today
from blgcal.db import get_session
from blgcal.domain.filters import FilterError
from blgcal.domain.findings import (
    CLASH_KINDS,
    OPPORTUNITY_KINDS,
    FindingFilter,
    parse_finding_filters,
)
from blgcal.services import findings as finding_service
from blgcal.services import queries
from blgcal.services.schemas import clash_json, opportunity_json


def init_app(app: Flask) -> None:
    app.cli.add_command(clashes_command)
    app.cli.add_command(opportunities_command)


def filter_options(func):  # type: ignore[no-untyped-def]
    for option in reversed([
        click.option("--from", "date_from", help="Only findings ending on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", help="Only findings starting on or before (YYYY-MM-DD)."),
        click.option("--body", "bodies", multiple=True, help="Only findings involving a body."),
        click.option("--kind", "kinds", multiple=True, help="Only these kinds."),
        click.option("--json", "as_json", is_flag=True, help="Print the API's JSON."),
    ]):
        func = option(func)
    return func


def _filter(kinds: tuple[str, ...], **values: tuple[str, ...] | str | None) -> FindingFilter:
    params = {name: list(value) if isinstance(value, tuple) else [value]
              for name, value in values.items() if value}
    try:
        return parse_finding_filters(params, known_bodies=queries.body_slugs(get_session()),
                                     kinds=kinds)
    except FilterError as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.param}") from None


@click.command("clashes")
@filter_options
@click.option("--severity", "severities", multiple=True, help="block, warn or info.")
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged clashes.")
@with_appcontext
def clashes_command(date_from: str | None, date_to: str | None, bodies: tuple[str, ...],
                    kinds: tuple[str, ...], as_json: bool, severities: tuple[str, ...],
                    show_all: bool) -> None:
    """List clashes between the conventions' meetings."""
    flt = _filter(CLASH_KINDS, **{"from": date_from, "to": date_to, "body": bodies,
                                  "kind": kinds, "severity": severities,
                                  "acknowledged": "1" if show_all else None})
    listed = finding_service.listed_clashes(get_session(), flt, today=today())
    if as_json:
        echo(json.dumps({"clashes": [clash_json(c, acknowledged=a) for c, a in listed]},
                              indent=2, ensure_ascii=False))
        return
    for clash, acked in listed:
        mark = " (acknowledged)" if acked else ""
        echo(f"{clash.severity.value:5}  {clash.kind.value:12} {clash.explanation}{mark}")
    echo(f"{len(listed)} clash{'es' if len(listed) != 1 else ''}.")


@click.command("opportunities")
@filter_options
@with_appcontext
def opportunities_command(date_from: str | None, date_to: str | None, bodies: tuple[str, ...],
                          kinds: tuple[str, ...], as_json: bool) -> None:
    """List joint-communication opportunities."""
    flt = _filter(OPPORTUNITY_KINDS, **{"from": date_from, "to": date_to, "body": bodies,
                                        "kind": kinds})
    found = finding_service.listed_opportunities(get_session(), flt, today=today())
    if as_json:
        echo(json.dumps({"opportunities": [opportunity_json(o) for o in found]},
                              indent=2, ensure_ascii=False))
        return
    for item in found:
        lead = f"in {item.lead_days} days" if item.lead_days >= 0 else "past"
        echo(f"{item.kind.value:12} {item.start}  {lead:14} {item.explanation}")
    echo(f"{len(found)} opportunit{'ies' if len(found) != 1 else 'y'}.")
