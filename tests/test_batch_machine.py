"""The bookkeeping of send_batch without any I/O: the state machine in ``_client/_batch.py``, driven by hand.

The property test plays a server that answers anything (per-item statuses,
transport errors, whole-request refusals, duplicates, unknown and missing ids)
and checks the one promise: every item ends in exactly one of succeeded,
failed and not attempted, with one final response, in request order.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus._client._batch import Batch, Send, Wait
from tests.conftest import scaled


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def machine(items: Any, clock: Clock | None = None, **policy: Any) -> Batch[Any]:
    return Batch(items, ms.BatchPolicy(**policy), clock=clock or Clock(), random=lambda: 0.5)


def ids_of(step: Send) -> list[str]:
    return [item["id"] for item in json.loads(step.body)]


def answer_all(batch: Batch[Any], step: Send, status: int = 201, **headers: str) -> None:
    doc = ms.MultiStatus([ms.Response(f"/items/{i}", status=status, id=i, headers=headers) for i in ids_of(step)])
    batch.receive(step, status=207, headers={}, document=doc)


def run(batch: Batch[Any], clock: Clock, answer: Any) -> ms.BatchOutcome[Any]:
    for _ in range(10_000):
        step = batch.next_step()
        if step is None:
            return batch.outcome()
        if isinstance(step, Wait):
            assert step.seconds > 0
            clock.now += step.seconds
        else:
            answer(batch, step)
    raise AssertionError("the batch never ended")


def test_chunks_by_count_and_bytes_and_keys_each_item_once() -> None:
    items = [{"id": str(n), "name": "x" * (n % 3) * 100} for n in range(10)]
    batch = machine(items, chunk_size=4, max_chunk_bytes=400)
    seen: list[list[str]] = []
    keys: dict[str, str] = {}

    def answer(batch: Batch[Any], step: Send) -> None:
        body = json.loads(step.body)
        assert len(step.body) <= 400 or len(body) == 1
        seen.append(ids_of(step))
        for item in body:
            keys.setdefault(item["id"], item["idempotency_key"])
            assert keys[item["id"]] == item["idempotency_key"]
        assert step.headers["Idempotency-Key"].startswith('"')
        answer_all(batch, step)

    out = run(batch, Clock(), answer)
    assert [i for chunk in seen for i in chunk] == [str(n) for n in range(10)]
    assert max(len(chunk) for chunk in seen) <= 4
    assert len(set(keys.values())) == 10
    assert out.ok
    assert out.summary.succeeded == 10
    assert "idempotency_key" not in items[0]  # the caller's items are never changed


def test_only_retryable_items_are_sent_again_after_their_retry_after() -> None:
    clock = Clock()
    batch = machine([{"id": str(n)} for n in range(4)], clock)
    sent: list[tuple[float, list[str]]] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        ids = ids_of(step)
        sent.append((clock.now, ids))
        codes = {"0": 201, "1": 422, "2": 429, "3": 503} if len(sent) == 1 else dict.fromkeys(ids, 201)
        doc = ms.MultiStatus(
            [ms.Response(f"/items/{i}", status=codes[i], id=i, headers={"retry-after": "7"}) for i in ids]
        )
        batch.receive(step, status=207, headers={}, document=doc)

    out = run(batch, clock, answer)
    assert sent[1] == (7.0, ["2", "3"])  # 422 is for good; both waited for their Retry-After
    assert [(d.item["id"], d.response.code, d.attempts) for d in out.dead_letters] == [("1", 422, 1)]
    assert (out.requests, out.retries, out.summary.succeeded) == (2, 2, 3)


def test_backoff_is_full_jitter_doubling_up_to_the_cap() -> None:
    clock = Clock()
    draws = iter([1.0, 1.0, 1.0, 1.0, 0.0])
    batch = Batch([{"id": "a"}], ms.BatchPolicy(backoff=1, max_backoff=3, max_attempts=6), clock=clock,
                  random=lambda: next(draws))  # fmt: skip
    times: list[float] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        times.append(clock.now)
        answer_all(batch, step, 503 if len(times) < 6 else 201)

    assert run(batch, clock, answer).ok
    assert [b - a for a, b in itertools.pairwise(times)] == [1.0, 2.0, 3.0, 3.0, 0.0]


def test_no_answer_resends_the_same_chunk_under_the_same_key() -> None:
    clock = Clock()
    batch = machine([{"id": "a"}, {"id": "b"}], clock)
    steps: list[Send] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        steps.append(step)
        if len(steps) == 1:
            batch.no_answer(step, "connection reset")
        else:
            answer_all(batch, step)

    out = run(batch, clock, answer)
    assert steps[0].headers["Idempotency-Key"] == steps[1].headers["Idempotency-Key"]
    assert steps[0].body == steps[1].body
    assert out.ok
    assert out.retries == 2


def test_a_whole_request_refused_for_its_content_is_sent_one_item_per_request() -> None:
    batch = machine([{"id": "a"}, {"id": "bad"}, {"id": "c"}])
    sizes: list[int] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        sizes.append(step.count)
        if "bad" in ids_of(step):
            batch.receive(step, status=400, headers={}, document=None, detail="bad JSON in item bad")
        else:
            answer_all(batch, step)

    out = run(batch, Clock(), answer)
    assert sizes == [3, 1, 1, 1]
    assert [(d.item["id"], d.response.code, d.attempts) for d in out.dead_letters] == [("bad", 400, 1)]
    assert out.summary.succeeded == 2


def test_413_halves_the_chunk_and_later_chunks() -> None:
    batch = machine([{"id": str(n)} for n in range(8)], chunk_size=8)
    sizes: list[int] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        sizes.append(step.count)
        if step.count > 2:
            batch.receive(step, status=413, headers={}, document=None)
        else:
            answer_all(batch, step)

    out = run(batch, Clock(), answer)
    assert sizes == [8, 4, 2, 2, 2, 2]
    assert out.ok
    assert all(d.attempts == 1 for d in out.dead_letters)


def test_repeated_whole_failures_fall_back_to_one_request_per_item() -> None:
    clock = Clock()
    batch = machine([{"id": "a"}, {"id": "b"}], clock, fallback_after=2, max_attempts=9)
    sizes: list[int] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        sizes.append(step.count)
        if step.count > 1:
            batch.receive(step, status=503, headers={"Retry-After": "2"}, document=None)
        else:
            answer_all(batch, step)

    assert run(batch, clock, answer).ok
    assert sizes == [2, 2, 1, 1]


def test_the_circuit_breaker_stops_and_leaves_the_rest_not_attempted() -> None:
    clock = Clock()
    batch = machine(({"id": str(n)} for n in range(50)), clock, chunk_size=5, breaker_window=3, max_attempts=2)
    out = run(batch, clock, lambda b, s: b.no_answer(s, "refused"))
    assert out.stopped is not None
    assert "circuit breaker" in out.stopped
    assert out.requests == 3
    # The first chunk twice (the same chunk, under the same key), then the second once: ten items tried.
    assert [(d.item["id"], d.attempts) for d in out.dead_letters] == [(str(n), 2 if n < 5 else 1) for n in range(10)]
    assert len(out.not_attempted) == 40
    codes = [r.code for r in out.document.responses]
    assert codes == [502] * 10 + [424] * 40
    assert out.document.responses[20].error.code == "not_attempted"  # type: ignore[union-attr]
    with pytest.raises(ms.FailedItems, match="circuit breaker"):
        out.raise_for_failures()


def test_the_time_limit_fails_waiting_items_and_skips_the_rest() -> None:
    clock = Clock()
    batch = machine(({"id": str(n)} for n in range(6)), clock, chunk_size=2, max_time=10)

    def answer(batch: Batch[Any], step: Send) -> None:
        clock.now += 4
        answer_all(batch, step, 201 if step.count and ids_of(step)[0] != "0" else 503)

    out = run(batch, clock, answer)
    assert out.stopped == "the time limit of 10s was reached"
    assert [r.code for r in out.document.responses] == [503, 503, 201, 201, 424, 424]


def test_answers_are_checked_against_the_request() -> None:
    batch = machine([{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}], max_attempts=1)

    def answer(batch: Batch[Any], step: Send) -> None:
        doc = ms.MultiStatus(
            [
                ms.Response("/items/a", status=201, id="a"),
                ms.Response("/items/a", status=201, id="a"),  # the same twice: agreed, taken
                ms.Response("/items/b", status=201, id="b"),
                ms.Response("/items/b", status=500, id="b"),  # twice, differently: unknown fate
                ms.Response("/items/zz", status=201, id="zz"),  # not sent
                ms.Response("d", status=201),  # no id: matched by href
            ]
        )
        batch.receive(step, status=207, headers={}, document=doc)

    out = run(batch, Clock(), answer)
    kinds = [(a.kind, a.key) for a in out.anomalies]
    assert kinds == [("unknown", None), ("duplicate", "a"), ("duplicate", "b"), ("missing", "c")]
    assert [(r.code, r.error.code if r.error else None) for r in out.document.responses] == [
        (201, None),
        (502, "ambiguous"),
        (502, "missing"),
        (201, None),
    ]


def test_items_that_cannot_be_sent_are_failed_not_dropped() -> None:
    out = run(machine([{"name": "no id"}, {"id": "x", "when": object()}, {"id": "ok"}]), Clock(), answer_all)
    assert [r.code for r in out.document.responses] == [400, 400, 201]
    assert [a.kind for a in out.anomalies] == ["no-id"]


def test_an_item_after_one_that_cannot_be_json_with_the_same_id_is_still_sent() -> None:
    sent: list[list[str]] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        sent.append(ids_of(step))
        answer_all(batch, step)

    out = run(machine([{"id": "x", "when": object()}, {"id": "x"}, {"id": "y"}]), Clock(), answer)
    assert sent == [["x", "y"]]
    assert [r.code for r in out.document.responses] == [400, 201, 201]


def test_misuse_is_refused() -> None:
    with pytest.raises(TypeError, match="iterable of items"):
        machine({"id": "a"})
    batch = machine([{"id": "a"}])
    step = batch.next_step()
    assert isinstance(step, Send)
    with pytest.raises(RuntimeError, match="first"):
        batch.next_step()
    with pytest.raises(RuntimeError, match="not over"):
        batch.outcome()
    other = machine([{"id": "a"}]).next_step()
    assert isinstance(other, Send)
    with pytest.raises(RuntimeError, match="not for a request in flight"):
        batch.no_answer(other, "x")
    with pytest.raises(ValueError, match="chunk_size"):
        ms.BatchPolicy(chunk_size=0)


# -- the property ------------------------------------------------------------------------
per_item = st.sampled_from([201, 200, 422, 403, 429, 503, 500, 409, "missing", "twice", "twice-differently"])
whole = st.sampled_from(["multistatus", "multistatus", "multistatus", "no-answer", 503, 429, 400, 413, 200, 401])


@given(
    count=st.integers(0, 30),
    data=st.data(),
    chunk_size=st.integers(1, 7),
    max_attempts=st.integers(1, 4),
    breaker=st.sampled_from([None, 0.5, 1.0]),
    max_time=st.sampled_from([None, 5.0, 50.0]),
    max_bytes=st.sampled_from([1_000_000, 1_000_000, 90, 200]),
)
@scaled(2)
def test_every_item_ends_in_exactly_one_place(
    count: int,
    data: st.DataObject,
    chunk_size: int,
    max_attempts: int,
    breaker: float | None,
    max_time: float | None,
    max_bytes: int,
) -> None:
    clock = Clock()
    not_json = data.draw(st.sets(st.integers(0, 29), max_size=4))
    items = [
        {"id": str(n % 25), "n": n, "pad": "x" * data.draw(st.sampled_from([0, 0, 30, 120])),
         **({"when": object()} if n in not_json else {})}
        for n in range(count)
    ]  # some ids repeat in the batch; some items cannot be JSON; some are larger than a chunk may be  # fmt: skip
    batch = Batch(
        iter(items),
        ms.BatchPolicy(chunk_size=chunk_size, max_attempts=max_attempts, breaker_threshold=breaker,
                       breaker_window=3, max_time=max_time, fallback_after=2, max_chunk_bytes=max_bytes),
        clock=clock,
        random=lambda: data.draw(st.floats(0, 0.999)),
    )  # fmt: skip

    def prepare(step: Send) -> tuple[bool, Any]:
        """The server's answer to *step* (drawn now) and how to report it (later, as a driver may)."""
        sent = json.loads(step.body)
        assert len(step.body) <= max_bytes or len(sent) == 1
        assert len(sent) <= chunk_size
        assert all(set(item) - {"idempotency_key"} == {"id", "n", "pad"} for item in sent)
        clock.now += 1
        kind = data.draw(whole)
        if kind == "no-answer":
            return False, lambda: batch.no_answer(step, "dropped")
        if kind != "multistatus":
            return False, lambda: batch.receive(step, status=kind, headers={"Retry-After": "1"}, document=None)
        responses = []
        for i in ids_of(step):
            code = data.draw(per_item)
            if code == "missing":
                continue
            if code in ("twice", "twice-differently"):
                responses.append(ms.Response(f"/items/{i}", status=201, id=i))
                code = 201 if code == "twice" else 500
            responses.append(ms.Response(f"/items/{i}", status=code, id=i))
        if data.draw(st.booleans()):
            responses.append(ms.Response("/items/stranger", status=201, id="stranger"))
        return True, lambda: batch.receive(step, status=207, headers={}, document=ms.MultiStatus(responses))

    # Driven as the sync driver does: while a 207 is being read, the next chunk may go ahead
    # (send_ahead), and that earlier answer is reported after the next one was sent.
    pending = None
    step = batch.next_step()
    for _ in range(10_000):
        if isinstance(step, Wait):
            assert step.seconds > 0
            clock.now += step.seconds
            step = batch.next_step()
            continue
        if step is None:
            break
        is_207, report = prepare(step)
        if pending is not None:
            pending()
            pending = None
        if is_207 and data.draw(st.booleans()) and (ahead := batch.send_ahead()) is not None:
            assert batch.progress().in_flight == len(json.loads(step.body)) + len(json.loads(ahead.body))
            pending, step = report, ahead
            continue
        report()
        assert batch.progress().done <= count
        step = batch.next_step()
    else:
        raise AssertionError("the batch never ended")
    out = batch.outcome()
    final = out.document.responses
    assert len(final) == count
    assert [r.id for r in final] == [item["id"] for item in items]
    dead = {id(d.item) for d in out.dead_letters}
    skipped = {id(item) for item in out.not_attempted}
    succeeded = {id(item) for item, r in zip(items, final, strict=True) if r.outcome == "succeeded"}
    assert len(dead) == len(out.dead_letters)
    assert len(skipped) == len(out.not_attempted)
    assert not (dead & skipped)
    assert not (dead & succeeded)
    assert not (skipped & succeeded)
    assert dead | skipped | succeeded == {id(item) for item in items}
    assert [d.item["n"] for d in out.dead_letters] == sorted(d.item["n"] for d in out.dead_letters)
    assert all(1 <= d.attempts <= max_attempts for d in out.dead_letters if d.response.error is None or
               d.response.error.code not in ("no_id", "not_json"))  # fmt: skip
    for item, response in zip(items, final, strict=True):  # refused before sending, whatever else happened
        if item["n"] in not_json and item["n"] not in skipped_n(out):
            assert (response.code, response.error and response.error.code) == (400, "not_json")
    assert out.stopped is None or out.not_attempted or out.dead_letters or not items
    progress = batch.progress()
    assert (progress.succeeded, progress.failed, progress.not_attempted) == (
        len(succeeded),
        len(dead),
        len(skipped),
    )


def skipped_n(out: ms.BatchOutcome[Any]) -> set[int]:
    return {item["n"] for item in out.not_attempted}


def test_a_pause_past_the_time_limit_stops_at_once() -> None:
    clock = Clock()
    batch = machine([{"id": "a"}, {"id": "b"}], clock, chunk_size=1, max_time=1)
    step = batch.next_step()
    assert isinstance(step, Send)
    batch.receive(step, status=503, headers={"Retry-After": "5"}, document=None)
    assert batch.next_step() is None  # no 5 s wait for nothing: the limit is 1 s
    out = batch.outcome()
    assert out.stopped == "the time limit of 1s was reached"
    assert [r.code for r in out.document.responses] == [503, 424]


def test_409_with_retry_after_and_a_retryable_predicate() -> None:
    clock = Clock()
    batch = Batch(
        [{"id": "a"}, {"id": "b"}],
        ms.BatchPolicy(retryable=lambda r: r.code == 418),
        clock=clock,
        random=lambda: 0.0,
    )
    sent: list[list[str]] = []

    def answer(batch: Batch[Any], step: Send) -> None:
        sent.append(ids_of(step))
        given = {"a": (409, "1"), "b": (418, None)} if len(sent) == 1 else {"a": (201, None), "b": (201, None)}
        doc = ms.MultiStatus(
            [
                ms.Response(
                    f"/items/{i}",
                    status=given[i][0],
                    id=i,
                    headers={"retry-after": given[i][1]} if given[i][1] else None,
                )
                for i in ids_of(step)
            ]
        )
        batch.receive(step, status=207, headers={}, document=doc)

    assert run(batch, clock, answer).ok
    assert sent == [["a", "b"], ["b"], ["a"]]  # b at once (no jitter drawn), a after its Retry-After


def test_an_id_no_document_can_carry_still_gets_a_response() -> None:
    out = run(
        machine([{"id": "a\x00b"}], max_attempts=1),
        Clock(),
        lambda b, s: b.receive(s, status=207, headers={}, document=ms.MultiStatus()),
    )
    (response,) = out.document.responses
    assert (response.href, response.code, response.id, response.error.code) == ("a%00b", 502, None, "missing")  # type: ignore[union-attr]


def test_policy_values_are_checked_and_a_good_outcome_raises_nothing() -> None:
    for bad in ({"backoff": -1}, {"max_time": -1.0}, {"breaker_threshold": 0.0}, {"breaker_threshold": 1.5}):
        with pytest.raises(ValueError, match="BatchPolicy"):
            ms.BatchPolicy(**bad)
    out = run(machine([{"id": "a"}]), Clock(), answer_all)
    assert out.raise_for_failures() is None


def test_headers_of_any_response_object() -> None:
    from multistatus._client._headers import header_value, headers_of

    class Raw:
        headers: ClassVar[dict[object, object]] = {b"Retry-After": b"4", "X-A": "1", 3: "x"}

    class Plain:
        headers: ClassVar[dict[str, object]] = {"RETRY-AFTER": "5", "Date": b"Mon"}

    assert headers_of(Raw()) == {"retry-after": "4", "x-a": "1"}
    assert headers_of(object()) == {}
    assert ms.retry_after(Plain()) == 5.0
    assert header_value(Plain(), "date") == "Mon"
    assert ms.retry_after(object()) is None
