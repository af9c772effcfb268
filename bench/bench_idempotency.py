"""Requests per second of a 100-item batch with ``Idempotency-Key``: this library's stores vs no keys vs the peers.

Not a test: run ``python bench/bench_idempotency.py`` in a virtual environment
that has, besides ``multistatus[redis]``, the peers and their frameworks
(bench-only, never dependencies of the package)::

    pip install -e ".[redis]" asgi-idempotency-header fastapi starlette django django-redis django-idempotency-key

``redis-server`` must be on ``PATH``: the script starts one on a free loopback
port and stops it at the end.  Every application answers the same batch: 100
JSON items in, each recorded as 201 in the collector, the multistatus JSON out.
Each request carries a new key, so every request is a first execution: the key
is claimed, the batch runs, the answer is stored (a replay is the other path,
timed on its own line).  All applications are called in process (WSGI and
ASGI callables, Django middleware chains on ``RequestFactory`` requests), with
no HTTP server, so the differences are the idempotency layers:

WSGI
    ``MultiStatusMiddleware`` without keys; with ``idempotency=`` on SQLite and on
    Redis; and with per-item keys (each of the 100 items has its own key,
    claimed and completed in one round trip each).
ASGI
    the same over ``multistatus.asgi.MultiStatusMiddleware``; and the same app
    without keys behind asgi-idempotency-header's ``IdempotencyHeaderMiddleware``
    on Redis (its ``RedisBackend``).
Django
    ``ProblemMiddleware`` without keys, with ``idempotency`` on SQLite and
    Redis, and the same view behind django-idempotency-key's
    ``IdempotencyKeyMiddleware`` (``@idempotency_key``) with its
    ``CacheKeyStorage`` on a django-redis cache: with its default thread lock,
    and with its ``MultiProcessRedisLock`` (its lock for more than one process
    sharing the store).  And a floor, not a store to use: this library's
    middleware on two unchecked plain ``SET`` commands (``UncheckedRedisStore``),
    the kind of commands the peer sends.

The variants are interleaved request by request and each request is timed on
its own; each figure is the median time per request (req/s is its inverse), so
a busy stretch of a shared machine falls on every variant alike.  The overhead
per request is the median with keys less the median without; per item, the
per-item-key overhead divided by 100.  The CPU overhead is the same difference
in this thread's CPU time: what the Python side costs, without the waits for
the store's server (its own work, and a CPU for it on a busy machine).
``BENCH_REQUESTS`` and ``BENCH_ROUNDS`` set the size of the run.

With request keys, this library sends Redis two commands per request (one
``EVALSHA`` to claim the key, which returns the stored answer or the lease
left when the key is taken, and one to complete it), as
django-idempotency-key does (``EXISTS``, then ``SET``); its commands are Lua
scripts, which the server runs for longer than a plain ``SET`` (the owner
compare that keeps a late request from overwriting its successor's answer).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import multistatus as ms
from multistatus import asgi as msasgi
from multistatus import wsgi as mswsgi
from multistatus.idempotency import Idempotency, RedisStore, SQLiteStore

ITEMS = 100
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def body(item_keys: bool = False) -> bytes:
    tag = uuid.uuid4().hex if item_keys else ""
    items = [
        {"id": str(i), "name": f"item {i}", **({"idempotency_key": f"{tag}-{i}"} if item_keys else {})}
        for i in range(ITEMS)
    ]
    return json.dumps(items, separators=(",", ":")).encode()


def work(results: ms.Results, items: list[Any]) -> None:
    """The application's own work: each item recorded as created."""
    for _, item in results.claimed(items, href=lambda item, i: f"/items/{item['id']}"):
        results.record_success(f"/items/{item['id']}", status=201, id=item["id"], body={"id": item["id"]})


# -- redis-server ----------------------------------------------------------------------


def start_redis() -> tuple[subprocess.Popen[bytes], int]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not on PATH (Debian: apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- WSGI ------------------------------------------------------------------------------


def wsgi_batch(environ: dict[str, Any], start_response: Any) -> Any:
    work(mswsgi.get_results(environ), json.loads(environ["wsgi.input"].read()))
    return mswsgi.respond(environ, start_response)


#: A variant: makes the input of one request, and answers it.
Variant = tuple[Callable[[], Any], Callable[[Any], None]]


def _wsgi_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    assert status.startswith("207"), status


def wsgi_variant(app: Any, item_keys: bool = False, key: bool = True) -> Variant:
    def make() -> dict[str, Any]:
        data = body(item_keys)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/batch",
            "QUERY_STRING": "",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(data),
        }
        if key:
            environ["HTTP_IDEMPOTENCY_KEY"] = uuid.uuid4().hex
        return environ

    def one(environ: dict[str, Any]) -> None:
        chunks = app(environ, _wsgi_start_response)
        b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()

    return make, one


# -- ASGI ------------------------------------------------------------------------------


async def asgi_batch(scope: Any, receive: Any, send: Any) -> None:
    work(msasgi.get_results(scope), json.loads(await msasgi.read_body(scope, receive)))
    await msasgi.respond(scope, send)


def asgi_variant(app: Any, loop: asyncio.AbstractEventLoop) -> Variant:
    async def call(data: bytes) -> None:
        sent: list[Any] = []

        async def receive() -> Any:
            return {"type": "http.request", "body": data, "more_body": False}

        async def send(message: Any) -> None:
            sent.append(message)

        headers = [(b"content-type", b"application/json"), (b"accept", b"application/json"),
                   (b"content-length", str(len(data)).encode()), (b"idempotency-key", uuid.uuid4().hex.encode())]  # fmt: skip
        scope = {"type": "http", "method": "POST", "path": "/batch", "query_string": b"", "headers": headers}
        await app(scope, receive, send)
        assert sent[0]["status"] == 207, sent[0]

    def one(data: bytes) -> None:
        loop.run_until_complete(call(data))

    return body, one


# -- Django ----------------------------------------------------------------------------


def django_setup(redis_port: int) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-not-secret",
        ALLOWED_HOSTS=["*"],
        CACHES={
            "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{redis_port}/2"}
        },
        IDEMPOTENCY_KEY={"STORAGE": {"CLASS": "idempotency_key.storage.CacheKeyStorage"}},
    )
    django.setup()


def django_view(request: Any) -> Any:
    from multistatus import django as msdjango

    work(msdjango.get_results(request), json.loads(request.body))
    return msdjango.respond(request)


def django_variant(handler: Callable[[Any], Any]) -> Variant:
    from django.test import RequestFactory

    factory = RequestFactory()

    def make() -> Any:
        return factory.post("/batch", data=body(), content_type="application/json", HTTP_ACCEPT="application/json",
                            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)  # fmt: skip

    def one(request: Any) -> None:
        response = handler(request)
        assert response.status_code == 207, response.status_code

    return make, one


def django_peer(redis_lock: str | None = None) -> Callable[[Any], Any]:
    """django-idempotency-key: its default lock (a ``threading.Lock``), or its ``MultiProcessRedisLock`` at *redis_lock*.

    Its documentation says the default lock is for "one process sharing the
    storage"; for more processes (what a Redis store is for) it gives the Redis lock.
    """
    from django.conf import settings
    from idempotency_key.decorators import idempotency_key
    from idempotency_key.locks.redis import MultiProcessRedisLock
    from idempotency_key.middleware import IdempotencyKeyMiddleware

    from multistatus import django as msdjango

    view = idempotency_key(django_view)

    def get_response(request: Any) -> Any:  # what Django's handler does: process_view, then the view
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = IdempotencyKeyMiddleware(get_response)
    if redis_lock is not None:  # (the lock reads its settings when made: set them for this one only)
        settings.IDEMPOTENCY_KEY["LOCK"] = {"LOCATION": redis_lock}
        middleware.storage_lock = MultiProcessRedisLock()
        del settings.IDEMPOTENCY_KEY["LOCK"]
    return msdjango.ProblemMiddleware(middleware)


class UncheckedRedisStore(RedisStore):
    """NOT A STORE TO USE: this library's layer on the peer's kind of commands, to measure a floor.

    One plain ``SET ... NX PX GET`` to claim and one plain ``SET`` to complete,
    with no owner compare: a request whose lease lapsed overwrites its
    successor's answer, the defect the real store's script exists to prevent.
    What it measures is how fast this library's layer could be on two plain
    commands, the kind django-idempotency-key sends (``EXISTS``, ``SET``).
    """

    def claim_many(self, keys: Any, owner: str, lease: float) -> Any:
        from multistatus.idempotency import Claim

        ((key, fp),) = keys  # (request keys only)
        found = self.client.set(self.prefix + key, f"c{fp}\n{owner}", nx=True, px=int(lease * 1000), get=True)
        assert found is None, "a new key per request"
        return [Claim(True, fp, None, float(lease))]

    def complete_many(self, answers: Any, owner: str) -> list[bool]:
        ((key, fp, answer),) = answers
        self.client.set(self.prefix + key, b"d" + fp.encode() + b"\n" + answer, px=int(self.retention * 1000))
        return [True]


def django_ours(idem: Idempotency | None) -> Callable[[Any], Any]:
    from multistatus import django as msdjango

    class Keys(msdjango.ProblemMiddleware):
        idempotency = idem

    return Keys(django_view)


# -- the run ---------------------------------------------------------------------------


def check_replays(redis_port: int, sqlite: Path) -> None:
    """Before timing: each layer answers a retry with its first answer (else the figures mean nothing)."""
    app = mswsgi.MultiStatusMiddleware(wsgi_batch, idempotency=Idempotency(SQLiteStore(sqlite)))
    data = body()
    seen = []
    for _ in range(2):
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/batch", "CONTENT_TYPE": "application/json",
                   "CONTENT_LENGTH": str(len(data)), "wsgi.input": io.BytesIO(data), "HTTP_IDEMPOTENCY_KEY": "check"}  # fmt: skip
        app(environ, lambda status, headers, exc_info=None: seen.append(dict(headers)))
    assert seen[1].get("Idempotent-Replayed") == "true", seen


def main() -> None:
    redis_proc, port = start_redis()
    folder = Path(tempfile.mkdtemp(prefix="bench-idem-"))
    loop = asyncio.new_event_loop()
    try:
        check_replays(port, folder / "check.db")
        redis_url = f"redis://127.0.0.1:{port}/0"
        sqlite = Idempotency(SQLiteStore(folder / "keys.db"))
        redis = Idempotency(RedisStore(redis_url))
        django_setup(port)

        from idempotency_header_middleware import IdempotencyHeaderMiddleware
        from idempotency_header_middleware.backends.redis import RedisBackend
        from redis.asyncio import Redis as AsyncRedis

        asgi_plain = msasgi.MultiStatusMiddleware(asgi_batch)
        peer_asgi = IdempotencyHeaderMiddleware(
            asgi_plain, backend=RedisBackend(AsyncRedis(host="127.0.0.1", port=port, db=1))
        )
        variants: dict[str, Variant] = {
            "wsgi: no keys": wsgi_variant(mswsgi.MultiStatusMiddleware(wsgi_batch), key=False),
            "wsgi: keys, SQLite": wsgi_variant(mswsgi.MultiStatusMiddleware(wsgi_batch, idempotency=sqlite)),
            "wsgi: keys, Redis": wsgi_variant(mswsgi.MultiStatusMiddleware(wsgi_batch, idempotency=redis)),
            "wsgi: item keys, SQLite": wsgi_variant(
                mswsgi.MultiStatusMiddleware(wsgi_batch, idempotency=sqlite), item_keys=True, key=False
            ),
            "wsgi: item keys, Redis": wsgi_variant(
                mswsgi.MultiStatusMiddleware(wsgi_batch, idempotency=redis), item_keys=True, key=False
            ),
            "asgi: no keys": asgi_variant(asgi_plain, loop),
            "asgi: keys, SQLite": asgi_variant(msasgi.MultiStatusMiddleware(asgi_batch, idempotency=sqlite), loop),
            "asgi: keys, Redis": asgi_variant(msasgi.MultiStatusMiddleware(asgi_batch, idempotency=redis), loop),
            "asgi: asgi-idempotency-header, Redis": asgi_variant(peer_asgi, loop),
            "django: no keys": django_variant(django_ours(None)),
            "django: keys, SQLite": django_variant(django_ours(sqlite)),
            "django: keys, Redis": django_variant(django_ours(redis)),
            "django: django-idempotency-key, Redis cache": django_variant(django_peer()),
            "django: django-idempotency-key, + Redis lock": django_variant(django_peer(f"redis://127.0.0.1:{port}/3")),
            "django: (floor) unchecked plain SETs, Redis": django_variant(
                django_ours(Idempotency(UncheckedRedisStore(redis_url)))
            ),
        }
        wall, cpu = measure(variants)
        report({name: statistics.median(times) for name, times in wall.items()},
               {name: statistics.median(times) for name, times in cpu.items()})  # fmt: skip
    finally:
        loop.close()
        os.kill(redis_proc.pid, signal.SIGTERM)
        redis_proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def measure(variants: dict[str, Variant]) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Seconds per request of each variant, timed one request at a time, the variants interleaved.

    Request by request, every variant answers one in turn, in a new random order
    each time: a slower stretch of the machine (other processes) falls on all of
    them alike, no variant always follows the same one (a request to Redis right
    after another, an SQLite commit just before), and the median leaves the
    outliers out.  Returns the wall-clock times and this thread's CPU times (the
    CPU time leaves out the waits: for the store's server, and for a CPU on a
    busy machine).
    """
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants.items())
    shuffle = random.Random(2026).shuffle
    for _ in range(ROUNDS):
        inputs = {name: [make() for _ in range(REQUESTS)] for name, (make, _) in variants.items()}
        for i in range(REQUESTS):
            shuffle(order)
            for name, (_, one) in order:
                request = inputs[name][i]
                c0, t0 = time.thread_time(), time.perf_counter()
                one(request)
                wall[name].append(time.perf_counter() - t0)
                cpu[name].append(time.thread_time() - c0)
    return wall, cpu


def report(per_request: dict[str, float], cpu: dict[str, float]) -> None:
    rate = {name: 1 / seconds for name, seconds in per_request.items()}
    print(f"{ITEMS}-item batch, {REQUESTS * ROUNDS} requests per variant, interleaved one by one; median time per")
    print("request (req/s = 1 / median), a new key per request, in process; CPU: this thread's CPU time")
    print(f"{'variant':44} {'req/s':>8} {'vs no keys':>11} {'overhead/request':>17} {'CPU overhead':>13}")
    for name, value in rate.items():
        base = name.split(":")[0] + ": no keys"
        overhead = (1 / value - 1 / rate[base]) * 1e6
        cpu_overhead = (cpu[name] - cpu[base]) * 1e6
        print(f"{name:44} {value:8.0f} {value / rate[base]:10.2f}x {overhead:14.0f} us {cpu_overhead:10.0f} us")
    print()
    for kind in ("SQLite", "Redis"):
        items = (1 / rate[f"wsgi: item keys, {kind}"] - 1 / rate["wsgi: no keys"]) * 1e6 / ITEMS
        print(f"per-item keys ({kind}): {items:.1f} us per item")
    print()
    ours_asgi, peer_asgi = rate["asgi: keys, Redis"], rate["asgi: asgi-idempotency-header, Redis"]
    peer_dj = rate["django: django-idempotency-key, Redis cache"]
    print(f"ASGI on Redis: this library {ours_asgi:.0f} req/s vs asgi-idempotency-header {peer_asgi:.0f}: "
          f"{ours_asgi / peer_asgi:.2f}x")  # fmt: skip
    for kind in ("Redis", "SQLite"):
        ours_dj = rate[f"django: keys, {kind}"]
        print(f"Django on {kind}: this library {ours_dj:.0f} req/s vs django-idempotency-key (Redis) {peer_dj:.0f}: "
              f"{ours_dj / peer_dj:.2f}x")  # fmt: skip
    ours_dj, locked = rate["django: keys, Redis"], rate["django: django-idempotency-key, + Redis lock"]
    print(f"Django on Redis: this library vs django-idempotency-key with its lock for more than one process "
          f"{locked:.0f}: {ours_dj / locked:.2f}x")  # fmt: skip
    floor = rate["django: (floor) unchecked plain SETs, Redis"]
    print(f"Django on Redis, the floor (this library's layer on two unchecked plain SETs) {floor:.0f} req/s: "
          f"{floor / peer_dj:.2f}x django-idempotency-key")  # fmt: skip


if __name__ == "__main__":
    main()
