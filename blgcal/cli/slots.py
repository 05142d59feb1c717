"""``blgcal slots``: the slot finder's answers on the command line, as text or the API's JSON."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import with_appcontext

from blgcal.cli.output import echo
from blgcal.clock import today
from blgcal.db import get_session
from blgcal.domain.filters import FilterError
from blgcal.domain.slots import Slot, SlotSearch
from blgcal.services import slots as slot_service
from blgcal.services.slot_schemas import search_json

# (option, API parameter, help); repeatable options are the API's repeatable parameters.
OPTIONS = (
    ("--from", "from", "First day of the window (YYYY-MM-DD); default today."),
    ("--to", "to", "Last day of the window; default 90 days on; at most 366 days."),
    ("--days", "days", "Length of an in-person meeting, whole days."),
    ("--minutes", "minutes", "Length of a virtual meeting."),
    ("--city", "city", "Host city (with --country)."),
    ("--country", "country", "Host country, ISO 3166 alpha-2."),
    ("--near", "near", "Meet next to this event (its id), in its city."),
    ("--mode", "mode", "in_person or virtual (default: virtual when --minutes is given)."),
    ("--repeat", "repeat", "Virtual series: number of meetings."),
    ("--every", "every", "Virtual series: week or month."),
    ("--hours", "hours", "Office hours, e.g. 09:00-18:00."),
    ("--buffer", "buffer", "Days kept free around required governing bodies (default 2)."),
    ("--limit", "limit", "Slots shown (default 10)."),
)
REPEATED = (("--body", "body", "Required body (repeatable; blg = every member)."),
            ("--optional", "optional", "Optional body (repeatable): raises the score."))


def init_app(app: Flask) -> None:
    app.cli.add_command(slots_command)


def _options(func):  # type: ignore[no-untyped-def]
    for flag, name, text in reversed(OPTIONS):
        func = click.option(flag, name, help=text)(func)
    for flag, name, text in reversed(REPEATED):
        func = click.option(flag, name, multiple=True, help=text)(func)
    return click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")(func)


@click.command("slots")
@_options
@with_appcontext
def slots_command(as_json: bool, **values: str | tuple[str, ...] | None) -> None:
    """Find dates for a meeting every required body can attend, ranked and explained."""
    params = {name: list(value) if isinstance(value, tuple) else [value]
              for name, value in values.items() if value}
    session = get_session()
    try:
        found = slot_service.search(session, slot_service.parse(session, params, today=today()),
                                    today=today())
    except FilterError as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.param}") from None
    if as_json:
        echo(json.dumps(search_json(found), indent=2, ensure_ascii=False))
        return
    echo(as_text(found))


def as_text(found: SlotSearch) -> str:
    """The slots, best first, then the explanation."""
    lines = []
    for rank, slot in enumerate(found.slots, start=1):
        lines.append(f"{rank}. {_when(slot)}  (score {slot.score})")
        lines += [f"   + {reason}" for reason in slot.reasons]
        lines += [f"   ! {conflict}" for conflict in slot.conflicts]
        lines += [f"   {local.body.upper():8} {local.start:%H:%M}\u2013{local.end:%H:%M} "
                  f"{local.zone}" + (f", {local.out_minutes} min out of hours"
                                     if local.out_minutes else "")
                  for local in slot.local_times]
    lines.append(found.explanation.summary)
    lines += [f"  {item.cause.label}: {item.days} days ({item.detail})"
              for item in found.explanation.removed]
    if found.explanation.nearest:
        lines.append("Nearest misses:")
        lines += [f"  {miss}" for miss in found.explanation.nearest]
    return "\n".join(lines)


def _when(slot: Slot) -> str:
    if slot.start_dt is not None and slot.end_dt is not None:
        return f"{slot.start_dt:%a %d %b %Y %H:%M}\u2013{slot.end_dt:%H:%M} UTC"
    assert slot.start_date is not None and slot.end_date is not None
    last = "" if slot.end_date == slot.start_date else f" to {slot.end_date:%a %d %b %Y}"
    return f"{slot.start_date:%a %d %b %Y}{last}, {slot.city} ({slot.country})"
