"""Long batches as jobs, against the demo served by a real server (werkzeug, threads).

A batch of hundreds of items with ``Prefer: respond-async`` and a delay per
item is answered 202; its monitor's progress never goes back; its final document is the
synchronous answer of the same batch; a cancel mid-way ends the items not
started as ``not_attempted``; past the retention the monitor answers 410; an
``Idempotency-Key`` retry of the POST gets the same monitor.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

import multistatus as ms
from multistatus import demo
from tests.conftest import QuietHandler

ITEMS = [{"id": str(i), "name": f"i{i}", **({"protected": 1} if i % 97 == 0 else {})} for i in range(2000)]
BODY = json.dumps(ITEMS, separators=(",", ":")).encode()  # (under the demo's 64 KiB)
JSON = {"Content-Type": "application/json", "Accept": "application/json"}
ASYNC = {**JSON, "Prefer": "respond-async"}
#: Bounds every wait on a job (seconds): a hung job fails the test instead of hanging it.
PATIENCE = 120


@contextmanager
def serving(**settings: Any) -> Iterator[str]:
    srv = make_server("127.0.0.1", 0, demo.make_app(**settings), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, **headers: str) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def start(base: str, query: str = "", body: bytes = BODY, **headers: str) -> str:
    status, head, data = fetch(f"{base}/batch{query}", method="POST", data=body, **{**ASYNC, **headers})
    assert status == 202, data
    assert head["Preference-Applied"] == "respond-async"
    assert data == b""
    return f"{base}{head['Location']}"


def follow(monitor: str, *, until: int | None = None) -> tuple[int, Any, ms.MultiStatus, list[int]]:
    """Poll *monitor* (every 50 ms, not the Retry-After second: the test is in a hurry) until the job
    ends (or has *until* items done); the last answer and every done count seen."""
    seen: list[int] = []
    deadline = time.monotonic() + PATIENCE
    while True:
        status, head, data = fetch(monitor, Accept="application/json")
        doc = ms.from_json(data)
        assert doc.job is not None
        seen.append(doc.job.done)
        assert len(doc.responses) == doc.job.done or doc.job.state == "canceled"
        if doc.job.terminal or (until is not None and doc.job.done >= until):
            return status, head, doc, seen
        assert status == 200
        assert head["Retry-After"] == "1"
        assert time.monotonic() < deadline, f"the job did not end in {PATIENCE} s: {doc.job}"
        time.sleep(0.05)


#: The long batch: 400 items at 5 ms each, a job of about two seconds polled every 50 ms.  The
#: job is long by its delay, not by its count: every poll carries the answers done so far, so
#: 2,000 items at 1 ms would make each poll five times as dear for the same progress to watch.
LONG_ITEMS = ITEMS[:400]


def test_a_long_batch_runs_as_a_job_and_ends_with_the_synchronous_answer(server: str) -> None:
    body = json.dumps(LONG_ITEMS).encode()
    monitor = start(server, "?delay=0.005", body=body)
    status, head, doc, seen = follow(monitor)
    assert seen == sorted(seen), "the progress went back"
    assert len(set(seen)) > 2, f"no progress was seen between start and end: {seen}"
    assert doc.job == ms.JobStatus("succeeded", 400, 400)
    assert "Retry-After" not in head
    sync_status, _, sync_data = fetch(f"{server}/batch", method="POST", data=body, **JSON)
    sync = ms.from_json(sync_data)
    assert (status, doc.responses, doc.summary) == (sync_status, sync.responses, sync.summary)
    assert doc.summary.by_status[403] == len([i for i in LONG_ITEMS if i.get("protected")]) == 5


def test_the_monitor_in_xml_and_html(server: str) -> None:
    monitor = start(server, "?delay=0.001", body=json.dumps(ITEMS[:50]).encode())
    follow(monitor)
    status, head, data = fetch(monitor, Accept="application/xml")
    doc = ms.from_xml(data)
    assert (status, doc.job) == (207, ms.JobStatus("succeeded", 50, 50))
    assert b"<ms:job><ms:state>succeeded</ms:state>" in data
    _, head, page = fetch(monitor, Accept="text/html")
    assert head["Content-Type"].startswith("text/html")
    assert b'<progress max="50" value="50">100%</progress>' in page


def test_the_final_status_follows_the_endpoint_policy(server: str) -> None:
    one = json.dumps([{"id": "only", "name": "x"}]).encode()
    monitor = start(server, "?policy=collapse-uniform", body=one)
    assert "/collapse-uniform/" in monitor
    status, _, doc, _ = follow(monitor)
    assert (status, doc.responses[0].status.code) == (201, 201)  # type: ignore[union-attr]


def test_cancel_mid_way_ends_the_rest_as_not_attempted(server: str) -> None:
    monitor = start(server, "?delay=0.005")
    follow(monitor, until=20)
    status, _, _ = fetch(monitor, method="DELETE", Accept="application/json")
    assert status in (200, 207)
    _, _, doc, seen = follow(monitor)
    assert seen == sorted(seen)
    job = doc.job
    assert job is not None
    assert (job.state, job.total) == ("canceled", 2000)
    assert 20 <= job.done < 2000
    assert [r.href for r in doc.responses] == [f"/items/{i}" for i in range(2000)]
    rest = doc.responses[job.done :]
    assert {(r.status.code, r.error.code) for r in rest} == {(424, "not_attempted")}  # type: ignore[union-attr]
    assert all(r.status.code != 424 for r in doc.responses[: job.done])  # type: ignore[union-attr]
    _, _, again = fetch(monitor, method="DELETE", Accept="application/json")
    assert ms.from_json(again).job == job  # canceling an ended job changes nothing


def test_past_the_retention_the_monitor_answers_410(tmp_path: Path) -> None:
    with serving(job_retention=0.5) as base:
        monitor = start(base, body=json.dumps(ITEMS[:3]).encode())
        follow(monitor)
        time.sleep(1.0)
        status, head, data = fetch(monitor, Accept="application/json")
        assert (status, head["Content-Type"]) == (410, "application/problem+json")
        assert json.loads(data)["code"] == "job_expired"
        assert fetch(f"{base}/batch/jobs/always-207/no-such-job")[0] == 404
        assert fetch(f"{base}/batch/jobs/always-207/x", method="PUT")[0] == 405


def test_an_idempotency_key_retry_gets_the_same_monitor(tmp_path: Path) -> None:
    with serving(data=tmp_path) as base:
        body = json.dumps(ITEMS[:30]).encode()
        first = start(base, "?delay=0.01", body=body, **{"Idempotency-Key": '"job-1"'})
        status, head, _ = fetch(
            f"{base}/batch?delay=0.01", method="POST", data=body, **ASYNC, **{"Idempotency-Key": '"job-1"'}
        )
        assert (status, f"{base}{head['Location']}") == (202, first)
        assert head["Idempotent-Replayed"] == "true"
        _, _, doc, _ = follow(first)
        assert doc.job == ms.JobStatus("succeeded", 30, 30)
        saved = json.loads(fetch(f"{base}/batch/items")[2])
        assert len(saved) == 7  # (the demo's quota) and each saved once: the retry did not start a second job
        assert {item["saves"] for item in saved} == {1}


def test_a_bad_delay_is_a_400(server: str) -> None:
    for bad in ("-1", "abc", "1e3", "61"):
        status, _, data = fetch(f"{server}/batch?delay={bad}", method="POST", data=b"[]", **JSON)
        assert status == 400, bad
        assert "delay" in json.loads(data)["detail"]


def test_a_monitor_path_of_no_policy_is_404(server: str) -> None:
    assert fetch(f"{server}/batch/jobs/no-such-policy/x")[0] == 404
