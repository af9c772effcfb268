"""``multistatus send URL FILE``: a batch from a file, sent with :func:`~multistatus.send_batch`.

FILE is a JSON array of items or JSON lines (one item per line, read as it is
sent).  The failed and not-attempted items go to ``--failed`` exactly as they
were read, so the file can be corrected and sent again with the same command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, TextIO

from .._client._outcome import BatchOutcome, BatchPolicy, Progress
from .._client._retry import _default_key
from .._hrefs import escape_text
from . import EXIT_FAILED, EXIT_FETCH, EXIT_OK
from ._input import _Unreadable, with_headers
from ._render import plural, tty

__all__ = ["add_parser"]

_SHOWN = 20  # failures listed on the terminal; all of them go to --failed-report and --json


@dataclass(frozen=True)
class _BadLine:
    """A line of the input that is not JSON: failed (never sent), and written back to ``--failed`` as it was."""

    number: int
    text: str


def _key(item: object) -> str:
    if isinstance(item, _BadLine):
        raise TypeError(f"line {item.number} is not a JSON value")
    return _default_key(item)


def _lines(handle: IO[bytes]) -> Iterator[object]:
    for number, raw in enumerate(handle, 1):
        # Not UTF-8 (RFC 8259 §8.1): a bad line, never sent altered; its bytes kept as surrogate escapes.
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        if not text.strip():
            continue
        try:
            raw.decode("utf-8")
            yield json.loads(text)
        except (ValueError, RecursionError):  # (UnicodeDecodeError is a ValueError)
            yield _BadLine(number, text)


def _items(path: str, stdin: IO[bytes]) -> tuple[Iterator[object], int | None, IO[bytes] | None]:
    """The items of FILE (an iterator), how many when known, and the file to close."""
    try:
        handle = stdin if path == "-" else open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise _Unreadable(f"cannot read {path}: {exc.strerror or exc}") from None
    head = handle.peek(64)[:64] if hasattr(handle, "peek") else b""
    if head.lstrip().startswith(b"["):
        try:
            data = json.load(handle)
        except (ValueError, RecursionError) as exc:
            raise _Unreadable(f"{path} is not a JSON array: {exc}") from None
        finally:
            if handle is not stdin:
                handle.close()
        if not isinstance(data, list):  # pragma: no cover - "[" starts only an array
            raise _Unreadable(f"{path} is not a JSON array")
        return iter(data), len(data), None
    return _lines(handle), None, handle if handle is not stdin else None


class _Bar:
    """One line on standard error, redrawn: only when it is a terminal; colour unless NO_COLOR."""

    def __init__(self, total: int | None, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.colour = not os.environ.get("NO_COLOR")

    def __call__(self, p: Progress) -> None:
        paint = (lambda text, code: f"\x1b[{code}m{text}\x1b[0m") if self.colour else (lambda text, code: text)
        if self.total:
            filled = 30 * p.done // self.total
            head = f"[{'#' * filled}{'.' * (30 - filled)}] {p.done}/{self.total}"
        else:
            head = f"{p.done} done"
        text = (
            f"\r{head}  {paint(f'{p.succeeded} ok', 32)}, {paint(f'{p.failed} failed', 31 if p.failed else 0)}, "
            f"{p.retried} retried, {p.in_flight} in flight "
        )
        self.stream.write(text)
        self.stream.flush()

    def end(self) -> None:
        self.stream.write("\n")


def _original(item: object) -> object:
    return item.text if isinstance(item, _BadLine) else item


def _line(item: object) -> str:
    if isinstance(item, _BadLine):
        return item.text
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def _report(outcome: BatchOutcome[Any]) -> list[tuple[object, dict[str, Any]]]:
    """Each item that did not succeed, with its row for ``--failed-report`` and ``--json``."""
    rows: list[tuple[object, dict[str, Any]]] = []
    for letter in outcome.dead_letters:
        r = letter.response
        error = {"code": r.error.code, "message": r.error.message} if r.error is not None else None
        row = {"item": _original(letter.item), "status": r.code, "error": error, "attempts": letter.attempts}
        rows.append((letter.item, row))
    why = {"code": "not_attempted", "message": outcome.stopped}
    for item in outcome.not_attempted:
        rows.append((item, {"item": _original(item), "status": 424, "error": why, "attempts": 0}))
    return rows


def _write(path: str, lines: list[str]) -> None:
    try:
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:  # (a bad line's bytes as read)
            handle.writelines(line + "\n" for line in lines)
    except OSError as exc:
        raise _Unreadable(f"cannot write {path}: {exc.strerror or exc}") from None


def _exit_code(outcome: BatchOutcome[Any]) -> int:
    if outcome.ok:
        return EXIT_OK
    made = ("no_answer", "no_id", "not_json", "not_attempted")  # (made by the client: no answer behind them)
    answered = any(r.error is None or r.error.code not in made for r in outcome.document.responses)
    return EXIT_FETCH if outcome.requests and not answered else EXIT_FAILED


def _run(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    if not args.url.lower().startswith(("http://", "https://")):
        raise _Unreadable(f"only http:// and https:// URLs are sent to, not {args.url[:80]!r}")
    headers = with_headers({}, args.header)
    try:
        policy = BatchPolicy(
            chunk_size=args.chunk_size, max_attempts=args.max_attempts, max_time=args.max_time, timeout=args.timeout
        )
    except ValueError as exc:
        raise _Unreadable(str(exc)) from None
    from .._send import send_batch  # (the drivers import asyncio: only the send command needs them)

    items, total, handle = _items(args.file, stdin)
    bar = _Bar(total, sys.stderr) if tty(sys.stderr) else None
    try:
        outcome = send_batch(items, args.url, policy=policy, headers=headers, key=_key, progress=bar)
    finally:
        if handle is not None:
            handle.close()
        if bar is not None:
            bar.end()
    report = _report(outcome)
    if args.failed:
        _write(args.failed, [_line(item) for item, _ in report])
    if args.failed_report:
        _write(args.failed_report, [json.dumps(row) for _, row in report])
    code = _exit_code(outcome)
    s = outcome.summary
    if args.json:
        data = {
            "items": s.total,
            "succeeded": s.succeeded,
            "failed": len(outcome.dead_letters),
            "not_attempted": len(outcome.not_attempted),
            "requests": outcome.requests,
            "retries": outcome.retries,
            "seconds": round(outcome.elapsed, 3),
            "stopped": outcome.stopped,
            "by_status": {str(k): v for k, v in s.by_status.items()},
            "failures": [row for _, row in report],
            "anomalies": [{"kind": a.kind, "id": a.key, "detail": a.detail} for a in outcome.anomalies],
            "exit_code": code,
        }
        out.write(json.dumps(data, indent=2) + "\n")  # ASCII only: nothing the server sent reaches the terminal raw
        return code
    print(
        f"{plural(s.total, 'item')} in {plural(outcome.requests, 'request')} ({outcome.elapsed:.1f}s): "
        f"{s.succeeded} succeeded, {len(outcome.dead_letters)} failed, {len(outcome.not_attempted)} not attempted; "
        f"{outcome.retries} {'retry' if outcome.retries == 1 else 'retries'}",
        file=out,
    )
    if outcome.stopped:
        print(f"Stopped: {escape_text(outcome.stopped)}", file=out)
    for item, row in report[:_SHOWN]:
        error = row["error"] or {}
        what = " ".join(str(error[k]) for k in ("code", "message") if error.get(k))
        print(escape_text(f"  {row['status']}  {_name(item)}  {what}"), file=out)
    if len(report) > _SHOWN:
        print(f"  and {len(report) - _SHOWN} more (--failed-report FILE lists them all)", file=out)
    if report and args.failed:
        print(f"The items to send again are in {escape_text(args.failed)}", file=out)
    return code


def _name(item: object) -> str:
    try:
        return f"id {_key(item)}"
    except TypeError:
        text = _line(item)
        return text[:60] + ("..." if len(text) > 60 else "")


def add_parser(commands: Any) -> None:
    """The ``send`` sub-command."""
    send = commands.add_parser("send", help="send a batch (JSON array or JSON lines), retrying only what failed")
    send.description = (
        "Exit 0: every item succeeded; 1: some did not (see --failed); 2: unreadable FILE or bad options; "
        "3: no request got an answer."
    )
    send.add_argument("url", metavar="URL", help="the batch endpoint (http or https)")
    send.add_argument("file", metavar="FILE", help="the items: a JSON array or JSON lines; - for standard input")
    send.add_argument("--chunk-size", type=int, default=100, help="items per request (default: 100)")
    send.add_argument("--max-attempts", type=int, default=5, help="sends of one item at most (default: 5)")
    send.add_argument("--max-time", type=float, default=None, help="seconds after which nothing more is sent")
    send.add_argument("--timeout", type=float, default=30.0, help="seconds for one request (default: 30)")
    send.add_argument("-H", "--header", action="append", default=[], help="a request header 'Name: value' (repeat)")
    send.add_argument("--failed", metavar="FILE", help="write the items that did not succeed, as JSON lines")
    send.add_argument("--failed-report", metavar="FILE", help="write each of them with its status and error")
    send.add_argument("--json", action="store_true", help="print the outcome as JSON for scripts")
    send.set_defaults(run=_run)
