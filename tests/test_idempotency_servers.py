"""Idempotency keys against real servers and real stores: exactly once, under concurrency, crashes and drops.

The servers are separate processes on free loopback ports (the demo, ``python -m
multistatus demo``, and ``tests/idempotency_server.py``, the same batch endpoint with a
larger quota and an item that hangs), stopped by their PID.  Two processes share one
SQLite file, or one real ``redis-server`` (started by the fixture of
tests/test_idempotency_stores.py; the Redis cases skip, and say so, without it).
Executions are counted from outside, at ``GET /batch/items``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import etree

import multistatus as ms
from multistatus.idempotency import Idempotency, MemoryStore
from tests.test_idempotency_stores import redis_url  # noqa: F401 - the fixture, shared

SERVER = str(Path(__file__).with_name("idempotency_server.py"))
pytestmark = pytest.mark.slow

Started = Callable[..., str]
#: Base URL -> the PID of the server process listening there.
PIDS: dict[str, int] = {}


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Started]:
    """Start server processes (stopped by PID at the end); each call returns its base URL."""
    procs: list[subprocess.Popen[str]] = []

    def run(args: list[str]) -> str:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        procs.append(proc)
        watchdog = threading.Timer(60, proc.kill)  # (a server that never says where it listens)
        watchdog.start()
        try:
            line = proc.stdout.readline() if proc.stdout is not None else ""
        finally:
            watchdog.cancel()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found is None:
            raise RuntimeError(f"the server did not start: {line!r}")
        PIDS[found.group()] = proc.pid
        return found.group()

    def factory(
        kind: str, data: Path, store: str, *, lease: float = 30, quota: int = 10_000, hang: bool = False
    ) -> str:
        if kind == "demo":
            args = [sys.executable, "-m", "multistatus", "demo", "--port", "0", "--data", str(data)]
            return run([*args, "--store", store, "--lease", str(lease)])
        return run([sys.executable, SERVER, str(data), store, str(lease), str(quota), *(["hang"] if hang else [])])

    yield factory
    for proc in procs:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a server that ignores SIGTERM
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def store_url(kind: str, request: pytest.FixtureRequest, data: Path) -> str:
    if kind == "memory":
        return "memory:"
    if kind == "sqlite":
        return f"sqlite:{data / 'keys.sqlite'}"
    base = request.getfixturevalue("redis_url")
    db = random.randrange(1, 16)  # (a database of its own per test: keys never meet another test's)
    return base.rsplit("/", 1)[0] + f"/{db}"


def post(base: str, items: list[Any], headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    data = json.dumps(items, separators=(",", ":")).encode()
    req = urllib.request.Request(
        f"{base}/batch", data=data, method="POST", headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def saves(base: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base}/batch/items", timeout=30) as resp:
        return {entry["id"]: entry["saves"] for entry in json.loads(resp.read())}


def drop(base: str, items: list[Any]) -> None:
    """Send the batch and hang up before the answer: the client never learns what happened."""
    data = json.dumps(items, separators=(",", ":")).encode()
    url = urlsplit(base)
    head = (
        f"POST /batch HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head + data)


# -- one request key, sixteen at once ---------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", "sqlite", "redis"])
def test_sixteen_concurrent_requests_with_one_key_run_the_batch_once(
    kind: str, start: Started, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = store_url(kind, request, tmp_path)
    # Two demo processes share the data folder and the store; memory is one process's only.
    bases = [start("demo", tmp_path, store) for _ in range(1 if kind == "memory" else 2)]
    items = [{"id": f"c{i}", "name": f"item {i}"} for i in range(10)]
    key = {"Idempotency-Key": f'"{random.getrandbits(64):x}"'}
    barrier = threading.Barrier(16)
    answers: list[tuple[int, Any, bytes]] = []

    def client(n: int) -> None:
        barrier.wait(30)
        answers.append(post(bases[n % len(bases)], items, key))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 16
    ran = [a for a in answers if a[0] == 207 and a[1]["Idempotent-Replayed"] is None]
    replayed = [a for a in answers if a[0] == 207 and a[1]["Idempotent-Replayed"] == "true"]
    refused = [a for a in answers if a[0] == 409]
    assert len(ran) == 1
    assert len(ran) + len(replayed) + len(refused) == 16
    for _, headers, body in refused:
        assert headers["Content-Type"] == "application/problem+json"
        assert int(headers["Retry-After"]) >= 1
        assert json.loads(body)["title"] == "A request is outstanding for this Idempotency-Key"
    for _, _, body in replayed:
        assert ms.from_json(body) == ms.from_json(ran[0][2])
    counted = [saves(base) for base in bases]
    assert all(c == counted[0] for c in counted)  # (every process sees the one list)
    assert counted[0] == {f"c{i}": 1 for i in range(7)}  # (the demo's quota: seven saved, once each)


# -- a worker killed mid-request --------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_worker_killed_mid_request_is_run_once_by_a_retry_after_the_lease(
    kind: str, start: Started, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = store_url(kind, request, tmp_path)
    lease = 2.0
    doomed = start("script", tmp_path, store, lease=lease, hang=True)
    survivor = start("script", tmp_path, store, lease=lease)
    items = [{"id": "h", "name": "hang"}, {"id": "k", "name": "kept"}]
    key = {"Idempotency-Key": f'"{random.getrandbits(64):x}"'}

    def first() -> None:
        with contextlib.suppress(OSError):  # (its server is killed under it: the connection resets)
            post(doomed, items, key)

    threading.Thread(target=first, daemon=True).start()
    deadline = time.monotonic() + 30
    while not (tmp_path / "entered").exists():
        assert time.monotonic() < deadline, "the first request never reached the hanging item"
        time.sleep(0.02)
    os.kill(PIDS[doomed], signal.SIGKILL)
    status, headers, _ = post(survivor, items, key)
    assert status == 409  # (the dead request's lease still holds the key)
    assert int(headers["Retry-After"]) <= lease
    answers = []
    deadline = time.monotonic() + 30
    while status == 409:
        assert time.monotonic() < deadline, "the lease never lapsed"
        time.sleep(0.2)
        status, headers, _ = post(survivor, items, key)
        answers.append((status, headers.get("Idempotent-Replayed")))
    assert answers[-1] == (207, None)  # (the retry after the lease ran it)
    assert post(survivor, items, key)[1]["Idempotent-Replayed"] == "true"
    assert saves(survivor) == {"h": 1, "k": 1}


# -- per-item keys, a thousand items, resent with drops ---------------------------------


@pytest.mark.parametrize("kind", ["memory", "sqlite", "redis"])
def test_a_thousand_items_resent_five_times_with_drops_are_each_saved_once(
    kind: str, start: Started, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = store_url(kind, request, tmp_path)
    bases = [start("script", tmp_path, store, lease=5) for _ in range(1 if kind == "memory" else 2)]
    rng = random.Random(25)
    prefix = f"{random.getrandbits(32):x}-"
    items = [{"id": str(i), "name": f"n{i}", "idempotency_key": f"{prefix}{i}"} for i in range(1000)]
    outcome: dict[str, tuple[int, bool]] = {}  # id -> the last answer seen: (status, replayed)
    lock = threading.Lock()

    def send(chunk: list[Any], dropped: bool) -> None:
        base = rng.choice(bases)
        if dropped:
            drop(base, chunk)
            return
        status, _, body = post(base, chunk)
        assert status == 207, body
        with lock:
            for r in ms.from_json(body):
                outcome[r.id or ""] = (r.status_code, r.replayed)

    for _ in range(4):  # four rounds: overlapping chunks, at once, a third of them dropped
        order = rng.sample(items, len(items))
        chunks, at = [], 0
        while at < len(order):
            size = rng.randrange(100, 300)
            chunks.append(order[max(0, at - 40) : at + size])  # (40 items shared with the chunk before)
            at += size
        threads = [threading.Thread(target=send, args=(c, rng.random() < 0.3)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    deadline = time.monotonic() + 60
    while True:  # the fifth: everything again, until no item is still in flight from a dropped request
        for n in range(0, 1000, 250):
            send(items[n : n + 250], False)
        if all(outcome[str(i)][0] == 201 for i in range(1000)):
            break
        assert time.monotonic() < deadline, "items stayed in flight"
        time.sleep(0.2)
    assert saves(bases[0]) == {str(i): 1 for i in range(1000)}
    assert sum(replayed for _, replayed in outcome.values()) > 0


# -- the three refusals, in the draft's words --------------------------------------------

DRAFT = {  # draft-ietf-httpapi-idempotency-key-header, "Error Scenarios"
    400: (
        "Idempotency-Key is missing",
        "This operation is idempotent and it requires correct usage of Idempotency Key.",
    ),
    409: (
        "A request is outstanding for this Idempotency-Key",
        "A request with the same Idempotency-Key for the same operation is being processed or is outstanding.",
    ),
    422: (
        "Idempotency-Key is already used",
        "This operation is idempotent and it requires correct usage of Idempotency Key. "
        "Idempotency Key MUST not be reused across different payloads of this operation.",
    ),
}
POLICY = "https://developer.example.com/idempotency"


@pytest.mark.parametrize("accept", ["application/problem+json", "application/problem+xml"])
def test_the_three_refusals_in_the_drafts_words(accept: str, start: Started, tmp_path: Path) -> None:
    from werkzeug.serving import make_server

    from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

    gate = threading.Event()
    entered = threading.Event()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        entered.set()
        gate.wait(30)
        get_results(environ).record_success("/items/1", status=201)
        return respond(environ, start_response)

    idem = Idempotency(MemoryStore(), required=True, policy=POLICY)
    server = make_server("127.0.0.1", 0, MultiStatusMiddleware(app, idempotency=idem), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        got = {400: post(base, [1], {"Accept": accept})}
        key = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"', "Accept": accept}
        first = threading.Thread(target=lambda: post(base, [1], key))
        first.start()
        assert entered.wait(30)
        got[409] = post(base, [1], key)
        gate.set()
        first.join(30)
        got[422] = post(base, [2], key)
    finally:
        gate.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
    for status, (title, detail) in DRAFT.items():
        code, headers, body = got[status]
        assert code == status
        assert headers["Link"] == f'<{POLICY}>; rel="describedby"'
        if accept == "application/problem+json":
            assert headers["Content-Type"] == "application/problem+json"
            problem = json.loads(body)
        else:
            assert headers["Content-Type"].startswith("application/problem+xml")
            root = etree.fromstring(body)
            assert root.tag == "{urn:ietf:rfc:7807}problem"
            problem = {etree.QName(el).localname: el.text for el in root}
        assert problem["type"] == POLICY
        assert problem["title"] == title
        assert str(problem["status"]) == str(status)
        assert problem["detail"].startswith(detail)
    assert got[409][1]["Retry-After"].isdigit()


def test_the_demo_opens_a_redis_store_from_its_url(redis_url: str, tmp_path: Path) -> None:  # noqa: F811
    from multistatus.demo._saved import open_store
    from multistatus.idempotency import RedisStore

    store = open_store(redis_url, tmp_path)
    assert isinstance(store, RedisStore)
    try:
        assert store.claim(f"t{random.getrandbits(48)}", "fp", "owner", 5).won
    finally:
        store.close()
