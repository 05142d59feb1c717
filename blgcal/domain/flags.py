"""Yes/no query parameters (``acknowledged=1``, ``observances=yes``): one vocabulary, any case.

The words are the union of what the clash filters and the feeds each took
before they shared them; blank is no.
"""

from __future__ import annotations

from collections.abc import Sequence

from blgcal.domain.filters import FilterError

TRUE = frozenset({"1", "true", "yes", "y", "on"})
FALSE = frozenset({"0", "false", "no", "n", "off"})


def yes_no(value: str, name: str) -> bool:
    """Read one value of the parameter *name*; any other word is a :class:`FilterError`."""
    word = value.strip().lower()
    if word in TRUE:
        return True
    if not word or word in FALSE:
        return False
    raise FilterError(name, f"{value!r} is not 1 or 0")


def flag(values: Sequence[str], name: str, *, once: bool = True) -> bool:
    """A yes/no parameter; absent is no.

    :param once: refuse the parameter given more than once; otherwise it is
        yes when any of its values is (each must still be a yes/no word).
    """
    if once and len(values) > 1:
        raise FilterError(name, "give it once")
    return any([yes_no(value, name) for value in values])
