"""A batch's declared ``Content-Length`` is read as RFC 9110 §8.6 has it (1*DIGIT, ASCII), whatever its size.

A length of thousands of digits is a number like any other (over the limit: 413),
never the interpreter's ``ValueError`` for integer strings over 4,300 digits (a
500); a length in other scripts' digits (``٣``) is no length.  Served by a real
werkzeug server, the request written byte for byte on a socket; and the ASGI
reader of a body with the same field.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

import multistatus as ms
from multistatus.asgi import read_body
from multistatus.wsgi import MultiStatusMiddleware, get_results, read_batch, respond
from tests.conftest import QuietHandler

BODY = b'[{"id": "1"}]'


def app(environ: dict[str, Any], start_response: Any) -> Any:
    for item in read_batch(environ):
        get_results(environ).record_success(f"/items/{item['id']}", status=201, id=item["id"])
    return respond(environ)(environ, start_response)


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    srv = make_server("127.0.0.1", 0, MultiStatusMiddleware(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ("127.0.0.1", srv.port)
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def post(address: tuple[str, int], length: str) -> tuple[int, dict[str, Any]]:
    """POST BODY with the Content-Length field *length*; the status and the JSON answer."""
    head = f"POST /batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n"
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head.encode("utf-8") + b"Connection: close\r\n\r\n" + BODY)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


@pytest.mark.parametrize("digits", [4301, 6000], ids=["over-4300-digits", "6000-digits"])
def test_a_length_of_thousands_of_digits_is_too_large(address: tuple[str, int], digits: int) -> None:
    status, problem = post(address, "9" * digits)
    assert status == 413
    assert problem["detail"] == f"the request body is larger than {16 * 1024 * 1024} bytes"


def test_a_length_of_zeros_then_digits_is_its_number(address: tuple[str, int]) -> None:
    status, doc = post(address, "0" * 20 + str(len(BODY)))
    assert status == 207
    assert [r["status"] for r in doc["responses"]] == [201]


def test_the_asgi_reader_takes_the_same_rule() -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY}

    def scope(length: str) -> dict[str, Any]:
        return {"type": "http", "headers": [(b"content-length", length.encode("utf-8"))]}

    with pytest.raises(ms.LimitExceeded):
        asyncio.run(read_body(scope("9" * 6000), receive, max_bytes=100))
    assert asyncio.run(read_body(scope("0" * 5000 + "13"), receive, max_bytes=100)) == BODY
    assert asyncio.run(read_body(scope("\u0663\u0663\u0663"), receive, max_bytes=100)) == BODY  # (no ASCII length)
