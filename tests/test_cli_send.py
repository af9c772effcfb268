"""``multistatus send``: the real command against the demo on 127.0.0.1, the dead-letter file, its resend."""

from __future__ import annotations

import io
import json
import subprocess
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


def send(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "multistatus", "send", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_failed_items_go_to_the_dead_letter_file_and_the_corrected_file_completes(url: str, tmp_path: Path) -> None:
    items = [{"id": str(n), "name": f"item {n}"} for n in range(6)]
    items[2]["name"] = ""
    source = tmp_path / "items.json"
    source.write_text(json.dumps(items))
    failed, report = tmp_path / "failed.jsonl", tmp_path / "report.jsonl"
    done = send(url, str(source), "--chunk-size", "5", "--failed", str(failed), "--failed-report", str(report))
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""  # no progress bar: standard error is not a terminal
    assert "6 items in 2 requests" in done.stdout
    assert "422  id 2  invalid" in done.stdout
    assert [json.loads(line) for line in failed.read_text().splitlines()] == [items[2]]  # as it was read
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["item"], r["status"], r["error"]["code"], r["attempts"]) for r in rows] == [
        (items[2], 422, "invalid", 1)
    ]
    failed.write_text(failed.read_text().replace('"name":""', '"name":"fixed"'))
    again = send(url, str(failed), "--json")
    assert again.returncode == 0, again.stdout
    outcome = json.loads(again.stdout)
    assert (outcome["items"], outcome["succeeded"], outcome["failures"], outcome["exit_code"]) == (1, 1, [], 0)


def test_json_lines_from_standard_input_with_bad_lines(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    lines = b'{"id": "a", "name": "x"}\n\nnot json\n{"name": "no id"}\n'
    failed, report = tmp_path / "failed.jsonl", tmp_path / "report.jsonl"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    argv = ["send", url, "-", "--failed", str(failed), "--failed-report", str(report), "-H", "X-Trace: 1"]
    assert cli.main(argv) == 1
    out = capsys.readouterr().out
    assert "400  not json  no_id line 3 is not a JSON value" in out
    assert f"The items to send again are in {failed}" in out
    assert failed.read_text() == 'not json\n{"name":"no id"}\n'  # as read: corrected, it is sent again
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["item"], r["status"], r["error"]["code"]) for r in rows] == [
        ("not json", 400, "no_id"),
        ({"name": "no id"}, 400, "no_id"),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["http://127.0.0.1:9/batch", "{file}", "--max-attempts", "1"], 3, "", id="no-server"),
        pytest.param(["{url}", "{file}", "--json"], 1, "", id="failed"),
        pytest.param(["{url}", "missing.json"], 2, "cannot read missing.json", id="missing-file"),
        pytest.param(["{url}", "{bad}"], 2, "is not a JSON array", id="bad-array"),
        pytest.param(["ftp://x/batch", "{file}"], 2, "only http:// and https://", id="scheme"),
        pytest.param(["{url}", "{file}", "--chunk-size", "0"], 2, "chunk_size must be a positive int", id="option"),
        pytest.param(["{url}", "{file}", "-H", "X: a\x01b"], 2, "control characters", id="header"),
        pytest.param(["{url}", "{file}", "--failed", "/nonexistent/dir/f"], 2, "cannot write", id="unwritable"),
    ],
)
def test_exit_statuses(
    url: str, tmp_path: Path, args: list[str], code: int, message: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    good, bad = tmp_path / "items.json", tmp_path / "bad.json"
    good.write_text('[{"id": "1", "name": ""}]')
    bad.write_text("[1, 2")
    monkeypatch.chdir(tmp_path)
    argv = [a.format(url=url, file=good, bad=bad) for a in args]
    assert cli.main(["send", *argv]) == code
    assert message in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("no_color", ["", "1"])
def test_the_progress_bar_on_a_terminal(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, no_color: str
) -> None:
    source = tmp_path / "items.json"
    source.write_text(json.dumps([{"id": str(n), "name": "x"} for n in range(12)] + [{"id": "p", "protected": 1}]))
    stderr = Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("NO_COLOR", no_color)
    assert cli.main(["send", url, str(source), "--chunk-size", "5"]) == 1
    bar = stderr.getvalue()
    assert bar.endswith("\n")
    assert "[" + "#" * 30 + "] 13/13" in bar
    assert ("\x1b[" in bar) is (not no_color)
    assert "many" not in capsys.readouterr().out


def test_the_progress_of_json_lines_has_no_total(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "items.jsonl"
    source.write_text('{"id": "1", "name": "x"}\n')
    stderr = Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert cli.main(["send", url, str(source)]) == 0
    assert "1 done" in stderr.getvalue()


def test_many_failures_are_listed_up_to_twenty(url: str, tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "items.json"
    source.write_text(json.dumps([{"id": str(n), "name": ""} for n in range(25)]))
    assert cli.main(["send", url, str(source), "--max-time", "0"]) == 1
    out = capsys.readouterr().out
    assert "Stopped: the time limit of 0s was reached" in out
    assert "and 5 more (--failed-report FILE lists them all)" in out


def test_the_demo_options_reach_the_demo(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    got: dict[str, Any] = {}

    def run(host: str, port: int, **options: Any) -> int:
        got.update(options)
        return 0

    monkeypatch.setattr(demo, "run", run)
    assert cli.main(["demo", "--quota", "3"]) == 0
    assert got["quota"] == 3
    assert cli.main(["demo", "--quota", "0", "--faults", "0.2", "--fault-retry-after", "0"]) == 0
    assert (got["quota"], got["faults"].rate, got["faults"].retry_after) == (None, 0.2, 0)
    assert cli.main(["demo", "--faults", "0.3"]) == 0
    assert got["faults"].retry_after == 1
    assert cli.main(["demo", "--faults", "2"]) == 2
    assert "share" in capsys.readouterr().out
