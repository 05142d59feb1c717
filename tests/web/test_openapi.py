"""``/api/v1/openapi.json``: a valid OpenAPI 3.1 document that tells the truth about the API.

Real answers on the shipped calendar (and a timed event) validate against the schema declared
for their status; every route under ``/api/`` of the URL map has its path; each whole-number
parameter is refused just outside its declared range and accepted at its ends; each declared
choice is accepted.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, ValidationError
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.filters import FIRST_DAY, LAST_DAY
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind
from blgcal.models import Event
from blgcal.services.events import save_event
from blgcal.services.feeds.specs import FEED_PARAMS, FILTER_PARAMS
from blgcal.services.history import Actor
from blgcal.web.openapi import DAY_PARAM

pytestmark = pytest.mark.usefixtures("seeded")
DOCUMENT = "urn:blgcal:openapi"
ROME = {"body": "cbd", "city": "Rome", "country": "IT"}
ONLINE = {"body": "cbd", "minutes": "60"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def timed_event(session: Session) -> int:
    """A timed webinar inside CBD COP17: the shapes the shipped all-day rows never take."""
    parent = session.scalars(select(Event.id).where(Event.code == "CBD COP17")).one()
    start = datetime(2026, 10, 20, 13, tzinfo=UTC)
    webinar = EventData(uid="webinar@test", title="Webinar", bodies=("cbd",), kind=Kind.WEBINAR,
                        start_dt=start, end_dt=start + timedelta(hours=2),
                        timezone="Asia/Yerevan", online=True, parent_id=parent, tags=("oceans",))
    row, _ = save_event(session, webinar, now=datetime.now(UTC), actor=Actor("test", "cli"))
    session.commit()
    return row.id


def test_the_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_every_api_route_of_the_url_map_has_its_path_and_no_other(app: Flask,
                                                                  spec: dict[str, Any]) -> None:
    routes = {(template(rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") for method in rule.methods or ()
              if method not in {"HEAD", "OPTIONS"}}
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    assert routes == documented


def template(rule: str) -> str:
    """``/api/v1/events/<int:event_id>`` as OpenAPI writes it: ``/api/v1/events/{event_id}``."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_the_filters_declared_are_the_filters_read(spec: dict[str, Any]) -> None:
    assert query_names(spec, "/api/v1/events") == {*FILTER_PARAMS, "page", "per_page"}
    assert query_names(spec, "/api/v1/feeds/count") == set(FEED_PARAMS)


def test_the_declared_years_are_the_calendars_range() -> None:
    day = re.compile(DAY_PARAM["pattern"])
    assert day.match(FIRST_DAY.isoformat()) and day.match(LAST_DAY.isoformat())
    assert not day.match((FIRST_DAY - timedelta(days=1)).isoformat())
    assert not day.match((LAST_DAY + timedelta(days=1)).isoformat())


def test_every_real_answer_matches_the_schema_declared_for_its_status(
        client: FlaskClient, spec: dict[str, Any], timed_event: int) -> None:
    listed = all_events(client)
    assert timed_event in listed and len(listed) > 39
    anchor = client.get("/api/v1/events?from=2027-01-01&kind=governing_body").get_json()["events"][0]
    requests = [(f"/api/v1/events/{event_id}", 200) for event_id in listed] + REQUESTS + [
        (f"/api/v1/slots?body=blg&near={anchor['id']}", 200)]
    checked = set()
    for url, status in requests:
        response = client.get(url)
        assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/json", url
        path = matched_path(spec, url)
        errors = list(validator(spec, path, status).iter_errors(response.get_json()))
        assert not errors, (url, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]])
        checked.add((path, status))
    etag = client.get("/api/v1/events").headers["ETag"]
    assert client.get("/api/v1/events", headers={"If-None-Match": etag}).status_code == 304
    checked.add(("/api/v1/events", 304))
    assert checked == {(path, int(status)) for path, item in spec["paths"].items()
                       for status in item["get"]["responses"]
                       if status != "414"}  # the HTTP server's answer, never the app's


REQUESTS: list[tuple[str, int]] = [
    ("/api/v1/events?per_page=500&status=tentative&status=cancelled", 200),
    ("/api/v1/events?per_page=2&from=2026-11-27&to=2027-12-31T00:00:00Z", 200),
    ("/api/v1/events?month=2026-02&body=cbd,ipbes&kind=subsidiary_body&country=it&q=SBI", 200),
    ("/api/v1/events?tag=oceans&page=3", 200),
    ("/api/v1/events?from=2026-02-30", 400),
    ("/api/v1/events/999999", 404),
    ("/api/v1/events/0", 404),
    ("/api/v1/events/99999999999", 404),
    ("/api/v1/bodies", 200),
    ("/api/v1/clashes", 200),
    ("/api/v1/clashes?acknowledged=1&severity=warn,block&body=cites", 200),
    ("/api/v1/clashes?severity=red", 400),
    ("/api/v1/opportunities", 200),
    ("/api/v1/opportunities?kind=observance&from=2026-01-01", 200),
    ("/api/v1/opportunities?kind=party", 400),
    ("/api/v1/slots?" + urlencode({**ROME, "days": "2", "optional": "cms"}), 200),
    ("/api/v1/slots?" + urlencode({**ROME, "from": "2026-12-21", "to": "2027-01-03"}), 200),
    ("/api/v1/slots?" + urlencode({**ROME, "from": "2026-11-28", "to": "2026-11-29"}), 200),
    ("/api/v1/slots?" + urlencode({**ONLINE, "body": "cbd,cites,iwc"}), 200),
    ("/api/v1/slots?" + urlencode({**ONLINE, "repeat": "3", "every": "week", "hours": "08:00-20:00"}),
     200),
    ("/api/v1/slots?city=Rome", 400),
    ("/api/v1/feeds/count", 200),
    ("/api/v1/feeds/count?body=cbd&observances=1", 200),
    ("/api/v1/feeds/count?" + urlencode({"q": "x" * 200, "tag": "a" * 60}), 200),
    ("/api/v1/feeds/count?kind=party", 400),
    ("/api/v1/openapi.json", 200),
]


def all_events(client: FlaskClient) -> list[int]:
    found, url = [], "/api/v1/events?per_page=7"
    while url:
        page = client.get(url).get_json()
        found += [event["id"] for event in page["events"]]
        url = page["next"]
    return found


def matched_path(spec: dict[str, Any], url: str) -> str:
    """The documented path *url* is an instance of."""
    found = [path for path in spec["paths"]
             if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", path), url.split("?")[0])]
    assert len(found) == 1, (url, found)
    return found[0]


def validator(spec: dict[str, Any], path: str, status: int) -> Draft202012Validator:
    """Checks a body against the schema *spec* declares for *path* answering *status*."""
    pointer = f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/get/responses/{status}"
    response = spec["paths"][path]["get"]["responses"][str(status)]
    pointer = response.get("$ref", pointer) + "/content/application~1json/schema"
    registry = Registry().with_resource(DOCUMENT, DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": DOCUMENT + pointer}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_schemas_refuse_a_missing_or_an_unknown_field(client: FlaskClient,
                                                          spec: dict[str, Any]) -> None:
    event = client.get("/api/v1/events/1").get_json()
    check = validator(spec, "/api/v1/events/{event_id}", 200)
    check.validate(event)
    for broken in ({**event, "extra": 1}, {k: v for k, v in event.items() if k != "updated"},
                   {**event, "start": "27/11/2026"}, {**event, "kind": "party"}):
        with pytest.raises(ValidationError):
            check.validate(broken)


def test_whole_numbers_are_refused_just_outside_their_range_and_taken_at_its_ends(
        client: FlaskClient, spec: dict[str, Any]) -> None:
    tried = 0
    for path, name, schema in query_parameters(spec):
        if schema.get("type") != "integer":
            continue
        base = base_query(path, name, "")
        low, high = schema["minimum"], schema["maximum"]
        for outside in (low - 1, high + 1):
            assert refused_for(client, path, {**base, name: str(outside)}) == name, (path, name, outside)
        if name != "near":  # an id in range may still be no event: the real-answer test names one
            for end in (low, high):
                assert refused_for(client, path, {**base, name: str(end)}) is None, (path, name, end)
        tried += 1
    assert tried == 8


def test_every_declared_choice_is_accepted(client: FlaskClient, spec: dict[str, Any]) -> None:
    tried = 0
    for path, name, schema in query_parameters(spec):
        for value in schema.get("items", schema).get("enum", ()):
            assert refused_for(client, path, {**base_query(path, name, value), name: value}) is None, (
                path, name, value)
            tried += 1
    assert tried > 100


def query_parameters(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, parameter["name"], parameter["schema"]) for path, item in spec["paths"].items()
            for parameter in item["get"]["parameters"] if parameter["in"] == "query"]


def query_names(spec: dict[str, Any], path: str) -> set[str]:
    return {name for where, name, _ in query_parameters(spec) if where == path}


def base_query(path: str, name: str, value: str) -> dict[str, str]:
    """The smallest valid request *name* (=*value*) can be added to."""
    if path != "/api/v1/slots":
        return {}
    if name in {"minutes", "repeat", "every", "hours"} or value == "virtual":
        return {**ONLINE, "every": "week", "to": (date(2026, 11, 27) + timedelta(days=300)).isoformat()}
    return {"body": "cbd"} if name == "near" else ROME


def refused_for(client: FlaskClient, path: str, query: dict[str, str]) -> str | None:
    """The parameter a 400 names, or None when the request was taken."""
    response = client.get(f"{path}?{urlencode(query)}")
    if response.status_code == 400:
        return response.get_json()["error"]["field"]
    assert response.status_code == 200, (path, query, response.status_code)
    return None
