"""The same meeting from two sources becomes one event, or a pair an editor decides."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Event, PossibleDuplicate, Provenance, User

from ..conftest import AuthActions
from .conftest import Harvester

CSV = (b"body,code,title,start,end,city,country\r\n"
       b"unep,OEWG-9,Ninth open-ended working group on the framework,2027-03-01,2027-03-05,"
       b"Nairobi,KE\r\n")


def informea(city: str, title: str = "Ninth Open-ended Working Group on the Framework") -> bytes:
    return json.dumps([{"id": "oewg9", "treaty": "cbd", "start": "2027-03-02", "end": "2027-03-04",
                        "status": "confirmed", "city": city, "country": "KE",
                        "titles": [{"language": "en", "value": title},
                                   {"language": "fr", "value": "Neuvième groupe de travail"}]}]).encode()


def provenance_count(session: Session, event_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Provenance).where(
        Provenance.event_id == event_id)) or 0


def test_a_sure_duplicate_becomes_one_event_with_both_provenances(
        harvester: Harvester, db: Session) -> None:
    first = harvester.run(harvester.upload("unep.csv", CSV, body="unep"))
    second = harvester.run(harvester.upload("cbd.json", informea("Nairobi"), kind="informea"))
    assert (first.new, second.new, second.merged) == (1, 0, 1)
    row = db.scalars(select(Event).where(Event.code == "OEWG-9")).one()
    assert provenance_count(db, row.id) == 2
    titles = db.scalars(select(Provenance.titles).where(Provenance.external_uid == "oewg9")).one()
    assert ["fr", "Neuvième groupe de travail"] in titles


def test_a_shipped_meeting_listed_by_a_feed_is_matched_not_copied(
        harvester: Harvester, db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(Event))
    run = harvester.run(harvester.add("informea.json", kind="informea"))
    assert run.merged >= 1
    assert db.scalar(select(func.count()).select_from(Event)) == before + run.new


def test_an_unsure_pair_is_listed_and_an_editor_merges_it(
        harvester: Harvester, db: Session, create_user: Callable[..., User],
        auth: AuthActions) -> None:
    harvester.run(harvester.upload("unep.csv", CSV, body="unep"))
    run = harvester.run(harvester.upload("cbd.json", informea("Gigiri"), kind="informea"))
    assert (run.new, run.merged) == (1, 0)
    pair = db.scalars(select(PossibleDuplicate)).one()
    assert pair.state == "open" and "city" in pair.reason
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    assert "Gigiri" in auth.client.get("/duplicates").get_data(as_text=True)
    response = auth.post(f"/duplicates/{pair.id}/merge")
    assert response.status_code == 302
    db.expire_all()
    kept, dropped = db.get(Event, pair.event_a_id), db.get(Event, pair.event_b_id)
    assert kept is not None and dropped is not None and dropped.deleted_dt is not None
    assert provenance_count(db, kept.id) == 2 and pair.state == "merged"
    page = auth.client.get(f"/events/{kept.id}").get_data(as_text=True)
    assert "The source now says" in page and "Gigiri" in page


def test_a_pair_judged_distinct_is_not_proposed_again(
        harvester: Harvester, db: Session, create_user: Callable[..., User],
        auth: AuthActions) -> None:
    harvester.run(harvester.upload("unep.csv", CSV, body="unep"))
    harvester.run(harvester.upload("cbd.json", informea("Gigiri"), kind="informea"))
    pair = db.scalars(select(PossibleDuplicate)).one()
    create_user("ana@cbd.int", role="editor", bodies=["cbd"])
    auth.login("ana@cbd.int")
    assert auth.post(f"/duplicates/{pair.id}/distinct").status_code == 302
    assert auth.post(f"/duplicates/{pair.id}/merge").status_code == 404
    db.expire_all()
    assert pair.state == "distinct" and db.scalar(select(func.count()).select_from(Event).where(
        Event.deleted_dt.is_not(None))) == 0
