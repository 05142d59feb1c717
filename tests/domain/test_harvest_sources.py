"""The kinds of source, and the parser a file's name or content picks."""

from __future__ import annotations

import pytest

from blgcal.domain.harvest.detect import kind_for, sniff
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind, spoken


def test_the_stored_values_are_the_ones_the_database_constraints_allow() -> None:
    assert [kind.value for kind in SourceKind] == ["ics", "csv", "informea", "cbd"]
    assert [choice.value for choice in OnVanish] == ["cancel", "keep"]
    assert [status.value for status in RunStatus] == ["ok", "not_modified", "failed"]


def test_every_kind_and_choice_has_a_label_for_the_form() -> None:
    assert all(kind.label for kind in SourceKind)
    assert [choice.label for choice in OnVanish] == ["Mark them cancelled", "Keep them as they are"]


@pytest.mark.parametrize(("name", "kind"), [
    ("ics", SourceKind.ICS), ("cbd", SourceKind.CBD), ("INFORMEA", SourceKind.INFORMEA),
    ("x.ics", SourceKind.ICS), ("x.ical", SourceKind.ICS), ("x.ifb", SourceKind.ICS),
    ("x.CSV", SourceKind.CSV), ("saved.json", SourceKind.INFORMEA), ("x.txt", None), ("odata", None),
])
def test_a_kind_or_a_file_extension_names_the_parser(name: str, kind: SourceKind | None) -> None:
    assert kind_for(name) is kind


@pytest.mark.parametrize(("data", "kind"), [
    (b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n", SourceKind.ICS),
    (b'{"response": {"docs": []}}', SourceKind.CBD),
    (b'{"d": {"results": []}}', SourceKind.INFORMEA),
    (b"title,start,end\n", SourceKind.CSV),
    (b"plain words", None),
])
def test_the_content_names_its_kind(data: bytes, kind: SourceKind | None) -> None:
    assert sniff(data) is kind


@pytest.mark.parametrize(("values", "said"), [
    (SourceKind, "ics, csv, informea or cbd"), (OnVanish, "cancel or keep"), (["one"], "one"),
])
def test_choices_are_listed_as_a_sentence_lists_them(values: list[str], said: str) -> None:
    assert spoken(values) == said
