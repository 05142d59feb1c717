"""The read side of the JSON API, on the shipped calendar."""

import csv
from datetime import date
from importlib.resources import files

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.usefixtures("seeded")


def shipped_dated_rows() -> list[dict[str, str]]:
    text = (files("blgcal") / "seed" / "meetings.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def all_events(client: FlaskClient, url: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    while url:
        page = client.get(url).get_json()
        found += page["events"]
        url = page["next"]
    return found


def test_every_dated_row_of_the_shipped_data_is_in_the_api_with_its_dates(
        client: FlaskClient) -> None:
    events = {e["code"]: e for e in all_events(client, "/api/v1/events?per_page=7")}
    rows = shipped_dated_rows()
    assert len(rows) == 39 and len(events) == 39
    for row in rows:
        event = events[row["code"]]
        assert (event["start"], event["end"], event["all_day"]) == (row["start"], row["end"], True)
        assert event["bodies"] == [row["body"]]
        assert (event["city"] or "", event["country"] or "") == (row["city"], row["country"])
        assert (event["kind"], event["status"]) == (row["kind"], row["status"])


def test_small_pages_chain_through_next_to_every_match_once(client: FlaskClient) -> None:
    wanted = {r["code"] for r in shipped_dated_rows() if r["body"] in {"cbd", "cites", "unfccc"}}
    events = all_events(client, "/api/v1/events?per_page=4&body=cbd,cites&body=unfccc")
    assert [e["code"] for e in events if e["code"] in wanted] == [e["code"] for e in events]
    assert sorted(e["code"] for e in events) == sorted(wanted)
    assert [e["start"] for e in events] == sorted(e["start"] for e in events)


def test_the_next_link_keeps_the_filters(client: FlaskClient) -> None:
    page = client.get("/api/v1/events?per_page=2&country=IT").get_json()
    assert "country=IT" in page["next"] and "page=2" in page["next"]
    assert all(e["country"] == "IT" for e in page["events"])


@pytest.mark.parametrize(("query", "codes"), [
    ("from=2025-11-25&to=2025-11-25", {"CITES CoP20", "ITPGRFA GB-11", "WHC 20EXT"}),
    ("body=whc&from=2025-01-01&to=2025-12-31", {"WHC 47", "WHC 20EXT"}),
    ("country=IT&kind=subsidiary_body", {"SBI-6"}),
    ("status=tentative", {"Ramsar SC65", "CBD RM workshop", "IPPC CPM-21"}),
    ("q=Samarkand", {"UNESCO GC43", "CITES CoP20", "GEF A8 / C.71"}),
    ("q=wetlands", {"Ramsar COP15"}),
    ("month=2026-02", {"IPBES-12", "CBD RM workshop", "SBI-6"}),
])
def test_filters_select_the_right_meetings(client: FlaskClient, query: str,
                                           codes: set[str]) -> None:
    events = client.get(f"/api/v1/events?per_page=500&{query}").get_json()["events"]
    assert {e["code"] for e in events} == codes


def test_one_event_has_every_documented_field(client: FlaskClient) -> None:
    listed = client.get("/api/v1/events?q=COP17&body=cbd").get_json()["events"][0]
    event = client.get(f"/api/v1/events/{listed['id']}").get_json()
    assert set(event) >= {"id", "uid", "code", "title", "bodies", "kind", "status", "all_day",
                          "start", "end", "timezone", "city", "country", "venue", "online",
                          "url", "parent_id", "tags", "sequence", "updated"}
    assert (event["start"], event["end"], event["city"]) == ("2026-10-19", "2026-10-30", "Yerevan")
    assert date.fromisoformat(event["start"])


def test_bodies_lists_every_shipped_body(client: FlaskClient) -> None:
    bodies = client.get("/api/v1/bodies").get_json()["bodies"]
    assert len(bodies) == 17
    assert {b["slug"] for b in bodies if b["blg_member"]} == {
        "cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc"}


@pytest.mark.parametrize(("query", "field"), [
    ("body=wwf", "body"), ("from=2025-02-30", "from"), ("to=soon", "to"),
    ("from=2026-01-01&to=2025-01-01", "from"), ("per_page=501", "per_page"),
    ("kind=party", "kind"), ("country=Italy", "country"), ("page=0", "page"),
])
def test_malformed_parameters_get_a_400_naming_the_parameter(client: FlaskClient, query: str,
                                                             field: str) -> None:
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and error["code"] == "invalid_parameter" and error["message"]


@pytest.mark.parametrize("url", ["/api/v1/events/999999", "/api/v1/nothing"])
def test_unknown_things_get_a_json_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
