"""
Long batches as jobs: ``202 Accepted``, a monitor that shows progress, results kept for later
==============================================================================================

A batch request with ``Prefer: respond-async`` (RFC 7240 §4.1), or one the
application finds too big to answer at once, is answered ``202 Accepted`` with
the ``Location`` of a monitor and ``Preference-Applied: respond-async``; the
batch runs as a job.  The monitor answers ``GET`` with the document the
synchronous request would have given, holding the items finished so far and the
job's :class:`~multistatus.JobStatus` (``Retry-After`` while it runs; once it
ended, the status the endpoint's status policy gives); ``DELETE`` cancels it.
Results are kept for the store's retention period, then the monitor answers 410.

:class:`Jobs` starts jobs, runs them and answers their monitors.  Jobs run on a
:class:`ThreadRunner` in the server process by default (in an ASGI server: a
:class:`TaskRunner`, the monitors through :func:`monitor_asgi`), or on RQ workers
on many machines (:func:`rq_runner`, :func:`run_rq_job`).  Job records live in a
:class:`JobStore`, of the same family as the idempotency stores:

:class:`MemoryJobStore`
    one process (tests, a single server process);
:class:`SQLiteJobStore`
    a database file: safe across the processes of one machine;
:class:`RedisJobStore`
    a Redis server: many machines (``pip install multistatus[redis]``).

A job whose runner dies is visible (its lease lapses: :attr:`JobRecord.lapsed`)
and is run again from its last finished item: each item is recorded exactly once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._jobs import (
    DEFAULT_JOB_LEASE,
    DEFAULT_JOB_RETENTION,
    NOT_ATTEMPTED,
    JobRecord,
    JobStore,
    Progress,
    accepted,
    monitor,
    not_attempted,
    wants_job,
)
from .._public import publish
from ._memory import MemoryJobStore
from ._runner import JobHandler, Jobs, ThreadRunner
from ._sqlite import SQLiteJobStore
from ._tasks import TaskRunner, monitor_asgi

if TYPE_CHECKING:
    from ._redis import RedisJobStore
    from ._rq import rq_runner, run_rq_job

__all__ = [
    "DEFAULT_JOB_LEASE",
    "DEFAULT_JOB_RETENTION",
    "NOT_ATTEMPTED",
    "JobHandler",
    "JobRecord",
    "JobStore",
    "Jobs",
    "MemoryJobStore",
    "Progress",
    "RedisJobStore",
    "SQLiteJobStore",
    "TaskRunner",
    "ThreadRunner",
    "accepted",
    "monitor",
    "monitor_asgi",
    "not_attempted",
    "rq_runner",
    "run_rq_job",
    "wants_job",
]

_LAZY = {"RedisJobStore": "._redis", "rq_runner": "._rq", "run_rq_job": "._rq"}


def __getattr__(name: str) -> Any:
    """:class:`RedisJobStore` and the RQ glue, imported when first asked for (``redis`` and ``rq`` are optional)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        publish({name: value}, [name], __name__)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


publish(globals(), [n for n in __all__ if n in globals() and n not in ("Progress", "JobHandler")], __name__)
