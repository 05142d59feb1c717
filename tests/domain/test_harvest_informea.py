"""InforMEA Meeting records, as a list or wrapped by OData."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from blgcal.domain.harvest.informea import parse_informea
from blgcal.domain.harvest.records import ParseError, ParseResult
from blgcal.domain.types import Kind, Status, Visibility

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
KNOWN = frozenset({"blg", "cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc"})


def parse(name: str) -> ParseResult:
    return parse_informea((FEEDS / name).read_bytes(), source=name, default_body="blg",
                          known_bodies=KNOWN)


def item(result: ParseResult, ident: str):  # noqa: ANN201 (a HarvestedItem)
    return next(i for i in result.items if i.external_uid == ident)


@pytest.mark.parametrize(("ident", "body", "start", "end", "status", "country"), [
    ("cms-cop15", "cms", date(2026, 3, 23), date(2026, 3, 29), Status.CONFIRMED, "BR"),
    # "over" is a meeting that took place; alpha-3 country codes are accepted.
    ("cites-cop20", "cites", date(2025, 11, 24), date(2025, 12, 5), Status.CONFIRMED, "UZ"),
    # A local-midnight time with an offset keeps its day; "plant-treaty" is the ITPGRFA.
    ("itpgrfa-gb11", "itpgrfa", date(2025, 11, 24), date(2025, 11, 29), Status.CONFIRMED, "PE"),
    ("iwc70", "iwc", None, None, Status.TENTATIVE, None),
    ("ramsar-sc-bureau-2026", "ramsar", date(2026, 1, 27), date(2026, 1, 27), Status.POSTPONED, None),
])
def test_informea_records_become_events(ident: str, body: str, start: date | None, end: date | None,
                                        status: Status, country: str | None) -> None:
    event = item(parse("informea.json"), ident).event
    assert (event.bodies, event.start_date, event.end_date, event.status, event.country) == \
        ((body,), start, end, status, country)


def test_all_six_un_languages_are_kept_and_english_is_the_title() -> None:
    found = item(parse("informea.json"), "cms-cop15")
    assert [lang for lang, _ in found.titles] == ["ar", "zh", "en", "fr", "ru", "es"]
    assert found.event.title.startswith("15th Meeting of the Conference of the Parties")
    assert dict(found.titles)["zh"] == "保护野生动物迁徙物种公约缔约方大会第十五届会议"
    assert found.event.description == (
        "Hosted by the Government of Brazil in Campo Grande, Mato Grosso do Sul.")
    assert found.event.updated_dt == datetime(2025, 10, 2, 8, 14, tzinfo=UTC)


def test_without_english_the_first_title_is_used() -> None:
    event = item(parse("informea.json"), "ramsar-sc-bureau-2026").event
    assert event.title == "Réunion du Bureau du Comité permanent de Ramsar"
    assert (event.online, event.visibility, event.kind) == (True, Visibility.STAFF, Kind.STANDING_COMMITTEE)


def test_an_undated_record_is_stored_without_dates() -> None:
    event = item(parse("informea.json"), "iwc70").event
    assert not event.dated and event.expected == "dates to be announced"


def test_an_unknown_treaty_goes_to_the_importing_body_with_a_warning() -> None:
    result = parse("informea.json")
    assert item(result, "minamata-cop6").event.bodies == ("blg",)
    assert [str(w) for w in result.warnings] == [
        "item 6 (id 'minamata-cop6'): treaty 'minamata' is not a body blgcal knows: organised by 'blg'"]


def test_odata_wrapped_records_are_read() -> None:
    result = parse("informea_odata.json")
    assert [(i.external_uid, i.event.bodies, i.event.kind, i.event.status) for i in result.items] == [
        ("cbd-cop17", ("cbd",), Kind.GOVERNING_BODY, Status.CONFIRMED),
        ("whc-48", ("whc",), Kind.GOVERNING_BODY, Status.TENTATIVE),
    ]


def test_every_bad_record_is_named_and_nothing_is_imported() -> None:
    with pytest.raises(ParseError) as caught:
        parse("informea_errors.json")
    assert [str(p) for p in caught.value.problems] == [
        "item 2 (id 'bad-start'): field 'start': '2025-13-01' is not a date (YYYY-MM-DD)",
        "item 3 (id 'bad-status'): field 'status': 'adjourned' is not one of tentative, confirmed,"
        " postponed, cancelled, canceled, nodate, over",
        "item 4 (id 'no-title'): field 'titles': no title in any language",
        "item 5 (id 'backwards'): field 'end': 2025-07-23 is before start 2025-07-31",
        "item 6 (id 'bad-country'): field 'country': 'Korea' is not an ISO 3166 country code",
    ]


GOOD = {"id": "x", "treaty": "cbd", "start": "2026-02-16", "status": "confirmed",
        "titles": [{"language": "en", "value": "SBI-6"}]}


@pytest.mark.parametrize(("data", "message"), [
    ('[{"id": "x",}]', "line 1 column 13: not JSON: Expecting property name"),
    ('{"meetings": []}', 'expected InforMEA meetings: {"d": [...]}'),
    ("[42]", "item 1: expected an object, found int"),
    (json.dumps([{**GOOD, "id": ""}]), "item 1: field 'id': empty"),
    (json.dumps([{**GOOD, "titles": "SBI-6"}]), "field 'titles': expected a list"),
    (json.dumps([{**GOOD, "city": ["Rome"]}]), "item 1 (id 'x'): field 'city': expected text, found list"),
    (json.dumps([{**GOOD, "updated": "yesterday"}]), "field 'updated': 'yesterday' is not an ISO 8601"),
    (json.dumps([GOOD, GOOD]), "item 2 (id 'x'): repeats the id of item 1"),
])
def test_malformed_json_is_refused_with_the_item_named(data: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_informea(data, source="informea", default_body="cbd")
    assert message in str(caught.value)


def test_a_record_without_end_lasts_one_day() -> None:
    [found] = parse_informea(json.dumps([GOOD]), source="informea", default_body="cbd").items
    assert (found.event.start_date, found.event.end_date) == (date(2026, 2, 16), date(2026, 2, 16))
