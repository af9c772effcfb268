"""from_async_response: httpx.AsyncClient (streamed or not) and aiohttp, against the examples served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import multistatus as ms
from tests.test_integrations import GOOD, POST, SAMPLE, served  # noqa: F401 - the fixture

httpx = pytest.importorskip("httpx")
aiohttp = pytest.importorskip("aiohttp")


async def with_httpx(
    url: str, body: bytes, headers: dict[str, str], *, stream: bool, limits: ms.Limits
) -> ms.MultiStatus:
    async with httpx.AsyncClient(timeout=10) as client:
        if stream:
            async with client.stream("POST", url, content=body, headers={**POST, **headers}) as response:
                return await ms.from_async_response(response, limits=limits)
        response = await client.post(url, content=body, headers={**POST, **headers})
        return await ms.from_async_response(response, limits=limits)


async def with_aiohttp(
    url: str, body: bytes, headers: dict[str, str], *, read: bool, limits: ms.Limits
) -> ms.MultiStatus:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers={**POST, **headers}) as response,
    ):
        if read:
            await response.read()
        return await ms.from_async_response(response, limits=limits)


DEFAULTS = ms.Limits()
CLIENTS = {
    "httpx": lambda *a, **k: with_httpx(*a, stream=False, **k),
    "httpx-stream": lambda *a, **k: with_httpx(*a, stream=True, **k),
    "aiohttp": lambda *a, **k: with_aiohttp(*a, read=False, **k),
    "aiohttp-read": lambda *a, **k: with_aiohttp(*a, read=True, **k),
}


@pytest.mark.parametrize("client", list(CLIENTS))
def test_async_clients_read_the_examples(served: str, client: str) -> None:  # noqa: F811
    def read(body: bytes = SAMPLE, limits: ms.Limits = DEFAULTS, **headers: str) -> ms.MultiStatus:
        return asyncio.run(CLIENTS[client](served, body, headers, limits=limits))

    doc = read(Accept="application/json")
    assert dict(doc.summary.by_status) == {201: 7, 403: 1, 422: 1, 429: 1}
    assert read(Accept="application/xml") == doc
    assert all(r.body is None for r in read(Accept="application/xml", Prefer="return=minimal"))
    assert read(GOOD).summary.all_succeeded
    with pytest.raises(ms.NotMultiStatus) as info:
        read(b"[oops", Accept="application/problem+xml")
    assert (info.value.status, info.value.error.problem["status"]) == (400, 400)  # type: ignore[union-attr]
    with pytest.raises(ms.NotMultiStatus, match="HTML page"):
        read(Accept="text/html")
    with pytest.raises(ms.LimitExceeded):
        read(limits=ms.Limits(max_bytes=100))


# -- compressed bodies, and other async responses ------------------------------------------
DOC = ms.to_json(ms.MultiStatus([ms.Response(f"/items/{i}", status=201) for i in range(50)]))


class GzipHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        data = gzip.compress(DOC)
        self.send_response(207)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def gzip_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GzipHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_compressed_bodies(gzip_url: str) -> None:
    async def run() -> list[int]:
        sizes = []
        async with aiohttp.ClientSession(auto_decompress=False) as session, session.get(gzip_url) as response:
            sizes.append(len((await ms.from_async_response(response)).responses))
        async with aiohttp.ClientSession() as session, session.get(gzip_url) as response:
            sizes.append(len((await ms.from_async_response(response)).responses))
        async with httpx.AsyncClient() as client, client.stream("GET", gzip_url) as response:
            sizes.append(len((await ms.from_async_response(response)).responses))
        async with aiohttp.ClientSession(auto_decompress=False) as session, session.get(gzip_url) as response:
            with pytest.raises(ms.LimitExceeded, match="once decompressed"):
                await ms.from_async_response(response, limits=ms.Limits(max_bytes=len(DOC) - 1))
        return sizes

    assert asyncio.run(run()) == [50, 50, 50]


def test_other_async_responses() -> None:
    class Reader:
        status_code = 207
        headers: ClassVar = {"content-type": "application/json"}

        async def aread(self) -> bytes:
            return DOC

    class Nothing:
        status = 207
        headers: ClassVar[dict[str, str]] = {}

        async def read(self) -> str:
            return "not bytes"

    assert len(asyncio.run(ms.from_async_response(Reader())).responses) == 50
    with pytest.raises(TypeError, match="did not return bytes"):
        asyncio.run(ms.from_async_response(Nothing()))


def test_a_response_read_already() -> None:
    class Read:
        status = 207
        headers: ClassVar = {"Content-Type": "application/json"}
        content = DOC

    assert len(asyncio.run(ms.from_async_response(Read())).responses) == 50
