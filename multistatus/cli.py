"""The ``multistatus`` command: inspect, convert and validate multistatus bodies, run the demo.

::

    multistatus inspect [FILE|-]             table of responses, failures, summary
    multistatus convert --to json|xml [FILE|-]
    multistatus validate [FILE|-]            RFC 4918 violations with line numbers
    multistatus demo [--host H] [--port P] [--self-test]

Input is XML or JSON (told apart by its first bytes), or a whole HTTP response
as ``curl -i`` prints it (status line, headers, then the body, chunked or not).
``-`` reads standard input, so ``curl -s -X PROPFIND ... | multistatus inspect -``
works.  ``inspect`` with no FILE shows a bundled example.

Exit status: 0 when everything succeeded (``inspect``) or no violation was
found (``validate``); 1 when some item failed or some rule is broken; 2 when
the input cannot be read (a one-line message on standard error).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import IO, TextIO

from ._client import from_body, retry_after, sniff
from ._exceptions import MultiStatusError, ParseError
from ._hrefs import display_href, escape_text
from ._json import to_json
from ._model import MultiStatus, Response
from ._model._grouping import error_keys, group_by_error, group_by_status
from ._xml import to_xml, validate

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2
_HREF_WIDTH = 60
_SHORT_NS = {"DAV:": "D:", "urn:ietf:params:xml:ns:caldav": "C:", "urn:ietf:params:xml:ns:carddav": "CR:"}


class _Unreadable(Exception):
    """The input cannot be turned into a multistatus; the message is shown as is."""


@dataclass(frozen=True)
class _Input:
    name: str
    body: bytes
    content_type: str | None = None
    status: int | None = None

    def document(self) -> MultiStatus:
        return from_body(self.body, self.content_type, status=self.status)


# -- reading -------------------------------------------------------------------------
def _read_http_message(data: bytes) -> tuple[int | None, str | None, bytes]:
    """Status, Content-Type and decoded body of an HTTP/1.x response as ``curl -i`` prints it."""
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            head, sep, rest = data.partition(b"\n\n")
        if not sep:
            raise _Unreadable("the HTTP response has no blank line between its headers and its body")
        lines = head.decode("latin-1").splitlines()
        parts = lines[0].split(None, 2)
        # ASCII digits only: str.isdigit() also takes "²" and "２", which int() refuses or misreads.
        if len(parts) < 2 or not (len(parts[1]) == 3 and parts[1].isascii() and parts[1].isdigit()):
            raise _Unreadable(f"not an HTTP status line (HTTP/1.1 and a 3-digit status): {lines[0][:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        if 100 <= status < 200 and rest.startswith(b"HTTP/"):
            data = rest  # curl -i shows "100 Continue" before the real response
            continue
        if "chunked" in headers.get("transfer-encoding", "").lower():
            rest = _dechunk(rest)
        return status, headers.get("content-type"), rest


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise _Unreadable("the chunked body is cut short (no chunk size line)")
        size_text = data[pos:end].split(b";", 1)[0].strip()
        try:
            # Only hex digits: int() also takes "-6", "+6" and "6_0", and a
            # negative size would move backwards and loop forever.
            size = int(size_text, 16) if size_text.isalnum() else -1
        except ValueError:
            size = -1
        if size < 0:
            raise _Unreadable(f"bad chunk size {size_text[:20]!r} in the chunked body")
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(data):
            raise _Unreadable("the chunked body is cut short")
        out += data[start : start + size]
        pos = start + size + 2


def _read(path: str | None, stdin: IO[bytes]) -> _Input:
    if path is None:
        ref = resources.files("multistatus").joinpath("data/example.xml")
        return _Input("bundled example", ref.read_bytes(), "application/xml")
    if path == "-":
        name, data = "<stdin>", stdin.read()
    else:
        try:
            with open(path, "rb") as handle:
                name, data = path, handle.read()
        except OSError as exc:
            raise _Unreadable(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.lstrip()[:5] == b"HTTP/":
        status, content_type, body = _read_http_message(data.lstrip())
        return _Input(name, body, content_type, status)
    return _Input(name, data)


# -- rendering -----------------------------------------------------------------------
class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def status(self, code: int, text: str | None = None) -> str:
        text = text if text is not None else str(code)
        colour = "32" if code < 300 else "33" if code < 400 else "31"
        return self.paint(text, colour)

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")


def _colour_wanted(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _short(name: str) -> str:
    ns, _, local = name[1:].partition("}")
    prefix = _SHORT_NS.get(ns)
    if prefix is not None:
        return prefix + local
    return local if not ns else f"{{{ns}}}{local}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _href_cell(response: Response) -> str:
    text = display_href(response.href)
    if len(response.hrefs) > 1:
        text += f" (+{len(response.hrefs) - 1} more)"
    return _clip(text, _HREF_WIDTH)


def _props_cell(response: Response) -> str:
    found = sum(len(ps.props) for ps in response.propstats if ps.status.is_success)
    parts = [f"{found} found"] if response.propstats else []
    for ps in response.propstats:
        if not ps.status.is_success and ps.props:
            parts.append(f"{ps.status.code}: " + ", ".join(_short(p.name) for p in ps.props))
    return "; ".join(parts)


def _error_cell(response: Response) -> str:
    parts = [_short(k) if k.startswith("{") else escape_text(k) for k in error_keys(response) if k is not None]
    error = response.error
    if error is not None and error.message:
        parts.append(escape_text(error.message))
    elif response.description and response.outcome in ("failed", "partial"):
        parts.append(escape_text(response.description))
    delay = retry_after(response)
    if delay is not None and response.status is not None and response.status.is_error:
        parts.append(f"retry after {delay:g}s")
    return " — ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _groups(
    title: str, groups: Sequence[tuple[str, str | None, tuple[Response, ...]]], style: _Style, out: TextIO
) -> None:
    print(file=out)
    print(style.bold(title), file=out)
    width = max(len(label) for label, _, _ in groups)
    for label, painted, group in groups:
        hrefs = ", ".join(_clip(display_href(r.href), 40) for r in group[:5])
        more = f" and {len(group) - 5} more" if len(group) > 5 else ""
        shown = (painted or label) + " " * (width - len(label))
        print(f"  {shown}  {_plural(len(group), 'response')}: {hrefs}{more}", file=out)


def _render(doc: MultiStatus, name: str, style: _Style, out: TextIO) -> None:
    responses = doc.responses
    with_id = any(r.id is not None for r in responses)
    rows: list[tuple[str, ...]] = []
    codes: list[int] = []
    for r in responses:
        status = " ".join(dict.fromkeys(str(s.code) for s in r.statuses)) or "-"
        row = (status, *((escape_text(r.id or ""),) if with_id else ()), _href_cell(r), _props_cell(r), _error_cell(r))
        rows.append(row)
        worst = max((s.code for s in r.statuses), default=0)
        codes.append(worst)
    header = ("STATUS", *(("ID",) if with_id else ()), "HREF", "PROPERTIES", "ERROR")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str], colour_first: int | None = None) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=True)]
        if colour_first is not None:
            padded[0] = style.status(colour_first, padded[0])
        return "  ".join(padded).rstrip()

    print(style.bold(f"{escape_text(name)}: {_plural(len(responses), 'response')}"), file=out)
    if doc.description:
        print(style.dim(escape_text(doc.description)), file=out)
    if doc.sync_token:
        print(style.dim(f"sync-token: {escape_text(doc.sync_token)}"), file=out)
    if rows:
        print(file=out)
        print(style.bold(line(header)), file=out)
        for row, code in zip(rows, codes, strict=True):
            print(line(row, code or None), file=out)

    bad = [r for r in responses if r.outcome in ("failed", "partial")]
    if bad:
        by_status = [(str(code), style.status(code), g) for code, g in group_by_status(bad).items() if code >= 400]
        _groups("Failures by status", by_status, style, out)
        by_error = group_by_error(bad)
        if any(key is not None for key in by_error):
            labelled = [
                (_short(k) if k.startswith("{") else escape_text(k), None, g)
                for k, g in by_error.items()
                if k is not None
            ]
            if None in by_error:
                labelled.append(("(no error detail)", None, by_error[None]))
            _groups("Failures by error", labelled, style, out)

    s = doc.summary
    print(file=out)
    parts = [
        style.status(200, f"{s.succeeded} succeeded"),
        style.status(500, f"{s.failed} failed") if s.failed else f"{s.failed} failed",
        style.status(300, f"{s.partial} partial") if s.partial else f"{s.partial} partial",
        f"{s.other} other",
    ]
    counts = ", ".join(f"{code}×{count}" for code, count in s.by_status.items())
    summary = f"Summary: {_plural(s.total, 'response')}: " + ", ".join(parts)
    if counts:
        summary += f" (statuses {counts})"
    if s.truncated:
        summary += "; the server left results out (507 truncated)"
    print(summary, file=out)


# -- commands ------------------------------------------------------------------------
def _inspect(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    source = _read(args.file, stdin)
    doc = source.document()
    _render(doc, source.name, _Style(_colour_wanted(args.color, out)), out)
    s = doc.summary
    return EXIT_FAILED if s.failed or s.partial else EXIT_OK


def _convert(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    doc = _read(args.file, stdin).document()
    if args.to == "json":
        data = to_json(doc, indent=2 if args.pretty else None) + b"\n"
    else:
        data = to_xml(doc, pretty=args.pretty)
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK


def _validate(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    source = _read(args.file, stdin)
    doc = source.document()  # refuses what is not a multistatus, with a clear message
    if sniff(source.body) == "xml":
        violations = validate(source.body)
    else:  # JSON: the rules are checked on its XML form, so there are no lines
        violations = validate(doc)
    for v in violations:
        where = f"{source.name}:{v.line}" if v.line is not None else source.name
        print(escape_text(f"{where}: {v.code}: {v.message}"), file=out)
    if violations:
        print(f"{_plural(len(violations), 'violation')} of RFC 4918", file=out)
        return EXIT_FAILED
    print(f"{escape_text(source.name)}: no RFC 4918 violations", file=out)
    return EXIT_OK


def _demo(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    # Imported only here: the demo pulls in the WSGI side, which the other commands never need.
    from . import demo

    return int(demo.run(args.host, args.port, self_test=args.self_test))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="multistatus",
        description="Inspect, convert and validate RFC 4918 multistatus (HTTP 207) bodies, XML or JSON.",
        epilog="Example: curl -s -X PROPFIND -H 'Depth: 1' http://localhost/dav/ | multistatus inspect -",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"multistatus {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    file_help = "a body (XML or JSON) or a whole HTTP response (curl -i); - for standard input"
    inspect = commands.add_parser(
        "inspect",
        help="show the responses, the failures grouped by status and error, and a summary",
        description="Show each response (href, status, properties found or missing, errors), the failures "
        "grouped by status and by error, and a summary.  Exit 0 when every item succeeded, 1 when some failed.",
    )
    inspect.add_argument("file", nargs="?", metavar="FILE", help=file_help + " (default: a bundled example)")
    inspect.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the statuses (auto: on a terminal, unless NO_COLOR is set)",
    )
    inspect.set_defaults(run=_inspect)

    convert = commands.add_parser(
        "convert", help="convert between XML and JSON", description="Convert a multistatus to JSON or XML."
    )
    convert.add_argument("--to", choices=("json", "xml"), required=True, help="the output format")
    convert.add_argument("--pretty", action="store_true", help="indent the output")
    convert.add_argument("file", nargs="?", default="-", metavar="FILE", help=file_help + " (default: -)")
    convert.set_defaults(run=_convert)

    check = commands.add_parser(
        "validate",
        help="list RFC 4918 violations with line numbers",
        description="List the RFC 4918 rules a multistatus breaks, with line numbers.  Exit 1 if any.",
    )
    check.add_argument("file", nargs="?", default="-", metavar="FILE", help=file_help + " (default: -)")
    check.set_defaults(run=_validate)

    demo = commands.add_parser("demo", help="run the demo server (batch endpoint and PROPFIND responder)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    demo.add_argument("--self-test", action="store_true", help="start, query itself once, and stop")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``multistatus`` command line and return its exit status.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).

    Returns:
        0 on success, 1 when an item failed or a rule is broken, 2 when the
        input cannot be read.

    Example:
        >>> from multistatus.cli import main
        >>> main(["inspect", "--color=never"])  # doctest: +ELLIPSIS
        bundled example: 7 responses
        ...
        Summary: 7 responses: 3 succeeded, 3 failed, 1 partial, 0 other (statuses 200×3, 201×1, 404×1, 423×1, 424×1, 429×1)
        1
    """
    args = _parser().parse_args(argv)
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if callable(reconfigure):  # hrefs decode to any character; never die on a narrow terminal
        reconfigure(errors="backslashreplace")
    stdin = sys.stdin.buffer
    if getattr(args, "file", None) == "-" and sys.stdin.isatty() and args.command != "demo":
        print(f"multistatus {args.command}: reading a body from the terminal; end it with Ctrl-D", file=sys.stderr)
    try:
        code: int = args.run(args, stdin, out)
    except (_Unreadable, MultiStatusError, ParseError) as exc:
        message = escape_text(" ".join(str(exc).split()))  # messages quote the input
        print(f"multistatus {args.command}: error: {message}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # `multistatus inspect big.xml | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code
