"""Jobs in an ASGI server: the ASGI demo under uvicorn runs a batch with ``Prefer: respond-async`` as asyncio
tasks (TaskRunner) and answers its monitor; in process, the runner's rules."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time

import pytest

import multistatus as ms
from multistatus.jobs import Jobs, MemoryJobStore, TaskRunner
from tests.test_integrations import free_port, start, stop

ITEMS = [{"id": str(i), "name": f"i{i}" if i % 9 else ""} for i in range(200)]


def test_the_asgi_demo_under_uvicorn_runs_a_job_and_ends_with_the_synchronous_answer() -> None:
    pytest.importorskip("uvicorn")
    httpx = pytest.importorskip("httpx")
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "multistatus.demo:make_asgi_app", "--port", str(port)]
    process = start(["timeout", "120", *command, "--log-level", "critical"], port)
    base = f"http://127.0.0.1:{port}"
    try:
        body = json.dumps(ITEMS).encode()
        started = httpx.post(f"{base}/batch?delay=0.002", content=body, headers={"Prefer": "respond-async"}, timeout=10)
        assert (started.status_code, started.headers["preference-applied"]) == (202, "respond-async")
        monitor = base + started.headers["location"]
        seen: list[int] = []
        deadline = time.monotonic() + 60
        while True:
            answer = httpx.get(monitor, headers={"Accept": "application/json"}, timeout=10)
            doc = ms.from_json(answer.content)
            assert doc.job is not None
            seen.append(doc.job.done)
            if doc.job.terminal:
                break
            assert answer.headers["retry-after"] == "1"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert seen == sorted(seen)
        sync = httpx.post(f"{base}/batch", content=body, timeout=30)
        assert (answer.status_code, doc.responses, doc.summary) == (
            sync.status_code, ms.from_json(sync.content).responses, ms.from_json(sync.content).summary,
        )  # fmt: skip
        assert httpx.delete(monitor, timeout=10).status_code == 207  # (ended: canceling changes nothing)
        assert httpx.head(monitor, timeout=10).content == b""
        assert httpx.post(f"{base}/batch?delay=x", content=b"[]", timeout=10).status_code == 400
    finally:
        stop(process)


def save_all(results: ms.Results, items: list[int], start: int) -> None:
    for position in range(start, len(items)):
        results.succeeded(f"/items/{items[position]}", status=201)


def test_the_task_runner_resumes_a_job_from_a_monitor_read_in_a_thread() -> None:
    runner = TaskRunner(max_workers=1)
    jobs = Jobs(MemoryJobStore(), save_all, runner=runner, lease=0.05)

    async def main() -> ms.MultiStatus:
        job_id = str(jobs.start(b"[1, 2, 3]", 3).header("location")).rpartition("/")[2]
        await runner.wait()
        assert jobs.store.read(job_id).state == "succeeded"  # type: ignore[union-attr]
        lapsed = str(Jobs(jobs.store, save_all, runner=lambda run, job_id: None).start(b"[4]", 1).header("location"))
        lapsed_id = lapsed.rpartition("/")[2]
        jobs.store.claim(lapsed_id, "dead", 0.05)
        await asyncio.sleep(0.1)
        await asyncio.to_thread(jobs.answer, lapsed_id, "GET")  # (a read in a thread hands the job back to the loop)
        await asyncio.sleep(0.05)
        await runner.wait()
        return ms.from_json(jobs.answer(lapsed_id, "GET", accept="application/json").body)

    doc = asyncio.run(main())
    assert doc.job == ms.JobStatus("succeeded", 1, 1)


def test_the_task_runner_needs_a_loop_to_start_its_first_job() -> None:
    runner = TaskRunner()
    failed: list[BaseException] = []

    def outside() -> None:
        try:
            runner(print, "j")
        except RuntimeError as exc:
            failed.append(exc)

    thread = threading.Thread(target=outside)
    thread.start()
    thread.join()
    assert "inside an event loop" in str(failed[0])


def test_monitor_asgi_in_process() -> None:
    from multistatus.jobs import monitor_asgi

    jobs = Jobs(MemoryJobStore(), save_all, runner=lambda run, job_id: run(job_id))
    job_id = str(jobs.start(b"[1]", 1).header("location")).rpartition("/")[2]
    app = monitor_asgi(jobs)

    def call(method: str) -> list[dict[str, object]]:
        sent: list[dict[str, object]] = []

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": method,
            "path": f"/jobs/{job_id}",
            "headers": [(b"accept", b"application/json")],
        }
        asyncio.run(app(scope, None, send))  # type: ignore[arg-type]
        return sent

    got = call("GET")
    assert got[0]["status"] == 207
    assert ms.from_json(got[1]["body"]).job == ms.JobStatus("succeeded", 1, 1)  # type: ignore[arg-type]
    assert call("HEAD")[1]["body"] == b""


def test_the_asgi_demo_in_process_starts_a_job_and_answers_its_monitor() -> None:
    from multistatus.demo import make_asgi_app

    app = make_asgi_app()

    async def call(method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str], bytes]:
        sent: list[dict[str, object]] = []
        chunks = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, object]:
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        path, _, query = path.partition("?")
        raw = [(k.lower().replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
        scope = {"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": raw}
        await app(scope, receive, send)  # type: ignore[arg-type]
        head = {k.decode(): v.decode() for k, v in sent[0]["headers"]}  # type: ignore[attr-defined]
        return int(sent[0]["status"]), head, b"".join(m.get("body", b"") for m in sent[1:])  # type: ignore[misc]

    async def main() -> None:
        status, head, _ = await call("POST", "/batch", b'[{"name": "a"}, {"name": ""}]', prefer="respond-async")
        assert (status, head["preference-applied"]) == (202, "respond-async")
        for _ in range(200):
            status, _, body = await call("GET", head["location"], accept="application/json")
            if ms.from_json(body).job.terminal:  # type: ignore[union-attr]
                break
            await asyncio.sleep(0.01)
        assert [r.status.code for r in ms.from_json(body)] == [201, 422]  # type: ignore[union-attr]
        assert (await call("POST", "/batch?delay=-1", b"[]"))[0] == 400
        assert (await call("GET", "/batch/jobs/no-such-policy/x"))[0] == 404

    asyncio.run(main())
