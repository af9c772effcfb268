"""Jobs in process: the 202 decision, the runner's rules (fail, cancel, lost lease, resume), the monitor's answers."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import pytest
from werkzeug.test import Client

import multistatus as ms
from multistatus.jobs import (
    Jobs,
    MemoryJobStore,
    ThreadRunner,
    accepted,
    monitor,
    not_attempted,
    wants_job,
)


def inline(run: Any, job_id: str) -> None:
    """A runner that runs the job at once, in the caller's thread."""
    run(job_id)


def save_all(results: ms.Results, items: Sequence[Any], start: int) -> None:
    for position in range(start, len(items)):
        results.succeeded(f"/items/{items[position]}", status=201, id=str(items[position]))


def make(handler: Any = save_all, **settings: Any) -> Jobs:
    settings.setdefault("runner", inline)
    return Jobs(MemoryJobStore(), handler, **settings)


def job_id_of(reply: ms.Reply) -> str:
    location = reply.header("location")
    assert location is not None
    return location.rpartition("/")[2]


@pytest.mark.parametrize(
    ("prefer", "total", "above", "expected"),
    [
        pytest.param("respond-async", 1, None, True, id="asked"),
        pytest.param("RESPOND-ASYNC; x=1, wait=5", 1, None, True, id="asked-with-others"),
        pytest.param("return=minimal", 1, None, False, id="other-preference"),
        pytest.param(None, 1001, 1000, True, id="big"),
        pytest.param(None, 1000, 1000, False, id="not-big-enough"),
        pytest.param(None, 10**6, None, False, id="never-unasked"),
    ],
)
def test_wants_job(prefer: str | None, total: int, above: int | None, expected: bool) -> None:
    assert wants_job(prefer, total, above=above) is expected
    assert make(above=above).wants_job(prefer, total) is expected


def test_accepted_refuses_a_location_that_would_inject_a_header() -> None:
    with pytest.raises(ValueError, match="control character"):
        accepted("/jobs/a\r\nSet-Cookie: x=1")


def test_a_job_runs_and_its_monitor_answers_with_the_policy() -> None:
    jobs = make(options=ms.ServeOptions(policy="200-if-all-succeeded"))
    started = jobs.start(json.dumps([1, 2]).encode(), 2)
    assert (started.status, started.body) == (202, b"")
    answer = jobs.answer(job_id_of(started), "GET", accept="application/json")
    doc = ms.from_json(answer.body)
    assert (answer.status, doc.job, [r.href for r in doc]) == (
        200,
        ms.JobStatus("succeeded", 2, 2),
        ["/items/1", "/items/2"],
    )
    assert jobs.answer(job_id_of(started), "GET", accept="application/xml").header("content-type") == (
        "application/xml; charset=utf-8"
    )
    jobs.close()


def test_a_handler_that_raises_fails_the_job_and_keeps_what_finished() -> None:
    def explode(results: ms.Results, items: Sequence[Any], start: int) -> None:
        results.succeeded("/items/1", status=201)
        raise RuntimeError("storage down")

    jobs = make(explode)
    job_id = job_id_of(jobs.start(b"[1, 2]", 2))
    doc = ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body)
    assert doc.job == ms.JobStatus("failed", 1, 2)
    assert [r.href for r in doc] == ["/items/1"]


def test_a_handler_that_records_too_few_answers_fails_the_job() -> None:
    jobs = make(lambda results, items, start: None)
    job_id = job_id_of(jobs.start(b"[1]", 1))
    assert jobs.store.read(job_id).state == "failed"  # type: ignore[union-attr]


def test_cancel_before_the_job_starts_answers_every_item_not_attempted() -> None:
    jobs = make(runner=lambda run, job_id: None, name=lambda item, position: (f"/items/{item}", str(item)))
    job_id = job_id_of(jobs.start(b"[7, 8]", 2))
    assert ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body).job == ms.JobStatus(
        "not-started", 0, 2
    )
    answer = jobs.answer(job_id, "DELETE", accept="application/json")
    doc = ms.from_json(answer.body)
    assert doc.job == ms.JobStatus("canceled", 0, 2)
    assert doc.responses == (not_attempted("/items/7", id="7"), not_attempted("/items/8", id="8"))
    assert answer.status == 207


def test_a_cancel_asked_while_running_stops_at_the_next_item() -> None:
    holder: dict[str, Any] = {}

    def cancel_after_one(results: ms.Results, items: Sequence[Any], start: int) -> None:
        results.succeeded("/items/1", status=201)
        holder["jobs"].store.cancel(holder["id"])
        results.succeeded("/items/2", status=201)  # recorded: the cancel is seen as it is kept
        results.succeeded("/items/3", status=201)  # never reached

    jobs = make(cancel_after_one, runner=lambda run, job_id: None, flush_items=1)
    holder["jobs"] = jobs
    holder["id"] = job_id = job_id_of(jobs.start(b"[1, 2, 3]", 3))
    jobs.run(job_id)
    doc = ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body)
    assert doc.job == ms.JobStatus("canceled", 2, 3)
    assert [r.status.code for r in doc] == [201, 201, 424]  # type: ignore[union-attr]


def test_a_cancel_asked_at_the_last_item_lets_the_job_succeed() -> None:
    holder: dict[str, Any] = {}

    def cancel_at_end(results: ms.Results, items: Sequence[Any], start: int) -> None:
        holder["jobs"].store.cancel(holder["id"])
        results.succeeded("/items/1", status=201)

    jobs = make(cancel_at_end, runner=lambda run, job_id: None)
    holder["jobs"] = jobs
    holder["id"] = job_id = job_id_of(jobs.start(b"[1]", 1))
    store = jobs.store
    assert store.claim(job_id, "other", 0.01) is not None  # (so that the cancel is asked, not done at once)
    time.sleep(0.05)
    assert jobs.run(job_id) is not None
    assert store.read(job_id).state == "succeeded"  # type: ignore[union-attr]


def test_a_runner_whose_lease_was_taken_over_stops_without_writing() -> None:
    holder: dict[str, Any] = {}

    def slow(results: ms.Results, items: Sequence[Any], start: int) -> None:
        time.sleep(0.2)  # (longer than the lease: another runner takes the job meanwhile)
        assert holder["jobs"].store.claim(holder["id"], "successor", 30) is not None
        results.succeeded("/items/1", status=201)

    jobs = make(slow, runner=lambda run, job_id: None, lease=0.1)
    holder["jobs"] = jobs
    holder["id"] = job_id = job_id_of(jobs.start(b"[1]", 1))
    assert jobs.run(job_id) is None
    record = jobs.store.read(job_id)
    assert record is not None
    assert (record.state, record.done) == ("running", 0)
    assert jobs.run(job_id) is None  # held by the successor: not this run's


def test_a_monitor_read_resumes_a_job_whose_runner_died_from_its_last_item() -> None:
    calls: list[int] = []

    def handler(results: ms.Results, items: Sequence[Any], start: int) -> None:
        calls.append(start)
        assert len(results) == start  # the answers so far are in the collector
        save_all(results, items, start)

    jobs = make(handler, runner=lambda run, job_id: None, lease=0.05)
    job_id = job_id_of(jobs.start(b"[1, 2, 3]", 3))
    store = jobs.store
    store.claim(job_id, "dead", 0.05)
    store.record(
        job_id,
        "dead",
        0,
        [ms.to_json(ms.MultiStatus([ms.Response("/items/1", status=201, id="1")]))[14:-1].split(b'],"summary"')[0]],
        0.05,
    )
    time.sleep(0.1)
    assert store.read(job_id).lapsed  # type: ignore[union-attr]
    jobs.runner = inline
    doc = ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body)  # (the read dispatches it)
    assert calls == [1]
    doc = ms.from_json(jobs.answer(job_id, "GET", accept="application/json").body)
    assert doc.job == ms.JobStatus("succeeded", 3, 3)
    assert [r.href for r in doc] == ["/items/1", "/items/2", "/items/3"]


def test_the_monitor_app_over_wsgi() -> None:
    jobs = make()
    job_id = job_id_of(jobs.start(b"[1]", 1))
    client = Client(jobs.monitor_app)
    r = client.get(f"/jobs/{job_id}/", headers={"Accept": "application/json"})
    assert (r.status_code, ms.from_json(r.data).job) == (207, ms.JobStatus("succeeded", 1, 1))
    head = client.head(f"/jobs/{job_id}")
    assert (head.status_code, head.data) == (207, b"")
    assert client.post(f"/jobs/{job_id}").status_code == 405
    assert client.get("/jobs/unknown").status_code == 404


def test_monitor_names_the_retention_in_its_410() -> None:
    gone = ms.jobs.JobRecord("j", "succeeded", 1, (), 1, b"", False, 0.0, gone=True)
    assert b"kept for 60 seconds" in monitor(gone, retention=60, accept="application/json").body
    assert b"kept;" in monitor(gone, accept="application/json").body


def test_the_thread_runner_runs_jobs_on_its_threads() -> None:
    runner = ThreadRunner(max_workers=2)
    jobs = Jobs(MemoryJobStore(), save_all, runner=runner)
    ids = [job_id_of(jobs.start(json.dumps(list(range(5))).encode(), 5)) for _ in range(4)]
    runner.close()
    assert {jobs.store.read(i).state for i in ids} == {"succeeded"}  # type: ignore[union-attr]
    default = Jobs(MemoryJobStore(), save_all)
    job_id = job_id_of(default.start(b"[1]", 1))
    default.close()
    assert default.store.read(job_id).state == "succeeded"  # type: ignore[union-attr]


def test_a_job_canceled_while_its_runner_died_ends_canceled_when_resumed() -> None:
    jobs = make(runner=lambda run, job_id: None, lease=0.05)
    job_id = job_id_of(jobs.start(b"[1, 2]", 2))
    jobs.store.claim(job_id, "dead", 0.05)
    assert jobs.store.cancel(job_id).state == "running"  # type: ignore[union-attr]  # (asked: the runner holds it)
    time.sleep(0.1)
    record = jobs.run(job_id)
    assert record is not None
    assert (record.state, record.done) == ("canceled", 0)


def test_the_memory_store_counts_its_records_and_refuses_a_second_job_of_one_id() -> None:
    store = MemoryJobStore()
    store.create("j", b"[]", 0)
    assert len(store) == 1
    with pytest.raises(ValueError, match="exists already"):
        store.create("j", b"[]", 0)


#: What the RQ entry point finds by name (see test_the_rq_entry_point_runs_the_job_it_is_given).
RQ_JOBS = Jobs(MemoryJobStore(), save_all, runner=lambda run, job_id: None)


def rq_jobs() -> Jobs:
    return RQ_JOBS


def test_the_rq_entry_point_runs_the_job_it_is_given() -> None:
    pytest.importorskip("rq", reason="the rq package is not installed (pip install multistatus[rq])")
    from multistatus.jobs import run_rq_job

    job_id = job_id_of(RQ_JOBS.start(b"[1, 2]", 2))
    assert run_rq_job("tests.test_jobs:RQ_JOBS", job_id) == "succeeded"
    assert run_rq_job("tests.test_jobs:rq_jobs", job_id) == "not-run"  # (ended: nothing to run)
    with pytest.raises(ValueError, match=r"package\.module:attribute"):
        run_rq_job("tests.test_jobs", job_id)


@pytest.mark.parametrize("job_id", ["", "a/b", "x" * 65, "é", "a b"])
def test_an_id_that_is_no_job_id_is_no_job(job_id: str) -> None:
    jobs = make()
    assert jobs.answer(job_id, "GET").status == 404
    assert jobs.answer(job_id, "DELETE").status == 404


def test_answers_are_written_a_few_at_a_time_and_whatever_finished_is_kept() -> None:
    writes: list[int] = []
    store = MemoryJobStore()
    record = store.record

    def counting(job_id: str, owner: str, start: int, answers: Sequence[bytes], lease: float) -> Any:
        writes.append(len(answers))
        return record(job_id, owner, start, answers, lease)

    store.record = counting  # type: ignore[method-assign]
    jobs = Jobs(store, save_all, runner=inline, flush_items=4, flush_seconds=3600)
    job_id = job_id_of(jobs.start(json.dumps(list(range(10))).encode(), 10))
    assert writes == [4, 4, 2]
    assert store.read(job_id).done == 10  # type: ignore[union-attr]

    def explode_after_five(results: ms.Results, items: Sequence[Any], start: int) -> None:
        save_all(results, items[:5], start)
        raise RuntimeError("down")

    writes.clear()
    failing = Jobs(store, explode_after_five, runner=inline, flush_items=4, flush_seconds=3600)
    job_id = job_id_of(failing.start(json.dumps(list(range(10))).encode(), 10))
    assert writes == [4, 1]
    assert (store.read(job_id).state, store.read(job_id).done) == ("failed", 5)  # type: ignore[union-attr]
    writes.clear()
    timed = Jobs(store, save_all, runner=inline, flush_items=1000, flush_seconds=0)
    timed.start(b"[1, 2, 3]", 3)
    assert writes == [1, 1, 1]
