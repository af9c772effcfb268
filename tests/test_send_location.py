"""A 202's ``Location`` is followed to http and https only: never to a local file, FTP or ``data:``.

The server names the job's monitor; the default driver (urllib) opens what
it is given with urllib's own handlers for ``file:``, ``ftp:`` and ``data:``
unless told otherwise.  Here the server points at a local file holding a
finished job's document that says every item succeeded: the client must not
read it, and the chunk ends as no answer, naming the scheme.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import multistatus as ms

FINISHED = {
    "job": {"state": "succeeded", "done": 1, "total": 1},
    "responses": [{"href": "/items/a", "id": "a", "status": 201}],
}


class Accepting(http.server.BaseHTTPRequestHandler):
    """Answers every POST with ``server.status`` (202) and ``Location: server.location``."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Location", self.server.location)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # (the monitor, on the batch's origin: redirects to ``server.moved``)
        self.send_response(303)
        self.send_header("Location", self.server.moved)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def accepting() -> Iterator[Any]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Accepting)
    server.daemon_threads, server.status = True, 202
    server.url = f"http://127.0.0.1:{server.server_address[1]}/batch"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize("scheme", ["file", "data", "ftp"])
def test_a_monitor_that_is_not_http_is_not_followed(accepting: Any, tmp_path: Path, scheme: str) -> None:
    local = tmp_path / "monitor.json"
    local.write_text(json.dumps(FINISHED))
    accepting.location = {
        "file": local.as_uri(),
        "data": "data:application/json," + json.dumps(FINISHED).replace(" ", ""),
        "ftp": "ftp://127.0.0.1:9/monitor.json",
    }[scheme]
    outcome = ms.send_batch([{"id": "a"}], accepting.url, policy=ms.BatchPolicy(max_attempts=1))
    assert not outcome.ok
    [letter] = outcome.dead_letters
    assert letter.response.error is not None
    assert letter.response.error.code == "no_answer"
    assert f"{scheme}:" in letter.response.error.message
    assert "only http:// and https://" in letter.response.error.message


def test_wait_for_job_refuses_a_url_that_is_not_http(tmp_path: Path) -> None:
    local = tmp_path / "monitor.json"
    local.write_text(json.dumps(FINISHED))
    with pytest.raises(ms.FetchFailed, match="only http:// and https://"):
        ms.wait_for_job(local.as_uri())


class Monitor(http.server.BaseHTTPRequestHandler):
    """A finished job's monitor on another origin (another port): records the header fields of each request."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append({k.lower(): v for k, v in self.headers.items()})  # type: ignore[attr-defined]
        body = json.dumps(FINISHED).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def other_origin() -> Iterator[Any]:
    monitor: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Monitor)
    monitor.daemon_threads, monitor.seen = True, []
    monitor.url = f"http://127.0.0.1:{monitor.server_address[1]}/jobs/1"
    thread = threading.Thread(target=monitor.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield monitor
    finally:
        monitor.shutdown()
        monitor.server_close()
        thread.join(5)


SECRETS = {
    "Authorization": "Bearer s3cret",
    "Cookie": "session=s3cret",
    "X-Api-Key": "s3cret",
    "Private-Token": "s3cret",
}


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx"])
def test_no_credential_follows_a_monitor_to_another_origin(accepting: Any, other_origin: Any, client: str) -> None:
    accepting.location = other_origin.url
    headers = {**SECRETS, "X-Trace": "t-1"}
    if client == "urllib":
        outcome = ms.send_batch([{"id": "a"}], accepting.url, headers=headers)
    else:
        make = {"requests": pytest.importorskip("requests").Session, "httpx": pytest.importorskip("httpx").Client}
        with make[client]() as session:
            outcome = ms.send_batch([{"id": "a"}], accepting.url, session, headers=headers)
    assert outcome.ok
    [seen] = other_origin.seen
    assert seen["x-trace"] == "t-1"  # (the other fields go along)
    assert not {name.lower() for name in SECRETS} & set(seen)


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx", "httpx-async", "aiohttp"])
def test_a_batch_is_not_redirected_to_another_origin(accepting: Any, other_origin: Any, client: str) -> None:
    """A 307 of the batch endpoint is its answer: the batch and its credentials go nowhere else, whatever
    the client would do by itself (requests and a following httpx keep X-Api-Key across origins)."""
    accepting.status, accepting.location = 307, other_origin.url
    policy = ms.BatchPolicy(max_attempts=1)
    if client == "urllib":
        outcome = ms.send_batch([{"id": "a"}], accepting.url, headers=SECRETS, policy=policy)
    elif client in ("requests", "httpx"):
        make = {"requests": pytest.importorskip("requests").Session, "httpx": pytest.importorskip("httpx").Client}
        with make[client](**({"follow_redirects": True} if client == "httpx" else {})) as session:
            outcome = ms.send_batch([{"id": "a"}], accepting.url, session, headers=SECRETS, policy=policy)
    else:
        httpx, aiohttp = pytest.importorskip("httpx"), pytest.importorskip("aiohttp")

        async def main() -> ms.BatchOutcome[Any]:
            opened: Any = (
                httpx.AsyncClient(follow_redirects=True) if client == "httpx-async" else aiohttp.ClientSession()
            )
            async with opened as session:
                return await ms.send_batch_async([{"id": "a"}], accepting.url, session, headers=SECRETS, policy=policy)

        outcome = asyncio.run(main())
    assert other_origin.seen == []
    assert [d.response.code for d in outcome.dead_letters] == [307]


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx", "httpx-async", "aiohttp"])
def test_no_credential_follows_a_monitor_redirecting_to_another_origin(
    accepting: Any, other_origin: Any, client: str
) -> None:
    """The monitor is on the batch's origin and redirects (303) to another: the credentials stay behind."""
    accepting.location, accepting.moved = "/jobs/1", other_origin.url
    headers = {**SECRETS, "X-Trace": "t-1"}
    if client == "urllib":
        outcome = ms.send_batch([{"id": "a"}], accepting.url, headers=headers)
    elif client in ("requests", "httpx"):
        make = {"requests": pytest.importorskip("requests").Session, "httpx": pytest.importorskip("httpx").Client}
        with make[client](**({"follow_redirects": True} if client == "httpx" else {})) as session:
            outcome = ms.send_batch([{"id": "a"}], accepting.url, session, headers=headers)
    else:
        httpx, aiohttp = pytest.importorskip("httpx"), pytest.importorskip("aiohttp")

        async def main() -> ms.BatchOutcome[Any]:
            opened: Any = (
                httpx.AsyncClient(follow_redirects=True) if client == "httpx-async" else aiohttp.ClientSession()
            )
            async with opened as session:
                return await ms.send_batch_async([{"id": "a"}], accepting.url, session, headers=headers)

        outcome = asyncio.run(main())
    assert outcome.ok
    [seen] = other_origin.seen
    assert seen["x-trace"] == "t-1"
    assert not {name.lower() for name in SECRETS} & set(seen)


@pytest.mark.parametrize("client", ["requests", "aiohttp"])
@pytest.mark.parametrize(
    ("moved", "said"),
    [("file:///etc/hostname", "only http(s) is followed"), ("/jobs/1", "more than 10 redirects")],
    ids=["to-a-file", "in-a-loop"],
)
def test_a_monitor_redirecting_elsewhere_or_forever_is_no_answer(
    accepting: Any, client: str, moved: str, said: str
) -> None:
    accepting.location, accepting.moved = "/jobs/1", moved
    if client == "requests":
        with pytest.importorskip("requests").Session() as session:
            outcome = ms.send_batch([{"id": "a"}], accepting.url, session, policy=ms.BatchPolicy(max_attempts=1))
    else:
        aiohttp = pytest.importorskip("aiohttp")

        async def main() -> ms.BatchOutcome[Any]:
            async with aiohttp.ClientSession() as session:
                return await ms.send_batch_async(
                    [{"id": "a"}], accepting.url, session, policy=ms.BatchPolicy(max_attempts=1)
                )

        outcome = asyncio.run(main())
    [letter] = outcome.dead_letters
    assert letter.response.error is not None
    assert letter.response.error.code == "no_answer"
    assert said in letter.response.error.message
