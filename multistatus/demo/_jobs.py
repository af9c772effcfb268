"""The demo's long batches: ``Prefer: respond-async`` on ``/batch`` starts a job, its monitor is ``/batch/jobs/...``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._collector import Results
from .._http import ServeOptions
from .._http._negotiation import JSON
from ..jobs import DEFAULT_JOB_RETENTION, Jobs, JobStore, MemoryJobStore, SQLiteJobStore, ThreadRunner

__all__ = ["JOBS_FILE", "Batch", "demo_jobs", "job_payload"]

#: The jobs' SQLite file in the demo's data folder.
JOBS_FILE = "jobs.sqlite3"
#: The monitors' URL prefix: ``/batch/jobs/<policy>/<job id>``.
MONITORS = "/batch/jobs/"


class Batch(list[Any]):
    """A job's items, with the seconds each item takes (``?delay=``)."""

    delay: float = 0.0


def job_payload(items: Sequence[object], delay: float) -> bytes:
    """What the demo keeps for a job: its items and the delay per item."""
    return json.dumps({"delay": delay, "items": list(items)}, separators=(",", ":"), ensure_ascii=False).encode()


def _decode(payload: bytes) -> Batch:
    data = json.loads(payload)
    batch = Batch(data["items"])
    batch.delay = float(data["delay"])
    return batch


def demo_jobs(
    policies: Sequence[str],
    process: Callable[..., None],
    name: Callable[[Any, int], tuple[str, str | None]],
    *,
    data: str | Path | None = None,
    retention: float = DEFAULT_JOB_RETENTION,
    workers: int = 4,
    runner: Callable[[Callable[[str], object], str], None] | None = None,
) -> dict[str, Jobs]:
    """One :class:`~multistatus.jobs.Jobs` per status policy, sharing one store and one pool of threads.

    Args:
        policies: the status policies ``/batch`` offers.
        process: ``process(results, items, start=, delay=, quota=)``, the batch's work.
        name: ``name(item, position)`` -> ``(href, id)``.
        data: the folder of the jobs' SQLite file; ``None``: in memory.
        retention: seconds a finished job's results are kept.
        workers: how many jobs run at once (on the default runner's threads).
        runner: the runner (a :class:`~multistatus.jobs.TaskRunner` under ASGI); ``None``: a pool of threads.
    """
    store: JobStore = (
        SQLiteJobStore(Path(data) / JOBS_FILE, retention=retention)
        if data is not None
        else MemoryJobStore(retention=retention)
    )
    threads = ThreadRunner(workers) if runner is None else runner

    def handler(results: Results, items: Sequence[Any], start: int) -> None:
        process(results, items, start=start, delay=getattr(items, "delay", 0.0))

    return {
        policy: Jobs(
            store,
            handler,
            monitor_path=f"{MONITORS}{policy}/",
            options=ServeOptions(policy=policy, default=JSON),
            name=name,
            decode=_decode,
            runner=threads,
        )
        for policy in policies
    }
