"""The client side of jobs, against the demo served by a real server: wait_for_job, send_batch following a 202,
a monitor URL resumed in a new process, ``multistatus inspect`` of a monitor."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

import multistatus as ms
from tests.test_jobs_demo import serving

ITEMS = [{"id": str(i), "name": f"i{i}" if i % 50 else ""} for i in range(300)]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(quota=10**6) as base:
        yield base


def start_job(base: str, items: list[dict[str, str]], delay: float) -> str:
    request = urllib.request.Request(
        f"{base}/batch?delay={delay}",
        data=json.dumps(items).encode(),
        headers={"Prefer": "respond-async", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 202
        return base + answer.headers["Location"]


def synchronous(base: str, items: list[dict[str, str]]) -> ms.MultiStatus:
    request = urllib.request.Request(
        f"{base}/batch", data=json.dumps(items).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return ms.from_body(answer.read(), answer.headers["Content-Type"])


def test_wait_for_job_polls_honouring_retry_after_and_returns_the_synchronous_document(server: str) -> None:
    monitor = start_job(server, ITEMS, 0.002)
    waits: list[float] = []
    seen: list[ms.JobStatus] = []
    doc = ms.wait_for_job(monitor, progress=seen.append, sleep=lambda s: (waits.append(s), time.sleep(0.02)))
    assert doc.job == ms.JobStatus("succeeded", 300, 300)
    assert set(waits) == {1.0}  # the monitor's Retry-After, slept through a stand-in
    assert [s.done for s in seen] == sorted(s.done for s in seen)
    sync = synchronous(server, ITEMS)
    assert (doc.responses, doc.summary) == (sync.responses, sync.summary)


def test_wait_for_job_with_requests_and_httpx(server: str) -> None:
    requests = pytest.importorskip("requests")
    httpx = pytest.importorskip("httpx")
    for client in (requests.Session(), httpx.Client()):
        monitor = start_job(server, ITEMS[:20], 0.0)
        with client:
            doc = ms.wait_for_job(monitor, client, sleep=lambda s: None, headers={"Authorization": "Bearer t"})
        assert doc.job == ms.JobStatus("succeeded", 20, 20)


def test_wait_for_job_gives_up_after_its_timeout(server: str) -> None:
    monitor = start_job(server, ITEMS[:5], 1.0)
    with pytest.raises(ms.JobTimeout, match=r"did not end within 0\.5 s") as info:
        ms.wait_for_job(monitor, timeout=0.5)
    assert info.value.last.job is not None
    assert info.value.last.job.state in ("not-started", "running")
    urllib.request.urlopen(urllib.request.Request(monitor, method="DELETE"), timeout=30).close()


def test_an_unknown_monitor_is_not_a_multistatus(server: str) -> None:
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.wait_for_job(f"{server}/batch/jobs/always-207/nope")
    assert info.value.status == 404


def test_a_plain_answer_is_returned_as_it_is(server: str) -> None:
    doc = ms.wait_for_job(f"{server}/batch")  # (GET /batch: the sample batch, no job)
    assert (doc.job, doc.summary.total) == (None, 10)


def test_send_batch_follows_the_202_and_gives_the_synchronous_outcome(server: str) -> None:
    jobs: list[ms.JobStatus] = []
    policy = ms.BatchPolicy(chunk_size=100)
    outcome = ms.send_batch(
        ITEMS, f"{server}/batch?delay=0.001", policy=policy, headers={"Prefer": "respond-async"}, on_job=jobs.append,
        sleep=lambda s: time.sleep(0.02),
    )  # fmt: skip
    plain = ms.send_batch(ITEMS, f"{server}/batch", policy=policy)
    assert [(r.href, r.code) for r in outcome.document] == [(r.href, r.code) for r in plain.document]
    assert (outcome.summary, outcome.requests) == (plain.summary, plain.requests)
    assert jobs[-1].state == "succeeded"
    assert {j.total for j in jobs} == {100}


def test_send_batch_reports_a_job_gone_as_the_chunk_failing(server: str) -> None:
    with serving(job_retention=0.0) as base:  # (the results are gone as soon as the job ends)
        outcome = ms.send_batch(
            ITEMS[:3], f"{base}/batch", headers={"Prefer": "respond-async"}, policy=ms.BatchPolicy(max_attempts=1),
            sleep=lambda s: time.sleep(0.05),
        )  # fmt: skip
    assert not outcome.ok
    assert {r.code for r in outcome.document} == {410}


def test_a_new_process_resumes_waiting_from_the_monitor_url_alone(server: str) -> None:
    monitor = start_job(server, ITEMS, 0.003)
    code = "import sys, multistatus as ms; sys.stdout.buffer.write(ms.to_json(ms.wait_for_job(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", code, monitor], capture_output=True, timeout=120, check=True)
    doc = ms.from_json(done.stdout)
    sync = synchronous(server, ITEMS)
    assert doc.job == ms.JobStatus("succeeded", 300, 300)
    assert (doc.responses, doc.summary) == (sync.responses, sync.summary)


def test_inspect_shows_a_monitor_state_and_progress(server: str) -> None:
    monitor = start_job(server, ITEMS[:10], 0.0)
    ms.wait_for_job(monitor, sleep=lambda s: None)
    shown = subprocess.run(
        [sys.executable, "-m", "multistatus", "inspect", monitor], capture_output=True, timeout=60, check=False
    )
    assert "job succeeded: 10 of 10 items done (100%)" in shown.stdout.decode()
