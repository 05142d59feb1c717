"""SECURITY.md states the limits the code enforces, and every limit the configuration has.

Each row of the limits table names what sets it: ``config:KEY`` (a default in
:func:`blgcal.config.defaults`) or ``blgcal.module.NAME`` (a module attribute,
dotted further into an object's attributes). Both sides are brought to base
units before comparing: bytes, seconds or plain numbers. A key's unit is read
from its name (``_KB``, ``_MB``, ``_BYTES``, ``_DAYS``, ``_HOURS``, ``_MINUTES``,
``TIMEOUT``, ``MAX_AGE``); the document's from the unit written after the number.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from blgcal.config import defaults

DOC = Path(__file__).resolve().parents[1] / "SECURITY.md"

DOC_UNITS = {"B": 1, "bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "s": 1, "ms": 0.001,
             "minutes": 60, "hours": 3600, "days": 86400, "characters": 1, "items": 1,
             "occurrences": 1, "events": 1, "series": 1, "levels": 1}
NAME_UNITS = (("_KB", 2**10), ("_MB", 2**20), ("_BYTES", 1), ("_DAYS", 86400), ("_HOURS", 3600),
              ("_MINUTES", 60), ("_SECONDS", 1), ("TIMEOUT", 1), ("MAX_AGE", 1), ("_MS", 0.001))
NUMBER = re.compile(r"^(-?[0-9][0-9,]*(?:\.[0-9]+)?)(?:\s+(\S+))?$")

#: Configuration keys that are limits: each must have a row.
LIMIT_KEY = re.compile(r"MAX|MIN|LIMIT|TIMEOUT|_DAYS|_HOURS|_MINUTES|_MB$|_KB$|_BYTES|PER_PAGE|CACHE_SIZE")


def rows() -> list[tuple[str, str]]:
    """(value, reference) of every row of every table between limits markers.

    A table's second column is the value and its third what sets it; a fourth may say why.
    """
    text = DOC.read_text(encoding="utf-8")
    found = []
    for block in text.split("<!-- limits -->")[1:]:
        table = block.split("<!-- /limits -->", 1)[0]
        for line in table.strip().splitlines()[2:]:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert len(cells) >= 3, f"SECURITY.md limits row has fewer than three cells: {line!r}"
            found.append((cells[1], cells[2].strip("`")))
    return found


def actual(reference: str) -> object:
    """What *reference* names in the code; ``NAME[key]`` is an item of a mapping."""
    if reference.startswith("config:"):
        return defaults("/instance")[reference.removeprefix("config:")]
    reference, _, key = reference.partition("[")
    if key:
        mapping = actual(reference)
        assert isinstance(mapping, Mapping), f"{reference} is not a mapping"
        return mapping[key.rstrip("]")]
    parts = reference.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            value = getattr(value, attribute)
        return value
    raise AssertionError(f"SECURITY.md names {reference}, which is not in the code")


def name_scale(reference: str) -> float:
    name = reference.rsplit(":", 1)[-1].split("[")[0].rsplit(".", 1)[-1].upper()
    return next((scale for suffix, scale in NAME_UNITS if suffix in name), 1)


def written(value: str) -> object:
    """The document's value in base units; a rate or date stays as text."""
    match = NUMBER.match(value)
    if not match:
        return value
    number = float(match[1].replace(",", ""))
    unit = match[2]
    if unit is not None:
        assert unit in DOC_UNITS, f"SECURITY.md uses an unknown unit {unit!r} in {value!r}"
    return number * DOC_UNITS.get(unit or "", 1)


@pytest.mark.parametrize(("value", "reference"), rows(), ids=[ref for _, ref in rows()])
def test_each_documented_limit_is_the_one_the_code_enforces(value: str, reference: str) -> None:
    code = actual(reference)
    if code is None:
        assert value == "none", f"{reference} is None, SECURITY.md says {value}"
    elif isinstance(code, date):
        assert value == code.isoformat(), f"{reference} is {code}, SECURITY.md says {value}"
    elif isinstance(code, bool) or not isinstance(code, int | float):
        assert value == str(code), f"{reference} is {code!r}, SECURITY.md says {value!r}"
    else:
        expected = code * name_scale(reference)
        assert written(value) == pytest.approx(expected), (
            f"{reference} is {code!r}, SECURITY.md says {value!r}")


def test_every_limit_in_the_configuration_is_documented() -> None:
    documented = {reference.removeprefix("config:") for _, reference in rows()}
    missing = sorted(key for key in defaults("/instance") if LIMIT_KEY.search(key) and key not in documented)
    assert not missing, f"SECURITY.md's limits table lacks {missing}"


def test_the_table_is_not_empty_and_its_units_are_known() -> None:
    values = [value for value, _ in rows()]
    assert len(values) >= 40
    assert all(written(value) is not None for value in values)
