"""Jobs on two real ``rq worker`` processes against a real redis-server; one worker is killed mid-job (SIGKILL).

The job's lease lapses (visible in its record), the next monitor read hands it
to the queue again, the other worker resumes it from its last finished item,
and every item ends with exactly one answer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import multistatus as ms
from tests.redis_support import redis_server

ROOT = Path(__file__).resolve().parent.parent
RQ = Path(sys.executable).with_name("rq")
PATIENCE = 60
TOTAL = 120


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    pytest.importorskip("rq", reason="the rq package is not installed (pip install multistatus[rq])")
    if not RQ.exists():
        pytest.skip(f"the rq command is not installed beside {sys.executable}")
    yield from redis_server()


@pytest.fixture
def workers(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two ``rq worker`` processes (no fork per job: killing one kills its job), stopped by PID at the end."""
    from tests import jobs_rq_app

    env = {**os.environ, "MULTISTATUS_TEST_REDIS": redis_url, "PYTHONPATH": str(ROOT)}
    monkeypatch.setenv("MULTISTATUS_TEST_REDIS", redis_url)
    command = [str(RQ), "worker", "--url", redis_url, "-w", "rq.worker.SimpleWorker", "-q", jobs_rq_app.QUEUE]
    started = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:  # pragma: no cover - a worker that ignores SIGTERM
                    process.kill()
                    process.wait(10)


def wait(condition: object, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {PATIENCE} s for {what}"
        time.sleep(0.05)


def test_a_job_survives_its_worker_killed_and_each_item_is_answered_once(
    redis_url: str, workers: list[subprocess.Popen[bytes]]
) -> None:
    import redis

    from tests import jobs_rq_app

    client = redis.Redis.from_url(redis_url)
    client.delete(jobs_rq_app.RUNS, jobs_rq_app.DONE)
    jobs = jobs_rq_app.jobs()
    items = [{"id": i, "delay": 0.02} for i in range(TOTAL)]
    started = jobs.start(json.dumps(items).encode(), TOTAL)
    assert started.status == 202
    job_id = str(started.header("location")).rpartition("/")[2]

    def done() -> int:
        record = jobs.store.read(job_id, answers=False)
        return 0 if record is None else record.done

    wait(lambda: done() >= 20, "the first worker to finish 20 items")
    first_pid, first_start = client.lindex(jobs_rq_app.RUNS, 0).decode().split(":")  # type: ignore[union-attr]
    assert first_start == "0"
    victim = next(p for p in workers if p.pid == int(first_pid))
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(10)
    killed_at = done()
    assert killed_at < TOTAL

    wait(lambda: jobs.store.read(job_id, answers=False).lapsed, "the dead worker's lease to lapse")  # type: ignore[union-attr]
    assert done() == killed_at  # nobody wrote meanwhile
    answer = jobs.answer(job_id, "GET", accept="application/json")  # the read sees the lapse and hands the job back
    assert ms.from_json(answer.body).job == ms.JobStatus("running", killed_at, TOTAL)

    wait(lambda: jobs.store.read(job_id, answers=False).terminal, "the other worker to finish the job")  # type: ignore[union-attr]
    final = ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body)
    assert final.job == ms.JobStatus("succeeded", TOTAL, TOTAL)
    assert [r.href for r in final] == [f"/items/{i}" for i in range(TOTAL)]  # each item once, in order
    runs = [run.decode().split(":") for run in client.lrange(jobs_rq_app.RUNS, 0, -1)]
    survivor = next(p for p in workers if p is not victim)
    assert runs == [[first_pid, "0"], [str(survivor.pid), str(killed_at)]]  # resumed from the last finished item
    ran = [h.decode() for h in client.lrange(jobs_rq_app.DONE, 0, -1)]
    assert set(ran) == {f"/items/{i}" for i in range(TOTAL)}
    assert len(ran) - TOTAL <= jobs.flush_items  # at most what the dead worker had not written yet ran twice
