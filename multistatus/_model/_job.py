"""The state and progress of a batch that runs as a job: the monitor's part of a multistatus document.

A job's monitor answers with the document the synchronous request would have
given, holding the items finished so far, plus a :class:`JobStatus`: in JSON the
``job`` member, in XML a ``job`` element in the library's namespace
(:data:`~multistatus.NAMESPACE`)::

    not-started -> running -> succeeded | failed | canceled

``succeeded`` means the job ran every item (items may still have failed, each
with its own status); ``failed`` means the job itself stopped on an error;
``canceled`` means it was canceled (``DELETE`` on the monitor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["JOB_STATES", "MAX_COUNT", "TERMINAL_STATES", "JobState", "JobStatus"]

#: The largest count of a job (18 digits): more than any batch holds; what both codecs carry.
MAX_COUNT = 10**18 - 1

JobState = Literal["not-started", "running", "succeeded", "failed", "canceled"]
#: Every state of a job, in the order a job goes through them.
JOB_STATES: tuple[JobState, ...] = ("not-started", "running", "succeeded", "failed", "canceled")
#: The states a job ends in.
TERMINAL_STATES: frozenset[str] = frozenset(("succeeded", "failed", "canceled"))


@dataclass(frozen=True, slots=True)
class JobStatus:
    """A job's state and progress, as its monitor shows it (the ``job`` part of a document).

    Args:
        state: one of :data:`JOB_STATES`.
        done: how many items have finished (each with its response in the document).
        total: how many items the job has, or ``None`` when not known yet.

    Raises:
        ValueError: an unknown state, a negative count, or more done than the total.

    Example:
        >>> import multistatus as ms
        >>> job = ms.JobStatus("running", done=500, total=2000)
        >>> job.terminal, job.percent
        (False, 25.0)
        >>> ms.JobStatus("finished")
        Traceback (most recent call last):
        ...
        ValueError: a job's state is one of 'not-started', 'running', 'succeeded', 'failed', 'canceled', not 'finished'
    """

    state: JobState
    done: int = 0
    total: int | None = None

    def __post_init__(self) -> None:
        if self.state not in JOB_STATES:
            names = ", ".join(repr(s) for s in JOB_STATES)
            raise ValueError(f"a job's state is one of {names}, not {self.state!r}")
        if type(self.done) is not int or not 0 <= self.done <= MAX_COUNT:
            raise ValueError(f"a job's done count is an integer from 0 to {MAX_COUNT}, not {self.done!r}")
        if self.total is not None and (type(self.total) is not int or not self.done <= self.total <= MAX_COUNT):
            raise ValueError(f"a job's total is an integer from done ({self.done}) to {MAX_COUNT}, not {self.total!r}")

    @property
    def terminal(self) -> bool:
        """The job has ended (succeeded, failed or canceled): its document will not change."""
        return self.state in TERMINAL_STATES

    @property
    def percent(self) -> float | None:
        """How much is done, from 0.0 to 100.0 (``None`` while the total is not known; 100.0 for no items)."""
        if self.total is None:
            return None
        return 100.0 if self.total == 0 else 100.0 * self.done / self.total
