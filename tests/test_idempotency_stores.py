"""The idempotency stores against real back ends: memory, an SQLite file shared by processes, a real redis-server.

The redis-server binary (Debian package ``redis-server``) is started by a
fixture on a free loopback port and stopped by its PID; without it those tests
are skipped, and say so.
"""

from __future__ import annotations

import collections
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import multistatus as ms
from multistatus.idempotency import (
    Answer,
    Claim,
    Idempotency,
    InFlight,
    ItemClaims,
    MemoryStore,
    Replay,
    Run,
    SQLiteStore,
    Store,
    claim_items,
)
from tests.redis_support import redis_server

KINDS = ["memory", "sqlite", "redis"]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server on a free loopback port, for this module, stopped by its PID at the end."""
    yield from redis_server()


@pytest.fixture(params=KINDS)
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """A factory of stores of one kind (each call: a new client on the same data)."""
    made: list[object] = []
    prefix = f"t{random.getrandbits(48)}:"  # (a fresh key space per test on the shared server)

    def factory(**kwargs: object) -> Store:
        if request.param == "memory":
            store: Store = made[0] if made else MemoryStore(**kwargs)  # type: ignore[arg-type]
        elif request.param == "sqlite":
            store = SQLiteStore(tmp_path / "keys.db", **kwargs)  # type: ignore[arg-type]
        else:
            from multistatus.idempotency import RedisStore

            store = RedisStore(request.getfixturevalue("redis_url"), prefix=prefix, **kwargs)  # type: ignore[arg-type]
        made.append(store)
        return store

    yield factory
    for store in made:
        close = getattr(store, "close", None)
        if close is not None:
            close()


# -- the protocol, on each store ------------------------------------------------------


def test_claim_complete_read_release(make: Callable[..., Store]) -> None:
    store = make()
    assert isinstance(store, Store)
    assert store.read("k") is None
    won = store.claim("k", "fp1", "o1", 30)
    assert won == Claim(True, "fp1", None, 30.0)
    other = store.claim("k", "fp2", "o2", 30)
    assert (other.won, other.fingerprint, other.answer, other.running) == (False, "fp1", None, True)
    assert 25 < other.lease_left <= 30
    assert not store.complete("k", "fp1", "o2", b"theirs")
    assert not store.release("k", "o2")
    assert store.extend("k", "o1", 60)
    assert not store.extend("k", "o2", 60)
    assert not store.complete("k", "fp2", "o1", b"another payload's")  # (the claim is o1's with fp1)
    assert store.complete("k", "fp1", "o1", b"ours\n\x00\xff")
    assert not store.complete("k", "fp1", "o1", b"again")
    done = store.claim("k", "fp1", "o3", 30)
    assert (done.won, done.answer, done.lease_left, done.completed) == (False, b"ours\n\x00\xff", 0.0, True)
    assert store.read("k") == done
    assert not store.release("k", "o1")  # (an answer is not released)
    assert not store.extend("k", "o1", 5)
    assert store.claim("k2", "fp", "o1", 30).won
    assert store.release("k2", "o1")
    assert store.read("k2") is None
    assert store.claim("k2", "fp", "o4", 30).won


def test_many_variants(make: Callable[..., Store]) -> None:
    store = make()
    assert store.claim_many([], "o", 30) == []
    assert store.complete_many([], "o") == []
    assert store.release_many([], "o") == []
    store.claim("b", "fb", "other", 30)
    claims = store.claim_many([("a", "fa"), ("b", "fb"), ("c", "fc")], "o", 30)
    assert [c.won for c in claims] == [True, False, True]
    assert store.complete_many([("a", "fa", b"A"), ("b", "fb", b"B")], "o") == [True, False]
    assert store.release_many(["a", "c", "zz"], "o") == [False, True, False]
    assert [c.answer for c in store.claim_many([("a", "fa"), ("c", "fc")], "p", 30)] == [b"A", None]


def test_a_lapsed_lease_is_taken_over_and_the_old_owner_cannot_overwrite(make: Callable[..., Store]) -> None:
    """Powertools' mistake: the final write of a request whose lease lapsed must not land."""
    store = make()
    assert store.claim("k", "fp", "slow", 0.15).won
    time.sleep(0.3)
    assert store.read("k") is None
    assert not store.extend("k", "slow", 30)
    assert store.claim("k", "fp", "next", 30).won
    assert not store.complete("k", "fp", "slow", b"late")
    assert not store.release("k", "slow")
    assert store.complete("k", "fp", "next", b"first")
    assert store.read("k").answer == b"first"  # type: ignore[union-attr]


def test_a_lapsed_lease_nobody_took_is_not_completed_either(make: Callable[..., Store]) -> None:
    store = make()
    store.claim("k", "fp", "slow", 0.1)
    time.sleep(0.25)
    assert not store.complete("k", "fp", "slow", b"late")
    assert store.claim("k", "fp", "retry", 30).won


def test_answers_are_kept_for_the_retention_period(make: Callable[..., Store]) -> None:
    store = make(retention=0.2)
    assert store.retention == 0.2
    store.claim("k", "fp", "o", 30)
    store.complete("k", "fp", "o", b"A")
    assert store.read("k") is not None
    time.sleep(0.35)
    assert store.read("k") is None
    assert store.claim("k", "fp", "o2", 30).won


def test_sixteen_threads_with_one_key_run_it_once(make: Callable[..., Store]) -> None:
    """16 concurrent requests, one key: one runs, the others get 409; after it completes, the replay."""
    idem = Idempotency(make(), lease=30)
    barrier = threading.Barrier(16)
    outcomes: list[object] = []
    runs = []

    def request() -> None:
        barrier.wait()
        outcome = idem.begin("POST", "/batch", key='"one"', body=b"[1]")
        outcomes.append(outcome)
        if isinstance(outcome, Run):
            runs.append(outcome)
            time.sleep(0.05)
            outcome.complete(Answer.of(ms.MultiStatus([ms.Response("/items/1", status=201)]), status=207))

    threads = [threading.Thread(target=request) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(runs) == 1
    assert all(isinstance(o, (Run, InFlight, Replay)) for o in outcomes)
    assert sum(isinstance(o, InFlight) for o in outcomes) >= 1
    after = [idem.begin("POST", "/batch", key="one", body=b"[1]") for _ in range(16)]
    assert all(isinstance(o, Replay) and o.reply().header("Idempotent-Replayed") == "true" for o in after)


def _serve_batches(store: Store, rounds: int, rng: random.Random, saves: collections.Counter[str]) -> None:
    """One client: 1,000 items, resent *rounds* times in overlapping windows, with dropped answers."""
    items = [{"idempotency_key": f"item-{i}", "n": i} for i in range(1000)]
    for _ in range(rounds):
        start = rng.randrange(0, 600)
        batch = items[start : start + rng.randrange(300, 1000)]
        claims = claim_items(batch, store)
        responses = {}
        for i in claims.run:
            saves[str(batch[i]["idempotency_key"])] += 1
            responses[i] = ms.Response(f"/items/{batch[i]['n']}", status=201)
        if rng.random() < 0.2:
            dropped = set(rng.sample(sorted(responses), len(responses) // 3))  # the worker died before keeping these
            claims.complete({i: r for i, r in responses.items() if i not in dropped}, release_rest=False)
            for i in dropped:  # (what a died worker did is undone by whoever runs it next: count it as unsaved)
                saves[str(batch[i]["idempotency_key"])] -= 1
            claims.store.release_many([claims.keys[i] for i in dropped], claims.owner)
        else:
            claims.complete(responses)
    while True:  # full resends until nothing is in flight: everything replays, or runs once if it never ran
        claims = claim_items(items, store)
        for i in claims.run:
            saves[str(items[i]["idempotency_key"])] += 1
        claims.complete({i: ms.Response(f"/items/{i}", status=201) for i in claims.run})
        if not claims.refused:
            break
        assert all(isinstance(r, InFlight) for r in claims.refused.values())
        time.sleep(0.01)


def test_a_thousand_items_resent_with_overlapping_keys_are_each_saved_once(make: Callable[..., Store]) -> None:
    store = make()
    saves: collections.Counter[str] = collections.Counter()
    _serve_batches(store, 5, random.Random(25), saves)
    assert len(saves) == 1000
    assert set(saves.values()) == {1}
    assert len(claim_items([{"idempotency_key": "item-7", "n": 7}], store).replayed) == 1


def test_four_clients_resending_the_same_batch_concurrently_save_each_item_once(make: Callable[..., Store]) -> None:
    store = make()
    saves: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()

    class LockedCounter(collections.Counter[str]):
        def __setitem__(self, key: str, value: int) -> None:
            with lock:
                super().__setitem__(key, value)

    counted = LockedCounter()
    threads = [threading.Thread(target=_serve_batches, args=(store, 3, random.Random(n), counted)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saves.update(counted)
    assert len(saves) == 1000
    assert set(saves.values()) == {1}


# -- the memory store's sweep ---------------------------------------------------------


def test_the_memory_store_sweeps_expired_entries_as_it_is_used() -> None:
    now = [0.0]
    store = MemoryStore(retention=10, clock=lambda: now[0])
    for i in range(200):
        store.claim(f"k{i}", "fp", "o", 5)
        store.extend(f"k{i}", "o", 6)  # (a renewal leaves a stale heap entry behind)
    assert len(store) == 200
    now[0] = 7.0
    for _ in range(4):
        store.claim("fresh", "fp", "o", 5)
    assert len(store) == 1


# -- SQLite across processes ----------------------------------------------------------

_WORKER = textwrap.dedent(
    """
    import sys, threading, time
    from multistatus.idempotency import SQLiteStore
    path, start, lease, threads = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    store = SQLiteStore(path)
    won = []
    def claim(n):
        while time.time() < start:
            time.sleep(0.001)
        if store.claim("shared", "fp", f"{sys.argv[5]}-{n}", lease).won:
            won.append(n)
    ts = [threading.Thread(target=claim, args=(n,)) for n in range(threads)]
    for t in ts: t.start()
    for t in ts: t.join()
    print(len(won))
    """
)


def _workers(path: Path, count: int, threads: int, lease: float) -> list[int]:
    start = time.time() + 1.5  # (the interpreters start first, then all claim at once)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), str(start), str(lease), str(threads), f"p{n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    return [int(p.communicate(timeout=60)[0]) for p in procs]


def test_sqlite_processes_sharing_one_file_claim_a_key_once(tmp_path: Path) -> None:
    """Two processes of eight threads each claim one key at the same moment: exactly one wins."""
    path = tmp_path / "shared.db"
    SQLiteStore(path).close()
    assert sum(_workers(path, 2, 8, 30)) == 1
    store = SQLiteStore(path)
    seen = store.read("shared")
    assert seen is not None
    assert seen.running
    store.close()


def test_sqlite_a_crashed_processes_lease_lapses_and_another_process_runs_it(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    assert _workers(path, 1, 1, 0.3) == [1]  # it claims, then exits without completing
    store = SQLiteStore(path)
    assert not store.claim("shared", "fp", "me", 30).won
    time.sleep(0.5)
    assert sum(_workers(path, 2, 8, 30)) == 1  # after the lease: one retry runs it, once
    store.close()


def test_sqlite_after_fork_a_process_opens_its_own_connection(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "k.db")
    store.claim("a", "fp", "o", 30)
    store._local.pid = -1  # (as a forked child sees it: the connection belongs to another process)
    assert store.read("a") is not None
    store.close()


def test_sqlite_rolls_back_a_failed_transaction(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "k.db")
    with pytest.raises(sqlite3.ProgrammingError):
        store.claim_many([("a", "fp"), ("b", object())], "o", 30)  # type: ignore[list-item]
    assert store.read("a") is None
    store.close()


@pytest.mark.parametrize(
    ("path", "table", "message"),
    [
        pytest.param(":memory:", "t", "':memory:'", id="memory"),
        pytest.param("", "t", "':memory:'", id="empty"),
        pytest.param("k.db", "t; DROP", "letters, digits", id="table-name"),
    ],
)
def test_sqlite_refuses_what_it_cannot_share(tmp_path: Path, path: str, table: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SQLiteStore(str(tmp_path / path) if path == "k.db" else path, table=table)


# -- Redis specifics ------------------------------------------------------------------


def test_redis_refuses_a_fingerprint_of_two_lines(redis_url: str) -> None:
    from multistatus.idempotency import RedisStore

    store = RedisStore(redis_url)
    with pytest.raises(ValueError, match="one line"):
        store.claim("k", "a\nb", "o", 30)
    store.close()


def test_redis_store_takes_a_client(redis_url: str) -> None:
    import redis

    from multistatus.idempotency import RedisStore

    client = redis.Redis.from_url(redis_url)
    store = RedisStore(client, prefix="{idem}:")
    assert store.claim("k", "fp", "o", 30).won
    assert client.get("{idem}:k") == b"cfp\no"
    assert store.release("k", "o")
    store.close()


def test_the_redis_stores_refuse_a_client_that_decodes_replies(redis_url: str) -> None:
    """A client made with decode_responses=True would hand a stored answer back as text: both
    Redis stores refuse it when made, instead of failing on the key's second request."""
    import redis

    from multistatus.idempotency import RedisStore
    from multistatus.jobs import RedisJobStore

    text_client = redis.Redis.from_url(redis_url, decode_responses=True)
    for make_store in (RedisStore, RedisJobStore):
        with pytest.raises(ValueError, match="decode_responses=True"):
            make_store(text_client)
        with pytest.raises(ValueError, match="decode_responses=True"):
            make_store(redis_url + "?decode_responses=true")
    text_client.close()


def test_the_redis_store_is_imported_on_first_use() -> None:
    code = (
        "import sys, multistatus.idempotency as i\n"
        "print('redis' in sys.modules)\n"
        "print(i.RedisStore.__module__, 'redis' in sys.modules)\n"
        "try:\n    i.nothing\nexcept AttributeError:\n    print('AttributeError')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "multistatus.idempotency", "True", "AttributeError"]


def _commands_sent(redis_url: str, action: Callable[[], object]) -> list[str]:
    """The commands clients sent to the server while *action* ran, as its ``MONITOR`` saw them.

    Commands a Lua script ran inside the server are left out: each command kept is one
    request from a client, so the list is the round trips (no client here pipelines).
    """
    import redis

    watcher, marker = redis.Redis.from_url(redis_url), f"end-{random.getrandbits(48)}"
    sender = redis.Redis.from_url(redis_url)
    sender.ping()  # (connected before: its handshake is not seen)
    seen: list[str] = []
    try:
        with watcher.monitor() as monitor:
            action()
            sender.echo(marker)
            for entry in monitor.listen():
                if marker in entry["command"]:
                    break
                if entry["client_type"] != "lua":
                    seen.append(entry["command"].split()[0].upper())
    finally:
        sender.close()
        watcher.close()
    return seen


def test_redis_a_keyed_request_is_two_commands_a_replay_one(redis_url: str) -> None:
    import io

    from multistatus.idempotency import RedisStore
    from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

    def batch(environ: dict[str, object], start_response: Callable[..., object]) -> object:
        results = get_results(environ)
        for i, _ in results.claimed([{"n": 1}, {"n": 2}], href=lambda item, i: f"/items/{i}"):
            results.record_success(f"/items/{i}", status=201)
        return respond(environ, start_response)

    store = RedisStore(redis_url, prefix=f"t{random.getrandbits(48)}:")
    app = MultiStatusMiddleware(batch, idempotency=Idempotency(store))
    statuses: list[str] = []

    def send(key: str) -> None:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/batch", "CONTENT_TYPE": "application/json",
                   "CONTENT_LENGTH": "2", "wsgi.input": io.BytesIO(b"[]"), "HTTP_IDEMPOTENCY_KEY": key}  # fmt: skip
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))  # type: ignore[arg-type]

    send("warm-up")  # (the scripts are loaded on first use: SCRIPT LOAD once per server)
    assert _commands_sent(redis_url, lambda: send("k1")) == ["EVALSHA", "EVALSHA"]  # claim, complete
    assert _commands_sent(redis_url, lambda: send("k1")) == ["EVALSHA"]  # the claim finds the answer
    assert [s[:3] for s in statuses] == ["207", "207", "207"]
    store.close()


def test_redis_items_are_claimed_and_completed_in_one_command_each(redis_url: str) -> None:
    from multistatus.idempotency import RedisStore

    store = RedisStore(redis_url, prefix=f"t{random.getrandbits(48)}:")
    items = [{"idempotency_key": f"i{n}", "n": n} for n in range(50)]
    store.claim("warm-up", "fp", "o", 1)
    store.complete("warm-up", "fp", "o", b"")
    done: list[ItemClaims] = []
    assert _commands_sent(redis_url, lambda: done.append(claim_items(items, store))) == ["EVALSHA"]
    answers = {i: ms.Response(f"/items/{i}", status=201) for i in done[0].run}
    assert _commands_sent(redis_url, lambda: done[0].complete(answers)) == ["EVALSHA"]
    again = claim_items(items, store)
    assert again.run == ()
    assert len(again.replayed) == 50
    store.close()


def test_redis_keeps_an_answer_at_its_size(redis_url: str) -> None:
    """The finished entry is set whole: one grown by APPEND kept up to twice its size allocated."""
    import redis

    from multistatus.idempotency import RedisStore

    prefix = f"t{random.getrandbits(48)}:"
    store = RedisStore(redis_url, prefix=prefix)
    answer = bytes(range(256)) * 48  # 12 KiB, as a 100-item batch's answer
    assert store.claim("k", "f" * 64, "o", 30).won
    assert store.complete("k", "f" * 64, "o", answer)
    assert store.read("k") == Claim(False, "f" * 64, answer, 0.0)
    used = redis.Redis.from_url(redis_url).memory_usage(prefix + "k")
    assert used is not None
    assert len(answer) < used < len(answer) * 1.5  # (the allocator rounds up; grown, it was over 2x)
    store.close()


def test_redis_loads_its_scripts_again_when_the_server_lost_them(redis_url: str) -> None:
    import redis

    from multistatus.idempotency import RedisStore

    store = RedisStore(redis_url, prefix=f"t{random.getrandbits(48)}:")
    assert store.claim("k", "fp", "o", 30).won
    redis.Redis.from_url(redis_url).script_flush()  # (as a restarted server, or SCRIPT FLUSH, would)
    seen = _commands_sent(redis_url, lambda: store.complete("k", "fp", "o", b"answer"))
    assert seen == ["EVALSHA", "SCRIPT", "EVALSHA"]  # NOSCRIPT, loaded, run
    assert store.read("k") == Claim(False, "fp", b"answer", 0.0)
    store.close()
