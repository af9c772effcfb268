"""The client side of jobs, against the demo served by a real server: wait_for_job, send_batch following a 202,
a monitor URL resumed in a new process, ``multistatus inspect`` of a monitor."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

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


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_send_batch_async_follows_the_202_too(server: str, kind: str) -> None:
    import asyncio

    library = pytest.importorskip(kind)
    jobs: list[ms.JobStatus] = []

    async def main() -> ms.BatchOutcome[dict[str, str]]:
        client = library.AsyncClient() if kind == "httpx" else library.ClientSession()
        async with client:
            return await ms.send_batch_async(
                ITEMS[:60], f"{server}/batch?delay=0.001", client, headers={"Prefer": "respond-async"},
                on_job=jobs.append, sleep=lambda s: asyncio.sleep(0.02),
            )  # fmt: skip

    outcome = asyncio.run(main())
    plain = ms.send_batch(ITEMS[:60], f"{server}/batch")
    assert [(r.href, r.code) for r in outcome.document] == [(r.href, r.code) for r in plain.document]
    assert jobs[-1] == ms.JobStatus("succeeded", 60, 60)


def test_send_batch_async_reports_a_job_gone_as_the_chunk_failing() -> None:
    import asyncio

    httpx = pytest.importorskip("httpx")

    async def main(base: str) -> ms.BatchOutcome[dict[str, str]]:
        async with httpx.AsyncClient() as client:
            return await ms.send_batch_async(
                ITEMS[:3], f"{base}/batch", client, headers={"Prefer": "respond-async"},
                policy=ms.BatchPolicy(max_attempts=1), sleep=lambda s: asyncio.sleep(0.05),
            )  # fmt: skip

    with serving(job_retention=0.0) as base:
        outcome = asyncio.run(main(base))
    assert {r.code for r in outcome.document} == {410}


@pytest.fixture(scope="module")
def lost_monitor() -> Iterator[str]:
    """A real server whose batch endpoint answers 202 with a monitor on a port where nothing listens."""
    from werkzeug.serving import make_server

    from tests.conftest import QuietHandler, free_port

    nowhere = f"http://127.0.0.1:{free_port()}/jobs/1"

    def app(environ: object, start_response: Any) -> list[bytes]:
        start_response("202 Accepted", [("Location", nowhere), ("Content-Length", "0")])
        return [b""]

    srv = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}/batch"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def _no_final_answer(outcome: ms.BatchOutcome[Any]) -> None:
    assert not outcome.ok
    assert all("gave no final answer" in str(d.response.error.message) for d in outcome.dead_letters)  # type: ignore[union-attr]
    assert len(outcome.dead_letters) == 2


@pytest.mark.parametrize("kind", ["urllib", "requests", "httpx"])
def test_a_monitor_that_does_not_answer_is_no_answer(lost_monitor: str, kind: str) -> None:
    client = (
        None
        if kind == "urllib"
        else pytest.importorskip(kind).Session()
        if kind == "requests"
        else pytest.importorskip(kind).Client()
    )
    policy = ms.BatchPolicy(max_attempts=1, timeout=5)
    _no_final_answer(ms.send_batch(ITEMS[:2], lost_monitor, client, policy=policy, sleep=lambda s: None))


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_a_monitor_that_does_not_answer_is_no_answer_async(lost_monitor: str, kind: str) -> None:
    import asyncio

    library = pytest.importorskip(kind)

    async def main() -> ms.BatchOutcome[Any]:
        client = library.AsyncClient() if kind == "httpx" else library.ClientSession()
        async with client:
            policy = ms.BatchPolicy(max_attempts=1)
            return await ms.send_batch_async(
                ITEMS[:2], lost_monitor, client, policy=policy, sleep=lambda s: asyncio.sleep(0)
            )

    _no_final_answer(asyncio.run(main()))


def test_credentials_go_to_the_monitor_only_on_the_batch_origin() -> None:
    from multistatus._send._job import _headers_for

    given = {"Authorization": "Bearer t", "Cookie": "s=1", "Accept": "text/html", "X-Trace": "7"}
    same = _headers_for("http://api.example/jobs/1", "http://api.example/batch", given)
    other = _headers_for("http://evil.example/jobs/1", "http://api.example/batch", given)
    assert same == {"Accept": "application/json", "Authorization": "Bearer t", "Cookie": "s=1", "X-Trace": "7"}
    assert other == {"Accept": "application/json", "X-Trace": "7"}


def test_a_job_timeout_pickles_with_its_last_document() -> None:
    import pickle

    last = ms.MultiStatus(job=ms.JobStatus("running", 1, 2))
    again = pickle.loads(pickle.dumps(ms.JobTimeout("late", last)))
    assert (str(again), again.last) == ("late", last)
