"""VersionedCache: versions, weight bound, LRU order, single flight."""

from __future__ import annotations

import threading
import time

from hypothesis import given
from hypothesis import strategies as st

from blgcal.cache import VersionedCache


def sized(capacity: int = 10) -> VersionedCache[str, str]:
    return VersionedCache(capacity, len)


def test_a_value_is_found_only_under_the_version_it_was_built_for() -> None:
    cache = sized()
    cache.put("page", "v1", "old")
    assert cache.get("page", "v1") == "old"
    assert cache.get("page", "v2") is None
    cache.put("page", "v2", "new")
    assert cache.get("page", "v1") is None and cache.get("page", "v2") == "new"
    assert len(cache) == 1 and cache.size == 3


def test_the_least_recently_used_go_first_when_the_weight_is_reached() -> None:
    cache = sized(6)
    cache.put("a", 1, "aa")
    cache.put("b", 1, "bb")
    assert cache.get("a", 1) == "aa"  # a is now the most recent
    cache.put("c", 1, "cc")
    cache.put("d", 1, "dd")
    assert cache.get("b", 1) is None
    assert [cache.get(k, 1) for k in "acd"] == ["aa", "cc", "dd"]
    assert cache.size == 6


def test_a_value_heavier_than_the_cache_is_not_kept_and_zero_keeps_nothing() -> None:
    cache = sized(3)
    assert cache.get_or_build("big", 1, lambda: "four") == "four"
    assert cache.get("big", 1) is None
    off = sized(0)
    assert not off.enabled
    off.put("a", 1, "")
    assert off.get_or_build("a", 1, lambda: "x") == "x" and len(off) == 0


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 2), st.text(max_size=8)),
                max_size=60), st.integers(0, 20))
def test_the_weight_is_the_sum_of_what_is_kept_and_never_above_the_capacity(
        puts: list[tuple[str, int, str]], capacity: int) -> None:
    cache = sized(capacity)
    last: dict[str, tuple[int, str]] = {}
    for key, version, value in puts:
        cache.put(key, version, value)
        last[key] = (version, value)
    kept = {key: cache.get(key, version) for key, (version, _) in last.items()}
    assert cache.size == sum(len(value) for value in kept.values() if value is not None)
    assert cache.size <= capacity
    assert all(value in (None, last[key][1]) for key, value in kept.items())


def test_builds_of_one_key_run_once_however_many_ask_together() -> None:
    cache = sized(100)
    builds: list[str] = []
    start = threading.Barrier(8)

    def build() -> str:
        builds.append("x")
        time.sleep(0.05)
        return "built"

    def ask() -> None:
        start.wait()
        assert cache.get_or_build("feed", 7, build) == "built"

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == ["x"]


def test_a_slow_build_of_one_key_does_not_hold_up_another_key() -> None:
    cache = sized(100)
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "slow"

    thread = threading.Thread(target=lambda: cache.get_or_build("slow", 1, slow))
    thread.start()
    started.wait(5)
    begun = time.monotonic()
    assert cache.get_or_build("quick", 1, lambda: "quick") == "quick"
    assert time.monotonic() - begun < 1  # not behind the slow build
    release.set()
    thread.join()
    assert cache.get("slow", 1) == "slow"


def test_a_failed_build_keeps_nothing_and_the_next_caller_builds_again() -> None:
    cache = sized()

    def broken() -> str:
        raise RuntimeError("database down")

    try:
        cache.get_or_build("page", 1, broken)
    except RuntimeError:
        pass
    assert cache.get("page", 1) is None
    assert cache.get_or_build("page", 1, lambda: "ok") == "ok"
