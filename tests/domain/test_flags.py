"""Yes/no query parameters: one vocabulary for the clash filters and the feeds."""

from __future__ import annotations

import pytest

from blgcal.domain.filters import FilterError
from blgcal.domain.flags import FALSE, TRUE, flag, yes_no


@pytest.mark.parametrize(("value", "meant"), [
    *((word, True) for word in ("1", "true", "yes", "y", "on", "TRUE", "Yes", " 1 ")),
    *((word, False) for word in ("0", "false", "no", "n", "off", "OFF", "", "  ")),
])
def test_each_spelling_reads_as_yes_or_no_in_any_case(value: str, meant: bool) -> None:
    assert yes_no(value, "observances") is meant


def test_the_vocabulary_is_the_union_the_two_readers_took() -> None:
    assert TRUE == {"1", "true", "yes", "y", "on"}
    assert FALSE == {"0", "false", "no", "n", "off"}


@pytest.mark.parametrize("value", ["maybe", "2", "oui", "1,0"])
def test_any_other_word_is_refused_naming_the_parameter(value: str) -> None:
    with pytest.raises(FilterError) as raised:
        yes_no(value, "acknowledged")
    assert raised.value.param == "acknowledged" and repr(value) in str(raised.value)


def test_an_absent_flag_is_no() -> None:
    assert flag([], "observances") is False and flag([], "acknowledged", once=False) is False


def test_a_flag_given_twice_is_refused_unless_several_are_allowed() -> None:
    with pytest.raises(FilterError, match="give it once"):
        flag(["1", "0"], "observances")
    assert flag(["0", "1"], "acknowledged", once=False) is True
    assert flag(["0", ""], "acknowledged", once=False) is False


def test_several_values_are_each_checked() -> None:
    with pytest.raises(FilterError):
        flag(["1", "maybe"], "acknowledged", once=False)
