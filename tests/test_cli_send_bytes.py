"""``multistatus send``: a JSON line that is not UTF-8 is never sent altered, and goes to ``--failed`` byte for byte.

RFC 8259 §8.1: JSON exchanged between systems is UTF-8.  A line in Latin-1
(``caf\\xe9``) decoded with replacement characters would be sent as
``caf\\ufffd`` and saved so: the item is altered without a word.  It is a bad
line instead, written back to the dead-letter file exactly as it was read, so
that it can be corrected and sent again; on the terminal its bytes are escaped.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from multistatus import cli, demo
from tests.conftest import QuietHandler


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    srv = make_server("127.0.0.1", 0, demo.make_app(), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}/batch"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def test_a_line_that_is_not_utf8_is_a_bad_line_kept_byte_for_byte(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    latin1 = b'{"id": "b", "name": "caf\xe9"}'
    garbage = b"not json \xff\x1b[31m red"
    lines = b'{"id": "a", "name": "x"}\n' + latin1 + b"\n" + garbage + b"\r\n"
    source, failed = tmp_path / "items.jsonl", tmp_path / "failed.jsonl"
    source.write_bytes(lines)
    assert cli.main(["send", url, str(source), "--failed", str(failed)]) == 1
    out = capsys.readouterr().out
    assert "1 succeeded, 2 failed" in out
    assert failed.read_bytes() == latin1 + b"\n" + garbage + b"\n"  # as read
    assert "\x1b" not in out
    assert "line 2 is not a JSON value" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    assert cli.main(["send", url, "-", "--failed", str(failed)]) == 1
    assert failed.read_bytes() == latin1 + b"\n" + garbage + b"\n"
