from datetime import date

import pytest

from blgcal.domain.filters import EventFilter, FilterError, parse_filters
from blgcal.domain.types import Kind, Status

BODIES = frozenset({"cbd", "cites", "cms"})


def parse(**params: str | list[str]) -> EventFilter:
    values = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_filters(values, known_bodies=BODIES)


def test_no_parameters_mean_no_filter() -> None:
    assert parse() == EventFilter()


@pytest.mark.parametrize(("params", "expected"), [
    ({"body": ["cbd", "CMS"]}, EventFilter(bodies=("cbd", "cms"))),
    ({"body": "cbd,cites"}, EventFilter(bodies=("cbd", "cites"))),
    ({"body": ["cbd", "cbd"]}, EventFilter(bodies=("cbd",))),
    ({"kind": "governing_body"}, EventFilter(kinds=(Kind.GOVERNING_BODY,))),
    ({"status": ["tentative", "confirmed"]},
     EventFilter(statuses=(Status.TENTATIVE, Status.CONFIRMED))),
    ({"country": "it"}, EventFilter(countries=("IT",))),
    ({"tag": "Oceans"}, EventFilter(tags=("oceans",))),
    ({"from": "2025-01-01", "to": "2025-12-31"},
     EventFilter(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))),
    ({"from": "2025-11-24T10:00:00+05:00"}, EventFilter(date_from=date(2025, 11, 24))),
    ({"month": "2026-02"}, EventFilter(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))),
    ({"month": "2024-12"}, EventFilter(date_from=date(2024, 12, 1), date_to=date(2024, 12, 31))),
    ({"q": " rome  "}, EventFilter(text="rome")),
    ({"page": "3", "per_page": "500"}, EventFilter(page=3, per_page=500)),
    ({"body": ""}, EventFilter()),
])
def test_valid_parameters_become_a_filter(params: dict[str, str], expected: EventFilter) -> None:
    assert parse(**params) == expected


@pytest.mark.parametrize(("params", "param", "words"), [
    ({"body": "wwf"}, "body", "unknown body 'wwf'"),
    ({"kind": "party"}, "kind", "'party' is not one of"),
    ({"status": "maybe"}, "status", "'maybe' is not one of"),
    ({"country": "XX"}, "country", "not an ISO 3166"),
    ({"country": "ITA"}, "country", "not an ISO 3166"),
    ({"tag": "a b"}, "tag", "is not a tag"),
    ({"from": "2025-13-01"}, "from", "not an ISO 8601 date"),
    ({"to": "tomorrow"}, "to", "not an ISO 8601 date"),
    ({"from": ["2025-01-01", "2025-02-01"]}, "from", "give it once"),
    ({"from": "2026-01-02", "to": "2026-01-01"}, "from", "after to=2026-01-01"),
    ({"month": "2026-13"}, "month", "not a month"),
    ({"page": "0"}, "page", "between 1 and"),
    ({"page": "-1"}, "page", "whole number"),
    ({"per_page": "501"}, "per_page", "between 1 and 500"),
    ({"per_page": "ten"}, "per_page", "whole number"),
    ({"q": "x" * 201}, "q", "longer than 200"),
])
def test_malformed_parameters_name_the_parameter(params: dict[str, str], param: str,
                                                 words: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse(**params)
    assert caught.value.param == param
    assert words in caught.value.message
