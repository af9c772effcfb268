"""The job stores against real back ends: memory, an SQLite file, a real redis-server (the JobStore rules)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from multistatus.jobs import JobStore, MemoryJobStore, SQLiteJobStore
from tests.redis_support import redis_server

KINDS = ["memory", "sqlite", "redis"]
#: Short enough to lapse within a test; real time, so every store (Redis reads its own clock) is tested alike.
SHORT = 0.2


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    yield from redis_server()


@pytest.fixture(params=KINDS)
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., JobStore]]:
    made: list[object] = []
    prefix = f"t{random.getrandbits(48)}:"

    def factory(**kwargs: float) -> JobStore:
        if request.param == "memory":
            store: JobStore = made[0] if made else MemoryJobStore(**kwargs)  # type: ignore[assignment]
        elif request.param == "sqlite":
            store = SQLiteJobStore(tmp_path / "jobs.db", **kwargs)
        else:
            from multistatus.jobs import RedisJobStore

            store = RedisJobStore(request.getfixturevalue("redis_url"), prefix=prefix, **kwargs)
        made.append(store)
        return store

    yield factory
    for store in made:
        close = getattr(store, "close", None)
        if close is not None:
            close()


def test_create_claim_record_finish_read(make: Callable[..., JobStore]) -> None:
    store = make()
    assert isinstance(store, JobStore)
    assert store.read("j") is None
    store.create("j", b'["a","b"]', 2)
    fresh = store.read("j")
    assert fresh is not None
    assert (fresh.state, fresh.total, fresh.done, fresh.answers, fresh.payload) == (
        "not-started",
        2,
        0,
        (),
        b'["a","b"]',
    )
    claimed = store.claim("j", "o1", 30)
    assert claimed is not None
    assert claimed.done == 0
    assert store.claim("j", "o2", 30) is None  # held
    assert store.record("j", "o2", 0, [b"x"], 30) == "lost"  # not the holder
    assert store.record("j", "o1", 1, [b"x"], 30) == "lost"  # not the next item
    assert store.record("j", "o1", 0, [b"1"], 30) == "ok"
    assert store.record("j", "o1", 1, [b"2"], 30) == "ok"
    running = store.read("j")
    assert running is not None
    assert (running.state, running.done, running.answers, running.lapsed) == ("running", 2, (b"1", b"2"), False)
    assert running.lease_left > 0
    assert store.read("j", answers=False).answers == ()  # type: ignore[union-attr]
    assert store.read("j", answers=False).done == 2  # type: ignore[union-attr]
    assert not store.finish("j", "o2", "succeeded")
    assert not store.finish("j", "o1", "running")  # type: ignore[arg-type]
    assert store.finish("j", "o1", "succeeded")
    ended = store.read("j")
    assert ended is not None
    assert (ended.state, ended.terminal, ended.gone, ended.answers) == ("succeeded", True, False, (b"1", b"2"))
    assert store.claim("j", "o3", 30) is None  # ended: nothing to run
    assert store.cancel("j").state == "succeeded"  # type: ignore[union-attr]  # ended: nothing changes


def test_a_lapsed_lease_lets_another_runner_resume_from_the_last_item(make: Callable[..., JobStore]) -> None:
    store = make()
    store.create("j", b"[]", 3)
    assert store.claim("j", "dead", SHORT) is not None
    assert store.record("j", "dead", 0, [b"1"], SHORT) == "ok"
    time.sleep(SHORT * 2)
    lapsed = store.read("j")
    assert lapsed is not None
    assert lapsed.lapsed
    resumed = store.claim("j", "alive", 30)
    assert resumed is not None
    assert (resumed.done, resumed.answers) == (1, (b"1",))
    assert store.record("j", "dead", 1, [b"late"], 30) == "lost"  # the dead runner cannot write over its successor
    assert store.finish("j", "dead", "failed") is False
    assert store.record("j", "alive", 1, [b"2", b"3"], 30) == "ok"
    assert store.finish("j", "alive", "succeeded")
    assert store.read("j").answers == (b"1", b"2", b"3")  # type: ignore[union-attr]


def test_cancel_stops_an_idle_job_at_once_and_asks_a_running_one(make: Callable[..., JobStore]) -> None:
    store = make()
    store.create("idle", b"[]", 2)
    idle = store.cancel("idle")
    assert idle is not None
    assert (idle.state, idle.cancel_requested) == ("canceled", True)
    assert store.claim("idle", "o", 30) is None
    store.create("busy", b"[]", 3)
    store.claim("busy", "o", 30)
    busy = store.cancel("busy")
    assert busy is not None
    assert (busy.state, busy.cancel_requested) == ("running", True)
    assert store.record("busy", "o", 0, [b"1"], 30) == "canceled"
    assert store.finish("busy", "o", "canceled")
    assert store.cancel("nope") is None


def test_results_are_kept_for_the_retention_then_a_tombstone_says_gone(make: Callable[..., JobStore]) -> None:
    store = make(retention=SHORT)
    store.create("j", b"[1]", 1)
    store.claim("j", "o", 30)
    store.record("j", "o", 0, [b"1"], 30)
    store.finish("j", "o", "succeeded")
    assert store.read("j").gone is False  # type: ignore[union-attr]
    time.sleep(SHORT * 1.5)
    gone = store.read("j")
    assert gone is not None
    assert (gone.gone, gone.answers, gone.payload) == (True, (), b"")
    store.create("other", b"[]", 0)  # (a create sweeps what expired)
    time.sleep(SHORT * 1.5)
    store.create("another", b"[]", 0)
    assert store.read("j") is None  # the tombstone went too, after another retention period
