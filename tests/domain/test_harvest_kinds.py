"""The rule that gives harvested items their kind and code."""

from __future__ import annotations

import pytest

from blgcal.domain.harvest.kinds import code_in, kind_of
from blgcal.domain.types import Kind

G, S, C, W = Kind.GOVERNING_BODY, Kind.SUBSIDIARY_BODY, Kind.STANDING_COMMITTEE, Kind.WORKING_GROUP


@pytest.mark.parametrize(("title", "kind", "code"), [
    ("CITES SC81", C, "SC81"),
    ("AC34: 34th meeting of the Animals Committee", S, "AC34"),
    ("PC27", S, "PC27"),
    ("SBSTTA-28", S, "SBSTTA-28"),
    ("SBSTTA 28", S, "SBSTTA-28"),
    ("SBI-07", S, "SBI-7"),
    ("SBI-7", S, "SBI-7"),
    ("COP17", G, "COP17"),
    ("COP-17", G, "COP17"),
    ("CITES CoP20", G, "CoP20"),
    ("CP-MOP 12", G, "CP-MOP 12"),
    ("NP-MOP-6", G, "NP-MOP 6"),
    ("MOP", G, "MOP"),
    ("AEWA MOP9", G, "MOP9"),
    ("CPM-21", G, "CPM-21"),
    ("ITPGRFA GB-11", G, "GB-11"),
    ("CMS StC57", C, "StC57"),
    ("CMS ScC-SC7", S, "ScC"),
    ("StC", C, "StC"),
    ("ScC", S, "ScC"),
    ("57th meeting of the Standing Committee", C, None),
    ("Sessional Committee of the Scientific Council", S, None),
    ("IWC SC70: 70th meeting of the IWC Scientific Committee", S, "SC70"),
    ("Webinar on the Global Biodiversity Framework", Kind.WEBINAR, None),
    ("Regional workshop on Article 8(j)", W, None),
    ("COP17 workshop on resource mobilisation", W, "COP17"),
    ("Side event: ocean finance", Kind.SIDE_EVENT, None),
    ("17th meeting of the Conference of the Parties", G, None),
    ("7th IUCN World Protected and Conserved Areas Congress", Kind.CONFERENCE, None),
    ("Open-ended working group on the post-2020 framework", W, None),
    ("Regional consultation for Africa", W, None),
])
def test_codes_and_titles_give_the_kind_and_the_code(title: str, kind: Kind, code: str | None) -> None:
    assert kind_of(title=title, default=Kind.COMMS_MOMENT) is kind
    assert code_in(title) == code


@pytest.mark.parametrize(("hint", "kind"), [
    ("MOP", G), ("Webinar", Kind.WEBINAR), ("side event", Kind.SIDE_EVENT),
    ("standing_committee", C), ("Expert meeting", W), ("Scientific", S),
])
def test_a_hint_from_the_source_comes_first(hint: str, kind: Kind) -> None:
    assert kind_of(hint=hint, title="COP17") is kind


@pytest.mark.parametrize("title", ["Ocean Day", "SC", "ESCAPE-12", "COPenhagen talks", ""])
def test_nothing_known_gives_the_default(title: str) -> None:
    assert kind_of(title=title, default=Kind.WEBINAR) is Kind.WEBINAR
    assert code_in(title) is None


def test_the_code_field_is_read_before_the_title() -> None:
    assert kind_of(code="SBI-7", title="Nairobi 2026") is S


@pytest.mark.parametrize(("data", "kind"), [
    (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "ics"),
    (b"\xef\xbb\xbf\r\nbegin:vcalendar\r\n", "ics"),
    (b'{"responseHeader": {}, "response": {"numFound": 0, "docs": []}}', "cbd"),
    (b'[{"id": "x", "symbol_s": "COP-17", "title_EN_t": "COP"}]', "cbd"),
    (b'{"d": {"results": []}}', "informea"),
    (b'[{"id": "x", "title": {"en": "CoP21"}}]', "informea"),
    (b"code,title,start,end\nX,Y,2027-01-01,2027-01-02\n", "csv"),
    (b"just some notes", None),
])
def test_the_format_is_recognised_by_the_content(data: bytes, kind: str | None) -> None:
    from blgcal.domain.harvest.detect import sniff

    assert sniff(data) == kind
