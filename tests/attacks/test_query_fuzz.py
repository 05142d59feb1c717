"""No query string, path id or parameter makes any GET route answer 500.

Every route of the URL map is requested, anonymously and as an admin, with
parameters drawn from the filter vocabulary and from values that once broke
it (``month=9999-12``, ``page=²``, ``year=①``, ``?endpoint=x``, ids past
2**63). A bad value is a 400 or 404 in the route's own error shape: JSON under
``/api/``, an HTML page elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from blgcal.domain.ids import row_id

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")

#: Values of route arguments, by name: a real one from the shipped data, and hostile ones.
ROUTE_VALUES: dict[str, list[object]] = {
    "event_id": [1, 0, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 99999999999999999999],
    "user_id": [1, 2**64],
    "source_id": [1, 2**70],
    "item_id": [1, 2**63],
    "revision_id": [1, 2**63],
    "run_id": [1, 2**63],
    "job_id": [1, 0, 2**31, 2**63],
    "year": [2026, 0, 9999, 10**12],
    "month": [11, 0, 13, 10**9],
    "slug": ["cbd", "nope", "CBD", "a" * 300],
    "token": ["x" * 43, "", "%00"],
    "key": ["overlap:1:2", "a" * 500, "..%2F..%2Fetc"],
    "filename": ["blgcal.css", "../../etc/passwd"],
    "_rest": ["x", "a/b/c"],
}
NASTY = ["9999-12", "0000-01", "9999-12-31", "0001-01-01", "²", "①", "٣", "-1", "1e9",
         "99999999999999999999", "", " ", "\x00", "%00", "a" * 5000, "2026-02-30", "x", "DELETE",
         "javascript:alert(1)", "//evil.example", "cbd", "meeting", "tentative", "FR", "2026-11",
         "2026-11-27", "2026-11-27T10:00:00+00:00", "1", "0", "500", "501", "true"]
PARAMS = ["from", "to", "month", "body", "kind", "status", "country", "q", "page", "per_page", "tag",
          "year", "opportunity", "next", "endpoint", "_external", "_method", "_anchor", "_scheme",
          "path", "observances", "optional", "severity", "all", "event", "parent", "parent_id",
          "version", "format"]


def get_routes(app: Flask) -> list[str]:
    """Every GET path of the app, each argument filled with each of its values."""
    paths: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        unknown = set(rule.arguments) - set(ROUTE_VALUES)
        assert not unknown, f"{rule.rule}: give ROUTE_VALUES a value for {sorted(unknown)}"
        for values in _combinations(sorted(rule.arguments)):
            path = rule.rule
            for name, value in values.items():
                path = path.replace(f"<{_converter(rule, name)}{name}>", str(value))
            paths.append(path)
    return paths


def _converter(rule: object, name: str) -> str:
    text = str(rule)
    for prefix in ("int:", "path:", ""):
        if f"<{prefix}{name}>" in text:
            return prefix
    raise AssertionError(f"{text}: cannot place {name}")


def _combinations(names: list[str]) -> Iterator[dict[str, object]]:
    if not names:
        yield {}
        return
    head, *rest = names
    for value in ROUTE_VALUES[head]:
        for tail in _combinations(rest):
            yield {head: value, **tail}


def assert_answered_in_shape(client: FlaskClient, url: str) -> None:
    with client.get(url) as response:
        check_shape(url, response)


def check_shape(url: str, response: TestResponse) -> None:
    assert response.status_code < 500, (url, response.status_code, response.get_data(as_text=True)[:300])
    if 400 <= response.status_code < 500 and response.status_code != 404:
        content_type = response.headers.get("Content-Type", "")
        if url.startswith("/api/"):
            assert content_type.startswith("application/json"), (url, content_type)
            assert "error" in response.get_json(), url
        elif not url.startswith(("/feeds/", "/events/")) or not url.split("?")[0].endswith(".ics"):
            assert content_type.startswith(("text/html", "application/json")), (url, content_type)


query = st.lists(st.tuples(st.sampled_from(PARAMS), st.one_of(st.sampled_from(NASTY), st.text(max_size=20))),
                 max_size=4)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_route_with_its_hostile_arguments_answers_without_500(
        client: FlaskClient, create_user, auth: AuthActions, signed_in: bool) -> None:  # type: ignore[no-untyped-def]
    if signed_in:
        create_user("root@blg.int", role="admin")
        auth.login("root@blg.int")
    for path in get_routes(client.application):
        assert_answered_in_shape(client, path)


#: One route per reader of the query string (filters, findings, timeline, month, feeds).
READERS = ["/", "/month/2026/11", "/clashes", "/api/v1/opportunities", "/timeline",
           "/api/v1/events", "/feeds/custom.ics", "/feeds/observances.ics", "/api/v1/feeds/count"]
ONCE_BROKEN = ["9999-12", "0000-01", "²", "①", "9999-12-31", "99999999999999999999"]


@pytest.mark.parametrize("value", ONCE_BROKEN)
def test_each_value_once_broken_is_refused_cleanly_in_each_parameter(client: FlaskClient,
                                                                     value: str) -> None:
    for path in READERS:
        for name in PARAMS:
            assert_answered_in_shape(client, f"{path}?{name}={_quote(value)}")


SLOT_PARAMS = ["from", "to", "body", "optional", "mode", "days", "minutes", "city", "country", "near",
               "hours", "repeat", "every", "buffer", "limit"]


@pytest.mark.parametrize("value", ONCE_BROKEN)
def test_each_value_once_broken_is_refused_cleanly_by_the_slot_finder(client: FlaskClient,
                                                                      value: str) -> None:
    for path in ("/api/v1/slots", "/slots"):
        for name in SLOT_PARAMS:
            query = {"body": "cbd", "city": "Rome", "country": "IT", name: value}
            assert_answered_in_shape(client, f"{path}?{urlencode(query)}")


def test_query_parameters_never_become_url_for_options(client: FlaskClient) -> None:
    for query in ("year=2030", "endpoint=x", "_method=DELETE", "_external=1", "_anchor=x"):
        response = client.get(f"/month?{query}")
        assert response.status_code == 302, (query, response.status_code)
        assert response.headers["Location"].startswith("/month/2026/11?"), response.headers["Location"]
    assert client.get("/api/v1/events?_external=0&per_page=1").get_json()["next"].startswith("http")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_query_strings_on_random_routes_never_answer_500(client: FlaskClient,
                                                                data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(get_routes(client.application)))
    pairs = data.draw(query)
    encoded = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)
    assert_answered_in_shape(client, f"{path}?{encoded}" if encoded else path)


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


@pytest.mark.parametrize("value", ONCE_BROKEN + ["0", "-1", "2147483648", "abc"])
def test_the_event_forms_ignore_a_parent_that_is_no_row_id(client: FlaskClient, create_user,  # type: ignore[no-untyped-def]
                                                           auth: AuthActions, value: str) -> None:
    create_user("root@blg.int", role="admin")
    auth.login("root@blg.int")
    response = client.get(f"/events/new?parent={_quote(value)}")
    assert response.status_code == 200, (value, response.status_code)
    assert 'name="title"' in response.get_data(as_text=True)


def test_a_row_id_is_ascii_digits_within_the_id_columns() -> None:
    assert [row_id(text) for text in ("1", "2147483647", "2147483648", "0", "²", "١", "", "+1", " 1")] == [
        1, 2147483647, None, None, None, None, None, None, None]
