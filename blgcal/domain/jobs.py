"""Where a job stands: waiting for a worker, running, or ended one of three ways.

The database stores the values (``job.state``, under a CHECK constraint); the
members compare equal to them, as :class:`~blgcal.domain.harvest.sources.RunStatus` does.
"""

from __future__ import annotations

import enum


class JobState(enum.StrEnum):
    """A job's state: ``queued``, then ``running``, then ``succeeded``, ``failed`` or ``lost``."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    LOST = "lost"

    @property
    def finished(self) -> bool:
        """Whether the job has ended (nothing more will happen to it)."""
        return self not in {JobState.QUEUED, JobState.RUNNING}

    @property
    def went_wrong(self) -> bool:
        """Whether it ended without doing its work (failed, or its worker was lost)."""
        return self in {JobState.FAILED, JobState.LOST}
