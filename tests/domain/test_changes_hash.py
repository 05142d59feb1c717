"""The content hash keeps its values: stored provenance hashes must keep matching."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings

from blgcal.domain.changes import UNHASHED_FIELDS, content_hash
from blgcal.domain.types import Event, Kind, Status, Visibility
from tests.domain.test_ical_properties import events

KNOWN = [
    (Event(uid="u", title="CITES CoP20", bodies=("cites",), start_date=date(2025, 11, 24),
           end_date=date(2025, 12, 5), city="Samarkand", country="UZ"),
     "5400d86f9004b5e0a47dfa1c1c5f86f3c5725f15395769f7cecfa4e388c77560"),
    (Event(uid="x", title="Bureau call — «réunion» 会议", bodies=("cbd", "cms"), kind=Kind.WEBINAR,
           status=Status.POSTPONED, id=4, code="SBSTTA-27",
           start_dt=datetime(2026, 3, 1, 13, tzinfo=UTC),
           end_dt=datetime(2026, 3, 1, 15, 30, tzinfo=UTC), timezone="Europe/Rome",
           venue="FAO, Rome", online=True, url="https://example.org/a?b=1",
           description='Line 1\nLine "2"\\', tags=("oceans", "trade"),
           audience=("parties", "observers"), parent_id=9, visibility=Visibility.STAFF,
           expected="2026-Q1", source_url="https://src.example/x", sequence=3,
           updated_dt=datetime(2026, 1, 2, tzinfo=UTC)),
     "e8f9e3fa12d66470c80dad175f8a6e5eb3022325216a9851b6dbd74b68188d32"),
    (Event(uid="undated", title="Dates to be announced", bodies=()),
     "757d2e687d98d22afd579ec9619ad3b0e8e3fa4a8dd22d5524b3952bcbc47304"),
]


def asdict_hash(event: Event) -> str:
    """The original implementation, kept as the reference."""
    data = {k: v for k, v in asdict(event).items() if k not in UNHASHED_FIELDS}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("event", "digest"), KNOWN)
def test_known_events_hash_to_the_values_stored_before(event: Event, digest: str) -> None:
    assert content_hash(event) == digest


@settings(max_examples=200, deadline=None)
@given(events())
def test_the_hash_equals_the_asdict_reference_for_any_event(event: Event) -> None:
    assert content_hash(event) == asdict_hash(event)
