"""A job store in this process's memory: for tests, and for servers of one process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .._jobs import DEFAULT_JOB_RETENTION, JobRecord, Progress
from .._limits import retention_seconds
from .._model._job import TERMINAL_STATES, JobState

__all__ = ["MemoryJobStore"]


@dataclass(slots=True)
class _Job:
    payload: bytes
    total: int
    state: JobState = "not-started"
    answers: list[bytes] = field(default_factory=list)
    owner: str | None = None
    lease_until: float = 0.0
    cancel: bool = False
    ends: float | None = None  # when the results go (a tombstone stays until twice the retention)


class MemoryJobStore:
    """Job records in a dict, behind a lock: thread-safe, one process.

    Records whose tombstone expired are removed when a job is created.

    Args:
        retention: seconds a job's results are kept once it ended.
        clock: the time in seconds (``time.time``; tests pass their own).

    Example:
        >>> from multistatus.jobs import MemoryJobStore
        >>> store = MemoryJobStore()
        >>> store.create("j1", b"[1, 2]", 2)
        >>> store.claim("j1", "runner-1", 30).state, store.claim("j1", "runner-2", 30)
        ('not-started', None)
        >>> store.record("j1", "runner-1", 0, [b"a"], 30), store.read("j1").done
        ('ok', 1)
    """

    def __init__(self, *, retention: float = DEFAULT_JOB_RETENTION, clock: Callable[[], float] = time.time) -> None:
        self.retention = retention_seconds(retention)
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}

    def __len__(self) -> int:
        """How many records are kept (tombstones included)."""
        return len(self._jobs)

    def create(self, job_id: str, payload: bytes, total: int) -> None:
        """Keep a new job (see :class:`~multistatus.jobs.JobStore`)."""
        with self._lock:
            now = self._clock()
            for key in [k for k, j in self._jobs.items() if j.ends is not None and j.ends + self.retention <= now]:
                del self._jobs[key]
            if job_id in self._jobs:
                raise ValueError(f"job {job_id!r} exists already")
            self._jobs[job_id] = _Job(bytes(payload), int(total))

    def _view(self, job_id: str, job: _Job, now: float, answers: bool) -> JobRecord:
        if job.ends is not None and job.ends <= now:
            return JobRecord(job_id, job.state, job.total, (), len(job.answers), b"", job.cancel, 0.0, gone=True)
        held = job.owner is not None and job.lease_until > now
        kept = tuple(job.answers) if answers else ()
        left = job.lease_until - now if held else 0.0
        return JobRecord(job_id, job.state, job.total, kept, len(job.answers), job.payload, job.cancel, left)

    def read(self, job_id: str, *, answers: bool = True) -> JobRecord | None:
        """The job's record, a tombstone, or ``None``."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else self._view(job_id, job, self._clock(), answers)

    def claim(self, job_id: str, owner: str, lease: float) -> JobRecord | None:
        """Take the job if it is not started or its lease lapsed."""
        with self._lock:
            now = self._clock()
            job = self._jobs.get(job_id)
            if job is None or job.state in TERMINAL_STATES or (job.owner is not None and job.lease_until > now):
                return None
            record = self._view(job_id, job, now, True)
            job.state, job.owner, job.lease_until = "running", owner, now + lease
            return record

    def record(self, job_id: str, owner: str, start: int, answers: Sequence[bytes], lease: float) -> Progress:
        """Append *answers* if *owner* holds the job and *start* is the next item."""
        with self._lock:
            now = self._clock()
            job = self._jobs.get(job_id)
            if job is None or job.owner != owner or job.lease_until <= now or start != len(job.answers):
                return "lost"
            job.answers.extend(bytes(a) for a in answers)
            job.lease_until = now + lease
            return "canceled" if job.cancel else "ok"

    def finish(self, job_id: str, owner: str, state: JobState) -> bool:
        """End the job held by *owner*."""
        with self._lock:
            now = self._clock()
            job = self._jobs.get(job_id)
            if job is None or job.owner != owner or job.lease_until <= now or state not in TERMINAL_STATES:
                return False
            job.state, job.owner, job.ends = state, None, now + self.retention
            return True

    def cancel(self, job_id: str) -> JobRecord | None:
        """Stop the job at once if nobody runs it, else ask its runner to stop."""
        with self._lock:
            now = self._clock()
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.state not in TERMINAL_STATES:
                job.cancel = True
                if job.owner is None or job.lease_until <= now:
                    job.state, job.owner, job.ends = "canceled", None, now + self.retention
            return self._view(job_id, job, now, True)
