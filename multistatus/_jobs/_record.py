"""What a job store keeps: the :class:`JobRecord` it answers and the :class:`JobStore` protocol.

A job is a batch that runs apart from the request that started it.  Its record
holds the request's payload (what the handler needs to run it), the number of
items, the answers of the items finished so far (in item order), the state,
and, while a runner holds it, the runner's owner token and lease::

    create    -> not-started, with the payload and the total
    claim     not-started, or running with its lease lapsed (the runner died) -> running, held by
              *owner* for *lease* seconds; the record as it stands (its answers: where to resume)
    record    held by *owner*, and *start* is the number of answers kept -> the answers appended,
              the lease renewed; "ok", or "canceled" once a cancel was asked, or "lost"
    finish    held by *owner* -> the end state; kept for the retention period, then a tombstone
    cancel    not-started, or lapsed -> canceled at once; running -> the runner is asked to stop
              (it sees "canceled" at its next record); ended -> nothing changes

Every operation is atomic for the job it touches and compares the owner
before it writes, so a runner whose lease lapsed, and whose job another runner
resumed, cannot write over its successor: each item is recorded exactly once.
After the retention period the answers are removed and a tombstone stays (for
another retention period), so that the monitor answers 410 Gone rather than
404 Not Found.

The implementations are in :mod:`multistatus.jobs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from .._model._job import TERMINAL_STATES, JobState

__all__ = ["DEFAULT_JOB_LEASE", "DEFAULT_JOB_RETENTION", "JobRecord", "JobStore", "Progress"]

#: Seconds a runner holds a job between two records (one item must take less).
DEFAULT_JOB_LEASE = 30.0
#: Seconds a job's results are kept once it ended (Azure and Graph keep monitors at least 24 hours).
DEFAULT_JOB_RETENTION = 86400.0

#: What :meth:`JobStore.record` answers: kept; kept, and a cancel was asked; not kept (the lease is lost).
Progress = Literal["ok", "canceled", "lost"]


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A job as its store keeps it.

    Attributes:
        id: the job's id (it names the monitor).
        state: ``not-started``, ``running``, ``succeeded``, ``failed`` or ``canceled``.
        total: how many items the job has.
        answers: the encoded answers of the items finished so far, in item order
            (empty in a tombstone, and when read without them).
        done: how many items have finished.
        payload: the request's payload, as the job was created with it (empty in a tombstone).
        cancel_requested: a cancel was asked while the job ran.
        lease_left: seconds left of the running runner's lease (0 when nobody holds it).
        gone: the job ended longer ago than the retention period: a tombstone.

    Example:
        >>> from multistatus.jobs import JobRecord
        >>> r = JobRecord("j1", "running", 10, (), 4, b"[]", False, 0.0)
        >>> r.terminal, r.lapsed
        (False, True)
    """

    id: str
    state: JobState
    total: int
    answers: tuple[bytes, ...]
    done: int
    payload: bytes
    cancel_requested: bool
    lease_left: float
    gone: bool = False

    @property
    def terminal(self) -> bool:
        """The job ended (succeeded, failed or canceled)."""
        return self.state in TERMINAL_STATES

    @property
    def lapsed(self) -> bool:
        """The job was running and its runner's lease lapsed (the runner died): it can be resumed."""
        return self.state == "running" and self.lease_left <= 0


@runtime_checkable
class JobStore(Protocol):
    """Where job records are kept (see the module docstring for the rules).

    Times are in seconds; *owner* is a token unique to one run of a job.

    Example:
        >>> from multistatus.jobs import JobStore, MemoryJobStore
        >>> isinstance(MemoryJobStore(), JobStore)
        True
    """

    retention: float

    def create(self, job_id: str, payload: bytes, total: int) -> None:
        """Keep a new job, not started (a job id is never reused)."""
        ...

    def read(self, job_id: str, *, answers: bool = True) -> JobRecord | None:
        """The job's record (its answers left out unless *answers*), a tombstone, or ``None`` when unknown."""
        ...

    def claim(self, job_id: str, owner: str, lease: float) -> JobRecord | None:
        """Take a job that is not started or whose lease lapsed; ``None`` when it cannot be taken."""
        ...

    def record(self, job_id: str, owner: str, start: int, answers: Sequence[bytes], lease: float) -> Progress:
        """Append the answers of items *start*, *start* + 1, ... if *owner* holds the job and *start* is next."""
        ...

    def finish(self, job_id: str, owner: str, state: JobState) -> bool:
        """End the job held by *owner* in *state* (``succeeded``, ``failed`` or ``canceled``)."""
        ...

    def cancel(self, job_id: str) -> JobRecord | None:
        """Ask the job to stop (or stop it at once, when nobody runs it); its record afterwards."""
        ...
