"""Jobs on RQ (Redis Queue) workers: the runner that enqueues them and the worker's entry point (``pip install multistatus[rq]``).

The web process and the workers build the same :class:`~multistatus.jobs.Jobs`
(a :class:`~multistatus.jobs.RedisJobStore`, the handler) in a module both can
import, say ``myapp.jobs``::

    # myapp/jobs.py
    from redis import Redis
    from rq import Queue
    from multistatus.jobs import Jobs, RedisJobStore, rq_runner

    REDIS = Redis.from_url("redis://queue.internal:6379/0")
    JOBS = Jobs(RedisJobStore(REDIS), handle_items, runner=rq_runner(Queue("batches", connection=REDIS), "myapp.jobs:JOBS"))

The web process calls ``JOBS.start(...)``; each worker (``rq worker batches``)
runs :func:`run_rq_job`, which imports ``myapp.jobs:JOBS`` and calls its
:meth:`~multistatus.jobs.Jobs.run`.  Only the job id crosses the queue: the
items are in the job store.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from rq import Queue

__all__ = ["rq_runner", "run_rq_job"]

#: Seconds RQ lets one job run before it stops it (``job_timeout``): long batches are the point.
JOB_TIMEOUT = 24 * 3600


def _jobs_at(target: str) -> Any:
    module, _, attribute = target.partition(":")
    if not module or not attribute:
        raise ValueError(f"a job target is 'package.module:attribute', not {target!r}")
    value = getattr(importlib.import_module(module), attribute)
    return value() if callable(value) and not hasattr(value, "run") else value


def run_rq_job(target: str, job_id: str) -> str:
    """The RQ worker's entry point: run the job *job_id* of the :class:`~multistatus.jobs.Jobs` at *target*.

    Args:
        target: ``"package.module:attribute"``: a :class:`~multistatus.jobs.Jobs`, or a
            function without arguments that returns one.
        job_id: the job to run (from its first unfinished item).

    Returns:
        The job's state once this run ended, or ``"not-run"`` when another runner had it.

    Raises:
        ValueError: *target* is not ``module:attribute``.
    """
    record = _jobs_at(target).run(job_id)
    return "not-run" if record is None else str(record.state)


def rq_runner(
    queue: Queue, target: str, *, job_timeout: int = JOB_TIMEOUT
) -> Callable[[Callable[[str], object], str], None]:
    """A runner for :class:`~multistatus.jobs.Jobs` that enqueues each job on *queue* for RQ workers.

    Args:
        queue: the RQ queue.
        target: where the workers find the same :class:`~multistatus.jobs.Jobs`
            (``"package.module:attribute"``, see :func:`run_rq_job`).
        job_timeout: seconds RQ lets one job run.

    Returns:
        The runner to pass as ``Jobs(..., runner=...)``.

    Example:
        >>> from multistatus.jobs import rq_runner
        >>> rq_runner(None, "myapp")
        Traceback (most recent call last):
        ...
        ValueError: a job target is 'package.module:attribute', not 'myapp'
    """
    module, _, attribute = target.partition(":")
    if not module or not attribute:
        raise ValueError(f"a job target is 'package.module:attribute', not {target!r}")

    def runner(run: Callable[[str], object], job_id: str) -> None:
        queue.enqueue_call(
            run_rq_job, args=(target, job_id), timeout=job_timeout, description=f"multistatus job {job_id}"
        )

    return runner
