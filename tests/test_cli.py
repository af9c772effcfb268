"""The command line, run as users run it: ``python -m multistatus ...`` in a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import multistatus as ms
from tests.conftest import DATA, Case, all_cases, expected_facts, facts_of

ROOT = Path(ms.__file__).resolve().parent.parent
MANY = ms.to_xml(
    ms.MultiStatus(
        [ms.Response(f"/dav/f{i}", status=404) for i in range(7)]
        + [ms.Response(["/dav/x", "/dav/y"], status=423), ms.Response("/dav/loc", status=301, location="/dav/new")]
    )
)
BAD_JSON_DOC = ms.to_json(ms.MultiStatus([ms.Response("/a", status=301)]))
EMPTY = ms.to_xml(ms.MultiStatus())
TRUNCATED = ms.to_xml(
    ms.MultiStatus([ms.Response("/c/", status=507, error=ms.Error(["{DAV:}number-of-matches-within-limits"]))])
)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    env.pop("COLUMNS", None)  # (the width of the terminal pytest runs in is not the command's)
    env.pop("NO_COLOR", None)
    env.update(extra or {})
    return env


def run_bytes(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "multistatus", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=_env(env),
        check=False,
    )


def run(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = run_bytes(*args, stdin=stdin, env=env)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_inspect_the_bundled_example() -> None:
    result = run("inspect")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.startswith("bundled example: 7 responses\n")
    assert "\x1b[" not in out  # not a terminal: no colours
    lines = out.splitlines()
    assert any(line.split()[:2] == ["200", "404"] and "/dav/projects/résumé.txt" in line for line in lines)
    assert lines[1] == "Names: D: = DAV:, ns1: = http://example.com/ns/"  # the key, once, at the top
    assert "404: ns1:color" in out
    assert "{" not in out  # every name through the key: no Clark names
    assert "[folder] /dav/projects/" in out
    assert "D:lock-token-submitted" in out
    assert "rate_limited — Too many writes; retry in 30 seconds. — retry after 30s" in out
    failures = out.split("Failures by status\n")[1].split("\n\n")[0]
    assert "404" not in failures  # a property the resource does not have is not a failure...
    assert (
        "Properties not found (404 next to 2xx: not failures)\n  ns1:color  1 response: /dav/projects/résumé.txt" in out
    )
    assert "Failures by error" in out
    assert out.endswith(
        "Summary: 7 responses: 4 succeeded (1 with properties not found), 3 failed, 0 partial, 0 other\n"
        "Statuses: 200×3, 201×1, 404×1, 423×1, 424×1, 429×1\nExit status 1: 3 of 7 did not succeed\n"
    )
    assert result.stderr == ""


def test_inspect_colours_on_request_and_never_with_no_color() -> None:
    coloured = run("inspect", "--color=always")
    assert "\x1b[31m423" in coloured.stdout
    assert "\x1b[32m200" in coloured.stdout
    assert "\x1b[" not in run("inspect", "--color=never").stdout


def test_inspect_auto_colour_on_a_terminal_unless_no_color() -> None:
    pty = pytest.importorskip("pty")
    code = "import sys; from multistatus.cli import main; sys.exit(main(['inspect']))"
    for no_color, expect in (("", True), ("1", False)):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("NO_COLOR", None)
        if no_color:
            env["NO_COLOR"] = no_color
        leader, follower = pty.openpty()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code], stdout=follower, stderr=subprocess.PIPE, env=env, timeout=60, check=False
            )
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(leader)
        assert proc.returncode == 1
        assert (b"\x1b[" in b"".join(chunks)) is expect


def _capture_cases() -> list[Any]:
    return [c.param() for c in all_cases() if c.server in ("apache2", "wsgidav", "radicale") and c.is_multistatus][::6]


def _verdict(response: dict[str, Any]) -> str:
    """What docs/cli.rst says ``inspect`` makes of a response, from the corpus manifest's status codes.

    All 2xx succeeded, all 4xx/5xx failed, both partial, otherwise other; a 404
    propstat next to a 2xx one is not a failure.
    """
    codes = (
        [response["status_code"]]
        if response["status"] is not None
        else [p["status_code"] for p in response["propstats"]]
    )
    if not codes or any(c is None or not (200 <= c < 300 or c >= 400) for c in codes):
        return "other"
    errors = [c for c in codes if c >= 400]
    if len(errors) == len(codes):
        return "failed"
    return "succeeded" if all(c == 404 for c in errors) else "partial"


@pytest.mark.parametrize("case", _capture_cases())
def test_inspect_corpus_bodies_and_whole_http_captures(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    """In process (cli.main, what ``python -m multistatus`` runs): the tests above start the real command."""
    from multistatus import cli

    def inspect(*args: str) -> tuple[int, str]:
        code = cli.main(["inspect", *args])
        captured = capsys.readouterr()
        assert captured.err == ""
        return code, captured.out

    doc = ms.from_xml(case.body())
    assert case.facts is not None
    verdicts = [_verdict(r) for r in case.facts["responses"]]
    expected = 0 if all(v == "succeeded" for v in verdicts) else 1
    for path in (case.body_path, case.http_path):
        code, out = inspect("--width", "0", str(path))
        assert code == expected
        assert out.startswith(f"{path}: {len(doc.responses)} response")
        assert "{" not in out.split("\n\n")[1]  # property names through the key, in the table
        for response in doc:
            assert ms.display_href(response.href) in out
        summary = next(line for line in out.splitlines() if line.startswith("Summary: "))
        for kind in ("failed", "partial", "other"):
            assert f" {verdicts.count(kind)} {kind}" in summary
        assert ("Failures by status" in out) == any(v in ("failed", "partial") for v in verdicts)
        _, narrow = inspect("--width", "60", str(path))
        assert all(len(line) <= 60 for line in narrow.splitlines() if not line.startswith("Summary")), narrow


def test_inspect_reads_stdin_like_curl_output() -> None:
    body = (DATA / "apache2" / "22-delete-collection-locked-member.xml").read_bytes()
    result = run("inspect", "-", stdin=body)
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>: 1 response")
    assert "423" in result.stdout


def test_inspect_success_exits_zero() -> None:
    doc = ms.MultiStatus([ms.Response("/items/1", status=201, id="1")])
    result = run("inspect", "-", stdin=ms.to_json(doc))
    assert result.returncode == 0
    assert "Failures" not in result.stdout
    assert "Summary: 1 response: 1 succeeded, 0 failed, 0 partial, 0 other\nStatuses: 201×1\n" in result.stdout
    assert result.stdout.endswith("Exit status 0: every response succeeded\n")


def test_inspect_a_curl_i_capture_with_100_continue_and_chunks() -> None:
    body = ms.to_xml(ms.MultiStatus([ms.Response("/a", status=200)], sync_token="http://h/sync/1"))
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    capture = (
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 207 Multi-Status\r\nContent-Type: text/plain\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunked
    )
    result = run("inspect", "-", stdin=capture)
    assert result.returncode == 0, result.stderr
    assert "sync-token: http://h/sync/1" in result.stdout


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"\x00garbage\xff", "neither XML nor JSON", id="garbage"),
        pytest.param(b"<D:multistatus xmlns:D='DAV:'><D:response>", "line 1", id="truncated"),
        pytest.param(b"{]", "JSON", id="bad-json"),
        pytest.param(b"<!DOCTYPE html><html><h1>Oops</h1></html>", "HTML page", id="html"),
        pytest.param(b"<D:error xmlns:D='DAV:'><D:valid-sync-token/></D:error>", "DAV:error", id="dav-error"),
        pytest.param(b"HTTP/1.1 500 Oops\r\n", "no blank line", id="cut-capture"),
        pytest.param(b"HTTP/1.1 abc\r\n\r\n", "not an HTTP status line", id="bad-status-line"),
        pytest.param(b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size", id="bad-chunk"),
        pytest.param(
            b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\n-6\r\nabc\r\n0\r\n\r\n",
            "bad chunk size",
            id="negative-chunk-size",
        ),
        pytest.param(
            b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\n+3\r\n<a/\r\n0\r\n\r\n",
            "bad chunk size",
            id="signed-chunk-size",
        ),
        pytest.param(b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\nff\r\n<a/>", "cut short", id="short-chunk"),
        pytest.param(b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\n", "cut short", id="no-chunk"),
        pytest.param(b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<html>no</html>", "HTTP 403", id="403"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(stdin: bytes, message: str) -> None:
    result = run("inspect", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("multistatus inspect: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2() -> None:
    result = run("validate", "/nonexistent/body.xml")
    assert result.returncode == 2
    assert "cannot read /nonexistent/body.xml" in result.stderr


@pytest.mark.parametrize("case", _capture_cases())
def test_convert_round_trip_xml_json_xml(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process (cli.main, what ``python -m multistatus`` runs); the tests around start the real command."""
    from multistatus import cli

    def convert(*args: str, stdin: bytes = b"") -> bytes:
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        assert cli.main(["convert", *args]) == 0
        out.flush()
        data: bytes = out.buffer.getvalue()  # type: ignore[attr-defined]
        return data

    as_json = convert("--to", "json", str(case.body_path))
    json.loads(as_json)
    back = convert("--to", "xml", "-", stdin=as_json)
    assert facts_of(ms.from_xml(back)) == expected_facts(case.facts)  # type: ignore[arg-type]
    assert ms.from_xml(back) == ms.from_xml(case.body())


def test_convert_pretty_and_from_a_capture() -> None:
    path = DATA / "apache2" / "22-delete-collection-locked-member.http"
    pretty = run_bytes("convert", "--to", "json", "--pretty", str(path))
    assert pretty.stdout.startswith(b'{\n  "responses"')
    xml = run_bytes("convert", "--to", "xml", "--pretty", str(path))
    assert xml.stdout.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus')
    assert b"\n  <D:response>" in xml.stdout


def test_convert_refuses_garbage() -> None:
    result = run_bytes("convert", "--to", "xml", "-", stdin=b"nope")
    assert result.returncode == 2
    assert result.stdout == b""


def test_validate_lists_violations_with_line_numbers() -> None:
    body = (
        b"<D:multistatus xmlns:D='DAV:'>\n"
        b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>\n"
        b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 301 Moved</D:status></D:response>\n"
        b"</D:multistatus>"
    )
    result = run("validate", "-", stdin=body)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "<stdin>:3: duplicate-href: " in result.stdout
    assert lines[0].endswith("(at /D:multistatus/D:response[2]/D:href)")  # the element, not only the line
    assert any(line.startswith("<stdin>:3: redirect-without-location:") for line in lines)
    assert lines[-1] == "2 violations of RFC 4918"


def test_validate_clean_documents_and_json() -> None:
    clean = run("validate", str(DATA / "apache2" / "22-delete-collection-locked-member.xml"))
    assert clean.returncode == 0
    assert clean.stdout.endswith(": no RFC 4918 violations\n")
    bad = ms.MultiStatus([ms.Response("/a", status=301)])
    result = run("validate", "-", stdin=ms.to_json(bad))
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>: redirect-without-location:")
    assert "(at /D:multistatus/D:response/D:status)" in result.stdout
    assert run("validate").returncode == 2  # empty stdin


def test_validate_refuses_what_is_not_a_multistatus() -> None:
    result = run("validate", str(DATA / "wsgidav" / "23-move-collection-locked-member.http"))
    assert result.returncode == 2
    assert "DAV:error document ({DAV:}no-conflicting-lock)" in result.stderr


def test_usage_errors_and_help() -> None:
    assert run().returncode == 2
    assert "COMMAND" in run("--help").stdout
    assert run("convert", "x").returncode == 2  # --to is required
    from lxml import etree

    line = run("--version").stdout.strip()
    assert line.startswith(f"multistatus {ms.__version__} (pure Python, no accelerator; lxml {etree.__version__}, ")


def test_demo_subcommand_calls_the_demo_module() -> None:
    demo = pytest.importorskip("multistatus.demo")
    assert callable(demo.run)
    result = run("demo", "--port", "0", "--self-test")
    assert result.returncode == 0, result.stderr


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from multistatus import cli

    class Interrupted(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise KeyboardInterrupt  # Ctrl-C while the body is read

    stdin = _Stdin(b"")
    stdin.buffer = Interrupted()
    monkeypatch.setattr(sys, "stdin", stdin)
    assert cli.main(["inspect", "-"]) == 130


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``multistatus inspect big.xml | head -1``: no BrokenPipeError traceback."""
    big = tmp_path / "big.json"
    big.write_bytes(ms.to_json(ms.MultiStatus([ms.Response(f"/dav/file-{i}.txt", status=200) for i in range(5000)])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "multistatus", "inspect", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.readline().startswith(str(big).encode())
    proc.stdout.close()
    try:
        assert proc.wait(timeout=60) == 0
        assert b"Traceback" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.stderr.close()


# -- the same paths in process, so coverage sees them --------------------------------------
class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


CHUNKED = (DATA / "apache2" / "06-propfind-dinf-allprop-enabled.http").read_bytes()


@pytest.mark.parametrize(
    ("args", "stdin", "code", "out", "err"),
    [
        pytest.param(["inspect"], b"", 1, "bundled example: 7 responses", "", id="example"),
        pytest.param(["inspect", "--color=always"], b"", 1, "\x1b[31m423", "", id="colour"),
        pytest.param(["inspect", "-"], CHUNKED, 0, "<stdin>: 16 responses", "", id="chunked-capture"),
        pytest.param(["inspect", "-"], b"HTTP/1.1 207 M\n\n" + MANY, 1, "and 2 more", "", id="lf-capture-many"),
        pytest.param(["inspect", "-"], b"junk", 2, "", "neither XML nor JSON", id="junk"),
        pytest.param(["inspect", "-"], EMPTY, 0, "Summary: 0 responses: 0 succeeded", "", id="empty-multistatus"),
        pytest.param(["inspect", "-"], TRUNCATED, 1, "the server left results out", "", id="truncated"),
        pytest.param(
            ["inspect", "-"],
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 207 M\r\nX-No-Colon\r\n\r\n" + MANY,
            1,
            "<stdin>: 9 responses",
            "",
            id="100-continue",
        ),
        pytest.param(["inspect", "-"], b"HTTP/1.1 207\r\n", 2, "", "no blank line", id="cut"),
        pytest.param(["inspect", "-"], b"HTTP/1.1 x\r\n\r\n", 2, "", "status line", id="bad-status"),
        pytest.param(
            ["inspect", "-"],
            b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            2,
            "",
            "chunk size",
            id="bad-chunk",
        ),
        pytest.param(
            ["inspect", "-"],
            b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n<a",
            2,
            "",
            "cut short",
            id="short-chunk",
        ),
        pytest.param(
            ["inspect", "-"], b"HTTP/1.1 207 M\r\nTransfer-Encoding: chunked\r\n\r\n", 2, "", "cut short", id="no-size"
        ),
        pytest.param(["inspect", "/nonexistent"], b"", 2, "", "cannot read /nonexistent", id="missing-file"),
        pytest.param(
            ["inspect", str(DATA / "radicale" / "c15-report-sync-collection-initial.xml")],
            b"",
            0,
            "sync-token: http://radicale.org/ns/sync/",
            "",
            id="file-with-sync-token",
        ),
        pytest.param(["convert", "--to", "json"], CHUNKED, 0, '{"responses":[', "", id="to-json"),
        pytest.param(["convert", "--to", "xml", "--pretty"], MANY, 0, "<D:multistatus", "", id="to-xml"),
        pytest.param(["validate"], CHUNKED, 0, "no RFC 4918 violations", "", id="valid"),
        pytest.param(["validate"], BAD_JSON_DOC, 1, "redirect-without-location", "", id="invalid-json"),
    ],
)
def test_main_in_process(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: bytes,
    code: int,
    out: str,
    err: str,
) -> None:
    from multistatus import cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
    assert cli.main(args) == code
    captured = capsys.readouterr()
    assert out in captured.out
    assert err in captured.err


def test_convert_to_a_text_only_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    from multistatus import cli

    class TextOnly(io.StringIO):
        pass

    sink = TextOnly()
    monkeypatch.setattr(sys, "stdin", _Stdin(MANY))
    monkeypatch.setattr(sys, "stdout", sink)
    assert cli.main(["convert", "--to", "xml"]) == 0
    assert ms.from_xml(sink.getvalue()) == ms.from_body(MANY)


def test_reading_from_a_terminal_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from multistatus import cli

    class Terminal(_Stdin):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(MANY))
    assert cli.main(["validate", "-"]) == 0
    assert "end it with Ctrl-D" in capsys.readouterr().err


def test_broken_pipe_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from multistatus import cli

    class ClosedPipe(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError  # the reader went away (`multistatus inspect big.xml | head`)

    with ClosedPipe(open(tmp_path / "out", "wb")) as handle:
        monkeypatch.setattr(sys, "stdout", handle)
        assert cli.main(["inspect", "--color=never"]) == 0


def test_python_dash_m_entry_point(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["multistatus", "inspect", "--color=never"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("multistatus", run_name="__main__")
    assert info.value.code == 1
    assert capsys.readouterr().out.startswith("bundled example")


def test_demo_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from multistatus import cli, demo

    calls: list[tuple[Any, ...]] = []

    def run(host: str, port: int, *, self_test: bool = False, **extra: Any) -> int:
        calls.append((host, port, self_test, extra))
        return 0

    monkeypatch.setattr(demo, "run", run)
    assert cli.main(["demo", "--port", "8123", "--self-test"]) == 0
    assert cli.main(["demo", "--dav", "d", "--allow-host", "dav.test", "--allow-host", "x.test"]) == 0
    assert cli.main(["demo", "--dav", "d", "--max-resources", "50000"]) == 0
    assert calls == [
        ("127.0.0.1", 8123, True, {}),
        ("127.0.0.1", 8000, False, {"dav": "d", "allow_hosts": ("dav.test", "x.test")}),
        ("127.0.0.1", 8000, False, {"dav": "d", "max_resources": 50000}),
    ]


@pytest.mark.parametrize(("value", "said"), [("0", "give 1 or more"), ("-3", "give 1 or more")])
def test_demo_max_resources_must_be_positive(
    value: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from multistatus import cli

    assert cli.main(["demo", "--dav", str(tmp_path), "--max-resources", value]) == 2
    assert said in capsys.readouterr().out


def test_demo_max_resources_is_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    from multistatus import cli

    with pytest.raises(SystemExit) as info:
        cli.main(["demo", "--max-resources", "many"])
    assert info.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_no_color_wins_over_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    from multistatus import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def report() -> str:
        out = Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        cli.main(["inspect", "--color=auto"])
        return out.getvalue()

    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in report()
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" in report()
