"""A feed's identity is spelt once: the calendar UIDs feeds have always had, the cache's address."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blgcal.domain.feeds import FeedKind, FeedRequest, canonical


@pytest.mark.parametrize(("request_", "uid"), [
    (FeedRequest(FeedKind.ALL), "feed-all@blgcal"),
    (FeedRequest(FeedKind.BODY, "cbd"), "feed-body-cbd@blgcal"),
    (FeedRequest(FeedKind.OBSERVANCES), "feed-observances@blgcal"),
    (FeedRequest(FeedKind.PRIVATE, "12", name="Mine"), "feed-private-12@blgcal"),
    (FeedRequest(FeedKind.COMMS_PLAN, "12", name="Plan"), "feed-private-12@blgcal"),
    (FeedRequest(FeedKind.EVENT, "5"), "feed-event-5@blgcal"),
])
def test_each_kind_keeps_the_calendar_uid_it_always_had(request_: FeedRequest, uid: str) -> None:
    assert request_.calendar_uid == uid


def test_a_custom_feed_is_named_by_its_parameters_in_any_order() -> None:
    one = FeedRequest(FeedKind.CUSTOM, params={"body": ["cms", "cbd"], "kind": ["cop"]})
    other = FeedRequest(FeedKind.CUSTOM, params={"kind": ["cop"], "body": ["cbd", "cms"], "q": [""]})
    digest = hashlib.sha256(b"body=cbd&body=cms&kind=cop").hexdigest()[:16]
    assert one.calendar_uid == other.calendar_uid == f"feed-custom-{digest}@blgcal"
    assert one.address == other.address
    assert canonical({"b": ["2", "1"], "a": [""]}) == "b=1&b=2"


def test_the_address_changes_with_everything_the_bytes_depend_on() -> None:
    base = FeedRequest(FeedKind.PRIVATE, "3", params={"body": ["cbd"]}, name="Mine")
    others = [FeedRequest(FeedKind.PRIVATE, "3", params={"body": ["cites"]}, name="Mine"),
              FeedRequest(FeedKind.PRIVATE, "3", params={"body": ["cbd"]}, name="Renamed"),
              FeedRequest(FeedKind.PRIVATE, "3", params={"body": ["cbd"]}, name="Mine",
                          include_staff=True),
              FeedRequest(FeedKind.COMMS_PLAN, "3", name="Mine"),
              FeedRequest(FeedKind.PRIVATE, "4", params={"body": ["cbd"]}, name="Mine")]
    assert len({base.address, *(o.address for o in others)}) == 1 + len(others)


NAMES = st.text(st.sampled_from("abq_-.~ &=+%é/"), max_size=6)


@given(st.dictionaries(NAMES, st.lists(st.one_of(NAMES, st.text(max_size=8)), max_size=3),
                       max_size=4))
def test_the_canonical_string_is_urlencode_of_the_sorted_pairs(params: dict[str, list[str]]) -> None:
    """Its shortcut for plain values writes what ``urlencode`` writes, whatever the values."""
    pairs = sorted((name, value) for name, values in params.items() for value in values if value)
    assert canonical(params) == urlencode(pairs)
