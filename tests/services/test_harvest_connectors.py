"""InforMEA OData and D8, the CBD's Solr index and Indico categories, harvested over loopback HTTP.

The fixtures in ``tests/data/feeds/paged`` are written here in the shapes of
the recorded real responses (``../shared/samples``): OData ``d`` and
``d.results`` with ``__next``, ``$top``/``$skip`` paging, deferred titles,
``/Date()/`` around local midnight in Gland and Montreal, the Drupal D8
variant, and a Solr answer paged by ``rows``/``start`` with an online meeting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, Provenance

from .conftest import Harvester


def events_of(session: Session, source_id: int) -> dict[str, Event]:
    query = select(Provenance.external_uid, Event).join(Event, Event.id == Provenance.event_id) \
        .where(Provenance.source_id == source_id)
    return {uid: event for uid, event in session.execute(query)}


def titles_of(session: Session, source_id: int, uid: str) -> list[list[str]]:
    return session.scalars(select(Provenance.titles).where(
        Provenance.source_id == source_id, Provenance.external_uid == uid)).one()


def test_informea_odata_pages_by_next_and_fetches_deferred_titles(
        harvester: Harvester, db: Session) -> None:
    url = harvester.server.url("/paged/informea-cms?$format=json&$filter=treaty%20eq%20'cms'")
    source = harvester.add(url, kind="informea", body="cms", name="informea-cms")
    run = harvester.run(source)
    assert run.status == "ok", run.message
    assert run.new == 3
    found = events_of(db, source.id)
    scc, mop, stc = found["cms-scc-sc7"], found["aewa-mop9"], found["cms-stc58"]
    assert (scc.start_date, scc.end_date, scc.city, scc.country, scc.kind) == \
        (date(2027, 7, 5), date(2027, 7, 8), "Bonn", "DE", "subsidiary_body")
    assert ["fr", "7e réunion du Comité de session du Conseil scientifique de la CMS"] in \
        titles_of(db, source.id, "cms-scc-sc7")
    assert (mop.title, mop.bodies, mop.country, mop.status, mop.kind, mop.description) == (
        "9th Session of the Meeting of the Parties to AEWA", ("cms",), "KE", "tentative",
        "governing_body", "Hosted by Kenya")
    assert (stc.kind, stc.country, stc.code) == ("standing_committee", None, None)
    assert harvester.server.hits.count("/paged/informea-title-aewa-mop9") == 1


def test_informea_top_skip_paging_keeps_the_local_day_in_gland_and_montreal(
        harvester: Harvester, db: Session) -> None:
    url = harvester.server.url("/paged/informea-ramsar?$format=json&$top=2&$skip=0")
    source = harvester.add(url, kind="informea", body="ramsar", name="informea-ramsar")
    run = harvester.run(source)
    assert run.status == "ok", run.message
    found = events_of(db, source.id)
    # 22:00 UTC on 13 June is midnight on 14 June in Gland.
    assert (found["ramsar-sc67"].start_date, found["ramsar-sc67"].end_date) == \
        (date(2027, 6, 14), date(2027, 6, 18))
    assert found["ramsar-sc67"].kind == "standing_committee"
    # 04:30 UTC on 5 March is still 4 March in Montreal.
    montreal = found["cbd-ahteg-montreal"]
    assert (montreal.start_date, montreal.end_date, montreal.country, montreal.bodies) == \
        (date(2027, 3, 1), date(2027, 3, 4), "CA", ("cbd",))
    webinar = found["ramsar-webinar-1"]
    assert (webinar.kind, webinar.online, webinar.start_date) == ("webinar", True, date(2027, 2, 2))
    assert "/paged/informea-ramsar?%24format=json&%24top=2&%24skip=2" in harvester.server.hits or \
        any("skip=2" in hit for hit in harvester.server.hits)


def test_the_source_zone_overrides_the_venue_for_odata_dates(harvester: Harvester,
                                                             db: Session) -> None:
    url = harvester.server.url("/paged/informea-ramsar?$top=2&$skip=0")
    source = harvester.add(url, kind="informea", body="ramsar", default_timezone="UTC")
    assert harvester.run(source).status == "ok"
    assert events_of(db, source.id)["ramsar-sc67"].start_date == date(2027, 6, 13)


def test_the_d8_variant_reads_titles_by_language_and_iso3_country_lists(
        harvester: Harvester, db: Session) -> None:
    source = harvester.add(harvester.server.url("/paged/informea-d8?page=0"), kind="informea",
                           body="cites", name="cites-d8")
    run = harvester.run(source)
    assert run.status == "ok", run.message
    found = events_of(db, source.id)
    ac = found["d8-1"]
    assert (ac.title, ac.country, ac.kind, ac.code, ac.start_date) == (
        "35th meeting of the Animals Committee", "CH", "subsidiary_body", None, date(2027, 6, 21))
    assert {lang for lang, _ in titles_of(db, source.id, "d8-1")} == {"en", "fr", "es"}
    cop = found["d8-2"]
    assert (cop.first_date, cop.expected, cop.kind, cop.code) == \
        (None, "dates to be announced", "governing_body", "CoP21")


def test_the_cbd_solr_index_pages_by_start_and_reads_an_online_meeting(
        harvester: Harvester, db: Session) -> None:
    url = harvester.server.url("/paged/cbd?q=schema_s:meeting&rows=2&start=0&wt=json")
    source = harvester.add(url, kind="cbd", body="cbd", name="cbd-meetings")
    run = harvester.run(source)
    assert run.status == "ok", run.message
    assert run.new == 3
    found = events_of(db, source.id)
    sbstta = found["cbd-sbstta29"]
    assert (sbstta.code, sbstta.kind, sbstta.start_date, sbstta.end_date, sbstta.country) == \
        ("SBSTTA-29", "subsidiary_body", date(2027, 5, 10), date(2027, 5, 14), "CA")
    assert [lang for lang, _ in titles_of(db, source.id, "cbd-sbstta29")] == ["en", "fr"]
    liaison = found["cbd-cp-lg16"]
    assert (liaison.code, liaison.status, liaison.tags, liaison.kind) == \
        (None, "tentative", ("cartagena-protocol",), "working_group")
    online = found["cbd-np-webinar"]
    assert (online.online, online.country, online.city, online.kind, online.tags) == \
        (True, None, None, "webinar", ("nagoya-protocol",))


def test_an_indico_category_takes_a_zone_and_leaves_out_registration_shells(
        harvester: Harvester, db: Session) -> None:
    source = harvester.add("indico_category.ics", body="unfccc", name="indico-unfccc",
                           exclude_titles="*Conference Invitees*\n*registration*",
                           default_kind="subsidiary_body")
    run = harvester.run(source)
    assert run.status == "ok", run.message
    assert (run.new, run.excluded) == (2, 2)
    assert sorted(c["title"] for c in run.changes if c["action"] == "excluded") == [
        "SB 66: Conference Invitees", "SB 66: Observer registration"]
    found = events_of(db, source.id)
    sb = found["indico-event-2201@indico.un.org"]
    # UTC times without a zone: the venue's city (Bonn) gives it; the instant is kept.
    assert (sb.start_dt, sb.timezone, sb.kind) == \
        (datetime(2027, 6, 7, 8, tzinfo=UTC), "Europe/Berlin", "subsidiary_body")
    workshop = found["indico-event-2210@indico.un.org"]
    assert (workshop.timezone, workshop.kind) == (None, "working_group")


def test_an_indico_source_zone_applies_where_the_venue_names_no_city(
        harvester: Harvester, db: Session) -> None:
    source = harvester.add("indico_category.ics", body="unfccc", default_timezone="Europe/Berlin")
    assert harvester.run(source).status == "ok"
    found = events_of(db, source.id)
    assert found["indico-event-2210@indico.un.org"].timezone == "Europe/Berlin"


def test_a_run_lists_what_it_added_changed_and_cancelled(harvester: Harvester, db: Session) -> None:
    url = harvester.server.url("/paged/cbd?rows=2&start=0")
    source = harvester.add(url, kind="cbd", body="cbd")
    first = harvester.run(source)
    assert sorted(c["action"] for c in first.changes) == ["added"] * 3
    assert all(isinstance(c["event_id"], int) for c in first.changes)
    row = db.scalars(select(Event).where(Event.code == "SBSTTA-29")).one()
    assert {"action": "added", "event_id": row.id, "title": row.title} in first.changes


def test_a_second_run_lists_the_events_it_changed_and_cancelled(harvester: Harvester,
                                                                 db: Session) -> None:
    import json

    from ..support.feed_server import FEEDS

    pages = [json.loads((FEEDS / "paged" / f"cbd.{n}.json").read_text("utf-8")) for n in (0, 2)]
    docs = [doc for page in pages for doc in page["response"]["docs"]]
    source = harvester.upload("cbd.json", json.dumps(docs).encode(), kind="cbd", body="cbd")
    assert harvester.run(source).new == 3
    docs[0]["endDate_dt"] = "2027-05-15T00:00:00Z"
    source.file_content, source.content_key = json.dumps(docs[:2]).encode(), None
    db.commit()
    run = harvester.run(source)
    assert (run.updated, run.cancelled) == (1, 1)
    assert sorted((c["action"], c["title"][:12]) for c in run.changes) == [
        ("cancelled", "Webinar on t"), ("changed", "Twenty-ninth")]
