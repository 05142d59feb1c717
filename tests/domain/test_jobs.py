"""A job's states: the stored values, and which of them are ends."""

from __future__ import annotations

import pytest

from blgcal.domain.jobs import JobState


def test_the_stored_values_are_the_ones_the_database_constraint_allows() -> None:
    assert [state.value for state in JobState] == ["queued", "running", "succeeded", "failed", "lost"]


@pytest.mark.parametrize(("state", "finished", "went_wrong"), [
    (JobState.QUEUED, False, False),
    (JobState.RUNNING, False, False),
    (JobState.SUCCEEDED, True, False),
    (JobState.FAILED, True, True),
    (JobState.LOST, True, True),
])
def test_only_the_three_ends_are_finished_and_two_of_them_went_wrong(
        state: JobState, finished: bool, went_wrong: bool) -> None:
    assert (state.finished, state.went_wrong) == (finished, went_wrong)
