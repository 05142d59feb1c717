"""Read JSON from strangers: nesting too deep for Python's reader is a located decode error.

``json.loads`` recurses once per ``[`` or ``{`` and raises ``RecursionError``
past Python's recursion limit (about 1,000 levels); meetings data nests a
few levels. Callers already report :class:`json.JSONDecodeError` with its
line and column, so a file nested 100,000 deep is reported the same way.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

# A JSON string (skipped whole: brackets inside it do not nest) or a bracket.
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def loads(data: str | bytes) -> Any:
    """:func:`json.loads`, raising :class:`json.JSONDecodeError` where nesting is too deep."""
    try:
        return json.loads(data)
    except RecursionError:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        depth, position = deepest(text)
        raise json.JSONDecodeError(
            f"nested {depth:,} levels deep; JSON nested deeper than about"
            f" {sys.getrecursionlimit():,} levels cannot be read", text, position) from None


def deepest(text: str) -> tuple[int, int]:
    """The greatest nesting depth in *text*, and where it is first reached."""
    depth = most = where = 0
    for token in TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > most:
                most, where = depth, token.start()
        elif mark in "]}":
            depth -= 1
    return most, where
