"""TEXT values: sanitizing and escaping (RFC 5545 3.3.11).

iCalendar TEXT may hold any character except the controls (``CONTROL`` in
RFC 5545 3.3.11 is ``%x00-08 / %x0A-1F / %x7F``); a line break is written as
the escape ``\\n``. Our data comes from forms and harvested feeds, so it may
hold anything. Before escaping, :func:`sanitize_text`:

* turns CR LF and a lone CR into LF, the one line break TEXT can express;
* drops every other control character except TAB and LF: C0, DEL and also
  C1 (U+0080 to U+009F), which some parsers treat as line ends (NEL);
* turns the Unicode line and paragraph separators (U+2028, U+2029) into LF,
  because Python's ``str.splitlines()``, which line-based parsers use, splits
  on them and would cut a content line in two;
* drops lone surrogates, which cannot be encoded as UTF-8, and U+FEFF (a
  byte-order mark; ``icalendar`` deletes it on reading, and as a "zero
  width no-break space" it is deprecated in favour of U+2060).

Nothing else changes: leading and trailing spaces stay. The result is what
every parser must give back, so tests compare against ``sanitize_text(x)``.
"""

from __future__ import annotations

import re
from typing import ClassVar, Self

from icalendar.parser import Contentline
from icalendar.prop import vText

# A content line of fewer octets than this is never folded (RFC 5545 3.1).
FOLD_OCTETS = 75
# C0 except TAB (09) and LF (0A), DEL, C1, lone surrogates, byte-order mark.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")


def sanitize_text(value: str) -> str:
    """Return *value* with only characters iCalendar TEXT can carry.

    >>> sanitize_text("a\\r\\nb\\rc\\x00d\\te")
    'a\\nb\\ncd\\te'
    """
    if value.isprintable():  # no control, separator, format or surrogate character
        return value
    return _DROPPED.sub("", _LINE_BREAKS.sub("\n", value))


def escape_text(value: str) -> str:
    """Escape a sanitized TEXT value (RFC 5545 3.3.11).

    Backslash first so the escapes added after it are not doubled. Unlike
    ``icalendar``'s own escaping this leaves a literal ``\\N`` in the input
    alone: it is two characters of data, not a line break.
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets exactly as ``icalendar`` does (RFC 5545 3.1).

    Every physical line holds at most 74 characters after its leading space,
    and a line never ends on a backslash or caret, which would split an
    escape (icalendar issue #1501). ASCII lines are cut by slicing; others,
    whose characters take several octets, go to ``icalendar`` itself.
    """
    if len(line) < FOLD_OCTETS and (line.isascii() or len(line.encode()) < FOLD_OCTETS):
        return line
    if not line.isascii():
        folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]
        return folded.decode("utf-8")
    width, parts, start = FOLD_OCTETS - 1, [], 0
    while len(line) - start > width:
        cut = start + width - (line[start + width - 1] in "\\^")
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return "\r\n ".join(parts)


class SafeText(vText):
    """A ``vText`` that sanitizes and escapes exactly once, correctly.

    ``icalendar`` 7.3 rewrites ``\\N`` in the *data* to a line break before
    escaping, which changes titles such as ``C:\\New``; this subclass keeps
    the data as given (after :func:`sanitize_text`).
    """

    __slots__ = ()
    default_value: ClassVar[str] = "TEXT"

    def to_ical(self) -> bytes:
        return escape_text(sanitize_text(str(self))).encode("utf-8")


class SafeCategories(vText):
    """A CATEGORIES value: several TEXT values joined by commas (RFC 5545 3.8.1.2)."""

    __slots__ = ("items",)
    items: tuple[str, ...]

    def __new__(cls, items: tuple[str, ...]) -> Self:
        self = super().__new__(cls, ",".join(items))
        self.items = items
        return self

    def to_ical(self) -> bytes:
        return ",".join(escape_text(sanitize_text(i)) for i in self.items).encode("utf-8")
