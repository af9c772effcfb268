"""send_batch and send_batch_async read an answer at most the body limit far, with every client they drive.

A server may answer with a gigantic body, or with a small gzip body that
inflates to a gigantic one (a "zip bomb"): the clients that inflate on their
own (requests, httpx, aiohttp) must be read as a stream and stopped at the
limit, never read whole first.  The limit is lowered for these tests to
1 MiB, the answer inflates to 64 MiB: the peak of memory allocated while
sending tells a bounded read from a whole one.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import multistatus as ms
from multistatus import _limits
from multistatus._send import _async, _job, _sync

requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")
aiohttp = pytest.importorskip("aiohttp")

LIMIT = 1 << 20
INFLATED = 64 << 20


def _bomb() -> bytes:
    """A gzip body of INFLATED bytes of spaces (about 64 KiB on the wire)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * (1 << 20)
    return b"".join([*(deflate.compress(block) for _ in range(INFLATED // len(block))), deflate.flush()])


_GOOD = b'{"responses": [{"href": "/items/a", "id": "a", "status": 201}]}'


class Bomb(http.server.BaseHTTPRequestHandler):
    """Answers POST and GET with 207: at /batch the gzip body of ``server.body``, at /deflate a
    good answer deflated, at /cut a body cut short (the connection closed before its length)."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        coding, body, declared = "gzip", self.server.body, None  # type: ignore[attr-defined]
        if self.path == "/deflate":
            coding, body = "deflate", zlib.compress(_GOOD)
        elif self.path == "/big":
            coding, body = "identity", b" " * (2 * LIMIT)
        elif self.path == "/cut":
            coding, body, declared = "identity", _GOOD[:20], len(_GOOD)
        self.send_response(207)
        for name, value in (
            ("Content-Type", "application/json"),
            ("Content-Encoding", coding),
            ("Content-Length", str(declared or len(body))),
        ):
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):  # (the client stopped reading at its limit)
            self.wfile.write(body)
        self.close_connection = declared is not None or self.path in ("/batch", "/big")

    do_POST = do_GET = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def bomb_url() -> Iterator[str]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Bomb)
    server.daemon_threads = True
    server.body = _bomb()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/batch"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The body limit the drivers read answers with, lowered to LIMIT."""
    lowered = _limits.Limits(max_bytes=LIMIT)
    for module in (_sync, _async, _job):
        monkeypatch.setattr(module, "DEFAULT_LIMITS", lowered)


def _peak(run: Callable[[], ms.BatchOutcome[Any]]) -> tuple[ms.BatchOutcome[Any], int]:
    tracemalloc.start()
    try:
        outcome = run()
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


ONCE = ms.BatchPolicy(max_attempts=1, timeout=30)
SYNC: dict[str, Callable[[], Any]] = {"requests": requests.Session, "httpx": httpx.Client}


@pytest.mark.parametrize("client", sorted(SYNC))
def test_a_gzip_bomb_is_read_no_further_than_the_limit(bomb_url: str, small_limit: None, client: str) -> None:
    with SYNC[client]() as session:
        outcome, peak = _peak(lambda: ms.send_batch([{"id": "a"}], bomb_url, session, policy=ONCE))
    assert peak < INFLATED // 4, f"{peak} bytes allocated for an answer limited to {LIMIT}"
    assert [d.response.error.code for d in outcome.dead_letters] == ["no_answer"]  # type: ignore[union-attr]
    assert "limit" in outcome.dead_letters[0].response.error.message  # type: ignore[union-attr]


@pytest.mark.parametrize("client", ["httpx", "aiohttp"])
def test_a_gzip_bomb_is_read_no_further_than_the_limit_async(bomb_url: str, small_limit: None, client: str) -> None:
    make = {"httpx": httpx.AsyncClient, "aiohttp": aiohttp.ClientSession}[client]

    async def main() -> ms.BatchOutcome[Any]:
        async with make() as session:
            return await ms.send_batch_async([{"id": "a"}], bomb_url, session, policy=ONCE)

    outcome, peak = _peak(lambda: asyncio.run(main()))
    assert peak < INFLATED // 4, f"{peak} bytes allocated for an answer limited to {LIMIT}"
    assert [d.response.error.code for d in outcome.dead_letters] == ["no_answer"]  # type: ignore[union-attr]


@pytest.mark.parametrize("client", ["requests", "httpx", "httpx-async"])
def test_other_codings_a_large_body_and_a_body_cut_short(bomb_url: str, small_limit: None, client: str) -> None:
    base = bomb_url.rpartition("/")[0]

    def send(url: str) -> ms.BatchOutcome[Any]:
        if client == "httpx-async":

            async def main() -> ms.BatchOutcome[Any]:
                async with httpx.AsyncClient() as session:
                    return await ms.send_batch_async([{"id": "a"}], url, session, policy=ONCE)

            return asyncio.run(main())
        with SYNC[client]() as session:
            return ms.send_batch([{"id": "a"}], url, session, policy=ONCE)

    assert send(base + "/deflate").ok  # (decoded by the client)
    big = send(base + "/big")
    assert "limit" in big.dead_letters[0].response.error.message  # type: ignore[union-attr]
    cut = send(base + "/cut")
    assert [d.response.error.code for d in cut.dead_letters] == ["no_answer"]  # type: ignore[union-attr]
    assert "unreadable answer (HTTP 207)" in cut.dead_letters[0].response.error.message  # type: ignore[union-attr]
