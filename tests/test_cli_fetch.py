"""``multistatus inspect|validate URL``: fetching from a live demo server, and the exit-status table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

import multistatus as ms
from multistatus import cli, demo
from tests.conftest import QuietHandler
from tests.test_cli import _env

PROPFIND_NAMED = (
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:x="http://example.com/ns">'
    "<D:prop><D:getetag/><D:resourcetype/><x:color/></D:prop></D:propfind>"
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = make_server("127.0.0.1", 0, demo.make_app(), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "multistatus", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_propfind_with_depth_names_the_missing_property_without_failing(server: str) -> None:
    result = run("inspect", "--width", "0", "--depth", "1", "--data", PROPFIND_NAMED, f"{server}/files/")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"PROPFIND {server}/files/ (207): 5 responses\n")
    assert "Names: ns1: = http://example.com/ns\n" in out  # only the namespaces the output uses
    assert "[folder] /files/photos/" in out
    assert "/files/Grüße.txt" in out
    assert "Properties not found (404 next to 2xx: not failures)\n  ns1:color  5 responses" in out
    assert "Failures" not in out
    assert "5 succeeded (5 with properties not found), 0 failed, 0 partial, 0 other" in out
    assert out.endswith("Exit status 0: every response succeeded\n")


def test_post_a_json_file_to_the_batch(server: str, tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(json.dumps(list(demo.SAMPLE_ITEMS)))
    result = run("inspect", "--width", "0", "--data", f"@{items}", f"{server}/batch")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"POST {server}/batch (207): 10 responses\n")
    assert "rate_limited — Too many items in one request. — retry after 30s" in result.stdout
    assert "7 succeeded, 3 failed, 0 partial, 0 other" in result.stdout
    as_json = run(
        "inspect", "--json", "-X", "POST", "-H", "Accept: application/xml", "--data", f"@{items}", f"{server}/batch"
    )
    summary = json.loads(as_json.stdout)
    assert as_json.returncode == summary["exit_code"] == 1
    assert summary["counts"] == {
        "total": 10,
        "succeeded": 7,
        "failed": 3,
        "partial": 0,
        "other": 0,
        "with_missing_properties": 0,
    }
    last = summary["items"][-1]
    assert (last["href"], last["status"], last["outcome"], last["error"], last["retry_after"]) == (
        "/items/10",
        429,
        "failed",
        ["rate_limited"],
        30.0,
    )


def test_validate_and_convert_a_url(server: str) -> None:
    checked = run("validate", "--depth", "1", f"{server}/files/")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == f"PROPFIND {server}/files/ (207): no RFC 4918 violations\n"
    converted = run("convert", "--to", "xml", "--depth", "0", f"{server}/files/")
    assert converted.stdout.endswith("</D:multistatus>\n")
    assert ms.from_xml(converted.stdout.encode()).responses[0].href == "/files/"


def test_an_answer_that_is_not_a_multistatus_exits_2(server: str) -> None:
    result = run("inspect", f"{server}/nowhere")
    assert result.returncode == 2
    assert "HTTP 404" in result.stderr
    assert "try / for instructions" in result.stderr


def test_no_answer_exits_3_and_other_schemes_are_refused() -> None:
    refused = run("inspect", "--timeout", "5", "http://127.0.0.1:9/")
    assert refused.returncode == 3
    assert refused.stderr.startswith("multistatus inspect: error: GET http://127.0.0.1:9/: no answer")
    assert run("inspect", "file:///etc/passwd").returncode == 2
    assert "only http:// and https://" in run("inspect", "ftp://example.com/x").stderr
    assert "Name: value" in run("inspect", "-H", "broken", "http://127.0.0.1:9/").stderr


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    result = run("inspect", str(tmp_path / "nope.xml"))
    assert result.returncode == 2
    assert "No such file or directory" in result.stderr


# -- the exit-status table of docs/cli.rst, one row per case ------------------------------
def _xml(*responses: ms.Response) -> bytes:
    return ms.to_xml(ms.MultiStatus(list(responses)))


OK = ms.PropStat({"{DAV:}getetag": '"1"'})
MISSING = ms.PropStat({"{x:}color": None}, 404)
FORBIDDEN = ms.PropStat({"{DAV:}owner": None}, 403)


@pytest.mark.parametrize(
    ("body", "code", "summary"),
    [
        pytest.param(_xml(ms.Response("/a", status=200)), 0, "1 succeeded", id="all-succeeded"),
        pytest.param(_xml(), 0, "0 succeeded", id="empty"),
        pytest.param(_xml(ms.Response("/a", propstats=[OK, MISSING])), 0, "1 with properties not found", id="404-prop"),
        pytest.param(_xml(ms.Response("/a", propstats=[MISSING])), 1, "1 failed", id="only-404-props"),
        pytest.param(_xml(ms.Response("/a", propstats=[OK, FORBIDDEN])), 1, "1 partial", id="403-prop"),
        pytest.param(_xml(ms.Response("/a", status=200), ms.Response("/b", status=423)), 1, "1 failed", id="failed"),
        pytest.param(_xml(ms.Response("/a", status=302, location="/b")), 1, "1 other", id="redirect"),
        pytest.param(b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href></D:response></D:multistatus>', 1,
                     "1 other", id="href-only"),
        pytest.param(b"<D:multistatus xmlns:D='DAV:'><D:response>", 2, None, id="malformed"),
        pytest.param(b"<!DOCTYPE html><html><h1>Oops</h1></html>", 2, None, id="html-page"),
    ],
)  # fmt: skip
def test_exit_status_table(
    body: bytes, code: int, summary: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import _Stdin

    monkeypatch.setattr(sys, "stdin", _Stdin(body))
    assert cli.main(["inspect", "--color=never", "-"]) == code
    out = capsys.readouterr().out
    if summary is None:
        assert out == ""
        return
    assert summary in next(line for line in out.splitlines() if line.startswith("Summary: "))  # agrees with the code...
    last = out.splitlines()[-1]
    assert (
        last == "Exit status 0: every response succeeded"
        if code == 0
        else re.fullmatch(r"Exit status 1: \d+ of \d+ did not succeed", last)
    )
    monkeypatch.setattr(sys, "stdin", _Stdin(body))
    assert cli.main(["inspect", "--json", "-"]) == code
    assert json.loads(capsys.readouterr().out)["exit_code"] == code  # ...and so does --json


def test_positions_are_given_once_and_right(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import _Stdin

    cases: list[tuple[bytes, str]] = [
        (b"<D:multistatus xmlns:D='DAV:'>\n<D:response>\n<D:href>/a</D:hre>", "(line 3, column "),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<D:multistatus xmlns:D="DAV:"/>',
            "(line 2, column 1)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)), "(it starts with b'\\x89PNG\\r\\n\\x1a\\n"),
    ]
    for body, where in cases:
        monkeypatch.setattr(sys, "stdin", _Stdin(body))
        assert cli.main(["inspect", "-"]) == 2
        err: Any = capsys.readouterr().err
        assert where in err, err
        assert err.count("line ") <= 2  # libxml2's own "line" in its text, and the position once
        assert "\x00" not in err
        assert "\x89" not in err


# -- the same paths in process, so coverage sees them --------------------------------------
def test_fetching_in_process(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import _Stdin

    items = json.dumps(list(demo.SAMPLE_ITEMS)).encode()
    monkeypatch.setattr(sys, "stdin", _Stdin(items))
    assert (
        cli.main(["inspect", "--color=never", "--data", "@-", "-H", "Prefer: return=minimal", f"{server}/batch"]) == 1
    )
    assert "7 succeeded, 3 failed" in capsys.readouterr().out
    args = ["--depth", "1", "-H", "content-type: text/xml", "--data", PROPFIND_NAMED, f"{server}/files/"]
    assert cli.main(["inspect", "--color=never", "--width", "50", *args]) == 0
    out = capsys.readouterr().out
    assert "…" in out
    assert all(len(line) <= 50 for line in out.splitlines() if not line.startswith("Summary"))
    assert cli.main(["validate", *args]) == 0
    assert cli.main(["inspect", "--timeout", "5", "http://127.0.0.1:9/"]) == 3
    assert "no answer" in capsys.readouterr().err
    assert cli.main(["inspect", "-H", "no colon", f"{server}/files/"]) == 2
    assert cli.main(["inspect", "ftp://example.com/x"]) == 2
    assert cli.main(["inspect", f"{server}/nowhere"]) == 2  # an HTTPError answer, read like any other
    assert "try / for instructions" in capsys.readouterr().err


def test_width_comes_from_the_option_the_terminal_or_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import os

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            return 1

    def report(stdout: io.StringIO, *args: str) -> str:
        monkeypatch.setattr(sys, "stdout", stdout)
        cli.main(["inspect", "--color=never", *args])
        return stdout.getvalue()

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((72, 24)))  # a terminal 72 wide
    unclipped = report(io.StringIO(), "--width", "0")
    assert report(Terminal()) == report(io.StringIO(), "--width", "72") != unclipped
    assert report(Terminal(), "--width", "-5") == unclipped
    assert report(io.StringIO()) == unclipped  # a pipe or a file: nothing clipped
    monkeypatch.setenv("COLUMNS", "90")
    assert report(io.StringIO()) == report(io.StringIO(), "--width", "90") != unclipped
    table = report(io.StringIO(), "--width", "50").split("\n\n")[1]
    assert max(len(line) for line in table.splitlines()) == 50
