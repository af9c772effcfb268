"""What running a batch as a job costs: per item, and per monitor read, on each job store.

Not a test: run ``python bench/bench_jobs.py`` (``redis-server`` on ``PATH`` adds
the Redis store: the script starts one on a free loopback port and stops it).

The baseline is the batch run synchronously: the same handler records 2,000
items in a :class:`~multistatus.Results` and the answer is rendered with
:func:`~multistatus.reply`.  A job runs the same handler through
:meth:`Jobs.run <multistatus.jobs.Jobs.run>` (each item's answer written to the
store as it is recorded, under the runner's lease) and is then read once by its
monitor (:meth:`Jobs.answer <multistatus.jobs.Jobs.answer>`, the final
document).  Rounds are interleaved; each figure is the median of the rounds.
"""

from __future__ import annotations

import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import multistatus as ms
from multistatus.jobs import Jobs, JobStore, MemoryJobStore, SQLiteJobStore

ITEMS = 2000
ROUNDS = 5


def handler(results: ms.Results, items: Sequence[Any], start: int) -> None:
    for position in range(start, len(items)):
        item = items[position]
        results.succeeded(f"/items/{item['id']}", status=201, id=item["id"], body={"name": item["name"]})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    items = [{"id": str(i), "name": f"item {i}"} for i in range(ITEMS)]
    payload = json.dumps(items).encode()
    folder = tempfile.mkdtemp(prefix="bench-jobs-")
    stores: dict[str, Callable[[], JobStore]] = {
        "memory": MemoryJobStore,
        "sqlite": lambda: SQLiteJobStore(Path(folder) / f"jobs-{time.monotonic_ns()}.db"),
    }
    redis_proc = None
    if shutil.which("redis-server"):
        port = _free_port()
        redis_proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        from multistatus.jobs import RedisJobStore

        stores["redis"] = lambda: RedisJobStore(f"redis://127.0.0.1:{port}/0", prefix=f"b{time.monotonic_ns()}:")
    run_times: dict[str, list[float]] = {"sync": []}
    read_times: dict[str, list[float]] = {"sync": []}
    try:
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            results = ms.Results()
            handler(results, json.loads(payload), 0)
            t1 = time.perf_counter()
            ms.reply(results.build(), accept="application/json")
            t2 = time.perf_counter()
            run_times["sync"].append(t1 - t0)
            read_times["sync"].append(t2 - t1)
            for name, make in stores.items():
                jobs = Jobs(make(), handler, runner=lambda run, job_id: None)
                job_id = str(jobs.start(payload, ITEMS).header("location")).rpartition("/")[2]
                t0 = time.perf_counter()
                jobs.run(job_id)
                t1 = time.perf_counter()
                answer = jobs.answer(job_id, "GET", accept="application/json")
                t2 = time.perf_counter()
                assert ms.from_json(answer.body).job == ms.JobStatus("succeeded", ITEMS, ITEMS)
                run_times.setdefault(name, []).append(t1 - t0)
                read_times.setdefault(name, []).append(t2 - t1)
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    base_run, base_read = statistics.median(run_times["sync"]), statistics.median(read_times["sync"])
    print(f"{ITEMS} items, median of {ROUNDS} rounds")
    print(f"{'':8} {'run (ms)':>9} {'per item (us)':>14} {'x sync':>7} {'read (ms)':>10} {'x sync':>7}")
    for name, runs in run_times.items():
        run, read = statistics.median(runs), statistics.median(read_times[name])
        print(
            f"{name:8} {run * 1e3:9.1f} {run / ITEMS * 1e6:14.1f} {run / base_run:7.1f} {read * 1e3:10.1f} {read / base_read:7.1f}"
        )


if __name__ == "__main__":
    main()
