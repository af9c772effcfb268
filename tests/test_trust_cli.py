"""What ``multistatus inspect|validate|convert URL`` promises about hostile servers (issue 29).

Real servers on 127.0.0.1, each on a free port of its own (another port is another
origin), in threads, stopped at the end; every loop in them is bounded.

* Credentials given with ``-H`` stay with the origin they were given for.
* A redirect is followed to http and https only, and at most ``MAX_REDIRECTS`` times.
* ``--timeout`` is a deadline for the whole exchange, however slowly the server talks.

One test reaches inside, to ``multistatus._fetch._origin``: what counts as the same
origin (a default port written out, the case of scheme and host) cannot be shown
through a real server, which cannot listen on port 80 or 443 here.
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus import cli

MAX_REDIRECTS = 10  # "at most 10 of them" (docs/cli.rst)
MULTISTATUS = ms.to_xml(ms.MultiStatus([ms.Response("/a", status=200)]))


@dataclass
class Server:
    """A running server: its origin, the requests it got (path, headers), and its stop signal."""

    origin: str
    stop: threading.Event
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def headers_at(self, path: str) -> list[dict[str, str]]:
        return [headers for got, headers in self.requests if got == path]


Answer = Callable[[http.server.BaseHTTPRequestHandler, Server], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    answer: Answer
    record: Server

    def do_GET(self) -> None:
        self.record.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        with contextlib.suppress(ConnectionError):  # the client gave up first: a deadline, a redirect refused
            self.answer(self, self.record)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()

    do_PROPFIND = do_POST  # noqa: N815 - the stdlib's naming

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


def _serve(answer: Answer, tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    stop = threading.Event()
    handler = cast("type[_Handler]", type("Handler", (_Handler,), {"answer": staticmethod(answer)}))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    record = Server(f"http://127.0.0.1:{httpd.server_address[1]}", stop)
    handler.record = record
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _send(handler: http.server.BaseHTTPRequestHandler, code: int, body: bytes, **headers: str) -> None:
    handler.send_response(code)
    for name, value in {"Content-Type": "application/xml", **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _redirecting(handler: http.server.BaseHTTPRequestHandler, server: Server) -> None:
    """``/to/CODE/URL`` redirects to URL (``/to/CODE/`` says nowhere); ``/hop/N`` to ``/hop/N+1``;
    ``/loop`` to itself; ``/missing`` is a 404 page; else a multistatus."""
    parts = handler.path.split("/", 3)
    if parts[1] == "to":
        where = {"Location": unquote(parts[3])} if parts[3] else {}
        _send(handler, int(parts[2]), b"moved", Content_Type="text/plain", **where)
    elif parts[1] == "missing":
        _send(handler, 404, b"<html>Not Found</html>", Content_Type="text/html")
    elif parts[1] == "hop":
        _send(handler, 302, b"moved", Location=f"/hop/{int(parts[2]) + 1}")
    elif parts[1] == "loop":
        _send(handler, 302, b"moved", Location="/loop")
    else:
        _send(handler, 207, MULTISTATUS)


@pytest.fixture(scope="module")
def origin() -> Iterator[Server]:
    yield from _serve(_redirecting)


@pytest.fixture(scope="module")
def other() -> Iterator[Server]:
    yield from _serve(_redirecting)


def _to(server: Server, code: int, target: str) -> str:
    return f"{server.origin}/to/{code}/{quote(target, safe='')}"


# -- credentials stay with their origin -------------------------------------------------
SECRETS = {
    "Authorization": "Bearer s3cret-a",
    "Cookie": "sid=s3cret-c",
    "Proxy-Authorization": "Basic s3cret-p",
    "X-Api-Key": "s3cret-k",
    "Private-Token": "s3cret-t",
}
_cased = st.sampled_from(sorted(SECRETS)).flatmap(
    lambda name: st.tuples(*(st.sampled_from((c.lower(), c.upper())) for c in name)).map("".join)
)


@given(
    names=st.lists(_cased, min_size=1, max_size=3, unique_by=str.lower),
    code=st.sampled_from([301, 302, 303, 307, 308]),
    command=st.sampled_from(["inspect", "validate", "convert"]),
)
def test_credentials_are_not_sent_to_another_origin(
    origin: Server, other: Server, names: list[str], code: int, command: str
) -> None:
    other.requests.clear()
    path = f"/ms/{code}"
    headers = [arg for name in names for arg in ("-H", f"{name}: {SECRETS[name.title()]}")]
    args = [command, *(["--to", "json"] if command == "convert" else []), *headers, "-H", "X-Trace: kept"]
    assert cli.main([*args, _to(origin, code, f"{other.origin}{path}")]) == 0
    (received,) = other.headers_at(path)
    assert received["x-trace"] == "kept"  # what is no credential goes on
    assert not {name.lower() for name in names} & set(received)
    assert "s3cret" not in repr(received)


def test_credentials_go_on_within_the_origin(origin: Server) -> None:
    origin.requests.clear()
    args = [arg for name, value in SECRETS.items() for arg in ("-H", f"{name}: {value}")]
    assert cli.main(["inspect", *args, _to(origin, 307, "/ms/same")]) == 0
    ((_, first), (_, second)) = origin.requests
    for name, value in SECRETS.items():
        assert first[name.lower()] == second[name.lower()] == value


def test_another_port_or_scheme_is_another_origin() -> None:
    from multistatus._fetch import _origin

    assert _origin("http://h/") == _origin("HTTP://H:80/x") != _origin("http://h:8080/")
    assert _origin("http://h:x/") != _origin("http://h/")  # (a port that is no port is no known origin)
    assert _origin("http://h/") != _origin("https://h/")
    assert _origin("https://h/") == _origin("https://h:443/")


# -- redirects: http(s) only, bounded ----------------------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        pytest.param("ftp://127.0.0.1/x.xml", id="ftp"),
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("data:application/xml,<x/>", id="data"),
        pytest.param("gopher://127.0.0.1/", id="gopher"),
    ],
)
def test_a_redirect_to_another_scheme_is_refused(
    origin: Server, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["inspect", _to(origin, 302, target)]) == cli.EXIT_FETCH
    err = capsys.readouterr().err
    assert "redirects (302) to" in err
    assert "only http:// and https:// are followed" in err


@pytest.mark.parametrize("path", [pytest.param("/hop/0", id="new-urls"), pytest.param("/loop", id="same-url")])
def test_redirects_are_bounded(origin: Server, path: str, capsys: pytest.CaptureFixture[str]) -> None:
    origin.requests.clear()
    assert cli.main(["inspect", f"{origin.origin}{path}"]) == cli.EXIT_FETCH
    assert f"more than {MAX_REDIRECTS} redirects" in capsys.readouterr().err
    assert len(origin.requests) == MAX_REDIRECTS + 1


def test_a_few_redirects_are_followed(origin: Server) -> None:
    origin.requests.clear()
    assert cli.main(["inspect", _to(origin, 301, _to(origin, 308, "/ms"))]) == 0
    assert [path for path, _ in origin.requests][-1] == "/ms"
    assert cli.main(["inspect", "--data", "[]", _to(origin, 303, "/ms")]) == 0  # a POST, then a GET


def test_what_is_not_followed_is_the_answer(origin: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """A 3xx without a Location, a PROPFIND redirected, a 404: answers read like any other (exit 2)."""
    assert cli.main(["inspect", f"{origin.origin}/to/302/"]) == cli.EXIT_UNREADABLE
    assert "HTTP 302" in capsys.readouterr().err
    assert cli.main(["inspect", "--depth", "0", _to(origin, 301, "/ms")]) == cli.EXIT_UNREADABLE
    assert "HTTP 301" in capsys.readouterr().err
    assert cli.main(["inspect", f"{origin.origin}/missing"]) == cli.EXIT_UNREADABLE
    assert "HTTP 404" in capsys.readouterr().err


def test_no_answer_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert cli.main(["inspect", f"http://127.0.0.1:{port}/"]) == cli.EXIT_FETCH
    assert f"GET http://127.0.0.1:{port}/: no answer: " in capsys.readouterr().err


# -- --timeout: one deadline for the whole exchange ----------------------------------------
HEAD = b"HTTP/1.0 207 Multi-Status\r\nContent-Type: application/xml\r\n"


def _trickle(handler: http.server.BaseHTTPRequestHandler, server: Server) -> None:
    """One byte every 0.2 s (of the status line, or of a body), at most 100 of them, until stopped."""
    if handler.path.startswith("/slow/"):  # each hop of a redirect chain in good time, not the chain
        time.sleep(0.6)
        hop = int(handler.path.split("/")[2])
        _send(handler, 302, b"", Location=f"/slow/{hop + 1}")
        return
    whole = HEAD + b"Content-Length: 100000\r\n\r\n" + MULTISTATUS
    start = 0 if handler.path == "/head" else len(whole) - len(MULTISTATUS)
    handler.wfile.write(whole[:start])
    for byte in whole[start : start + 100]:
        if server.stop.wait(0.2):
            return
        handler.wfile.write(bytes([byte]))  # (ConnectionError once the client is gone)


@pytest.fixture(scope="module")
def trickling() -> Iterator[Server]:
    yield from _serve(_trickle)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/head", id="status-line-and-headers"),
        pytest.param("/body", id="body"),
        pytest.param("/slow/0", id="redirect-chain"),
    ],
)
def test_timeout_is_a_deadline_for_the_whole_exchange(
    trickling: Server, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    timeout = 1.0
    start = time.monotonic()
    code = cli.main(["inspect", "--timeout", str(timeout), f"{trickling.origin}{path}"])
    elapsed = time.monotonic() - start
    assert code == cli.EXIT_FETCH
    assert elapsed < 3 * timeout, f"the fetch took {elapsed:.1f}s with --timeout {timeout}"
    err = capsys.readouterr().err
    assert f"no complete answer within the --timeout of {timeout:g}s" in err
    assert err.startswith(f"multistatus inspect: error: GET {trickling.origin}{path}: ")


def test_no_time_at_all(trickling: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", "--timeout", "0", f"{trickling.origin}/body"]) == cli.EXIT_FETCH
    assert "no complete answer within the --timeout of 0s" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="makes its certificate with openssl")
def test_the_deadline_holds_over_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same server behind TLS, its certificate trusted: slow redirects and a trickle cut off."""
    import subprocess

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    for server in _serve(_trickle, context):
        https = server.origin.replace("http://", "https://")
        for path in ("/slow/0", "/body"):
            start = time.monotonic()
            assert cli.main(["inspect", "--timeout", "1", f"{https}{path}"]) == cli.EXIT_FETCH
            assert time.monotonic() - start < 3
            assert "no complete answer within the --timeout of 1s" in capsys.readouterr().err


def test_the_help_and_the_docs_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["inspect", "--help"])
    assert "whole exchange" in " ".join(capsys.readouterr().out.split())
    docs = " ".join((Path(__file__).parent.parent / "docs" / "cli.rst").read_text(encoding="utf-8").split())
    assert "whole exchange" in docs
    assert "another origin" in docs
