"""The token cache answers only what it could not have missed a change to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from blgcal.domain.permissions import Principal, Role
from blgcal.services.feeds.private import Subscription
from blgcal.services.feeds.token_cache import ALL, TokenCache


def feed(n: int) -> Subscription:
    return Subscription(n, f"feed {n}", "events", {}, None, Principal(Role.VIEWER, frozenset()))


def listening(capacity: int = 10) -> TokenCache:
    cache = TokenCache(capacity)
    cache.connected()
    return cache


def test_nothing_is_kept_or_answered_until_the_listener_is_connected() -> None:
    cache = TokenCache(10)
    assert cache.ticket() is None
    cache.put("a", feed(1), cache.ticket())
    cache.connected()
    assert cache.get("a") is None
    cache.put("a", feed(1), cache.ticket())
    assert cache.get("a") == feed(1)


def test_a_feed_read_before_a_change_was_heard_of_is_not_kept() -> None:
    cache = listening()
    ticket = cache.ticket()  # a lookup starts reading the database...
    cache.heard("hash-of-another-feed")  # ...a notification arrives meanwhile...
    cache.put("a", feed(1), ticket)  # ...so what it read may be older than that change
    assert cache.get("a") is None
    cache.put("a", feed(1), cache.ticket())
    assert cache.get("a") == feed(1)


def test_a_notification_forgets_its_feed_or_with_a_star_every_feed() -> None:
    cache = listening()
    for name in "abc":
        cache.put(name, feed(ord(name)), cache.ticket())
    cache.heard("b")
    assert (cache.get("a"), cache.get("b")) == (feed(ord("a")), None)
    cache.heard(ALL)
    assert len(cache) == 0 and cache.get("a") is None


def test_a_lost_listener_empties_the_cache_and_stops_it_answering() -> None:
    cache = listening()
    cache.put("a", feed(1), cache.ticket())
    ticket = cache.ticket()
    cache.lost()
    assert not cache.listening and cache.get("a") is None and cache.ticket() is None
    cache.put("b", feed(2), ticket)
    cache.connected()
    assert cache.get("a") is None and cache.get("b") is None


def test_the_least_recently_used_feed_goes_first() -> None:
    cache = listening(capacity=2)
    cache.put("a", feed(1), cache.ticket())
    cache.put("b", feed(2), cache.ticket())
    assert cache.get("a") is not None
    cache.put("c", feed(3), cache.ticket())
    assert [cache.get(name) is not None for name in "abc"] == [True, False, True]


def test_a_capacity_of_zero_keeps_nothing() -> None:
    cache = listening(capacity=0)
    cache.put("a", feed(1), cache.ticket())
    assert cache.get("a") is None


KEYS = st.sampled_from("abc")
STEPS = st.lists(st.one_of(
    st.tuples(st.just("ticket"), KEYS), st.tuples(st.just("put"), KEYS),
    st.tuples(st.just("heard"), st.sampled_from(["a", "b", "c", ALL])),
    st.tuples(st.just("lost"), KEYS), st.tuples(st.just("connected"), KEYS)), max_size=40)


@given(STEPS)
def test_an_answer_was_put_after_the_last_change_to_it_was_heard_of(steps: list[tuple[str, str]]) -> None:
    """Whatever happens in whatever order, a feed is answered only if it was read (its ticket
    taken) while listening and after the last notification of any change, and put since."""
    cache = TokenCache(10)
    tickets: dict[str, int | None] = {}
    fresh: set[str] = set()  # the model: what may be answered
    read_since_change: set[str] = set()
    for step, key in steps:
        if step == "ticket":
            tickets[key] = cache.ticket()
            if cache.listening:
                read_since_change.add(key)
        elif step == "put" and key in tickets:
            cache.put(key, feed(ord(key)), tickets.pop(key))
            if key in read_since_change:
                fresh.add(key)
        elif step == "heard":
            cache.heard(key)
            fresh.difference_update("abc" if key == ALL else key)
            read_since_change.clear()  # any notification voids every ticket taken before it
        elif step in {"lost", "connected"}:
            getattr(cache, step)()
            fresh.clear()
            read_since_change.clear()
        for name in "abc":
            assert (cache.get(name) is not None) == (name in fresh and cache.listening)
