"""The ``multistatus`` command: inspect, convert and validate multistatus bodies, run the demo.

Input is XML or JSON (told apart by its first bytes), a whole HTTP response as
``curl -i`` prints it, or an http(s) URL fetched with urllib.  The exit-status
rule, the options and the output are described in ``docs/cli.rst``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import IO, TextIO

from ._client import from_response, retry_after, sniff
from ._demo_cli import add_demo_command
from ._exceptions import MultiStatusError, NotMultiStatus, ParseError
from ._fetch import FetchFailed, fetch
from ._hrefs import clip_text, display_href, escape_text, text_width
from ._http._html import Names, is_collection, item_message, job_line, listings, summary_dict, tally
from ._json import to_json
from ._limits import DEFAULT_LIMITS
from ._model import MultiStatus, Response
from ._model._grouping import error_keys
from ._xml import to_xml, validate

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_FETCH = 0, 1, 2, 3
LIMITS = DEFAULT_LIMITS  # fetched bodies are read and parsed within the same limits
_ACCEPT = "application/xml, text/xml;q=0.9, application/json;q=0.9, */*;q=0.1"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class _Unreadable(Exception):
    """The input cannot be turned into a multistatus; the message is shown as is (exit 2)."""


@dataclass(frozen=True)
class _Input:
    """A body and what came with it; duck-typed as a response for :func:`from_response`."""

    name: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status_code: int | None = None

    def document(self) -> MultiStatus:
        try:
            return from_response(self, limits=LIMITS)
        except ParseError as exc:
            raise _Unreadable(self._explain(exc)) from None

    def _explain(self, exc: ParseError) -> str:
        """The error once, with its position once."""
        text, line, column = exc.message, exc.line, exc.column
        if isinstance(exc, NotMultiStatus) and sniff(self.content) == "unknown":
            excerpt = repr(self.content[:24]) + ("..." if len(self.content) > 24 else "")
            text = re.sub(r"\(it starts with .*\)$", lambda _: f"(it starts with {excerpt})", text, flags=re.DOTALL)
        if isinstance(exc, NotMultiStatus) and exc.detail and exc.detail not in text:
            text += f": {exc.detail}"
        if self.status_code is None and "Content-Type" not in self.headers:
            text = text.replace("the body (no Content-Type)", self.name, 1)
        where = [f"line {line}" + (f", column {column}" if column is not None else "")] if line is not None else []
        where += [f"at {exc.path}"] if exc.path else []
        return f"{text} ({'; '.join(where)})" if where else text


# -- reading -------------------------------------------------------------------------
def version_line(version: str) -> str:
    """What ``--version`` prints: the release, that no accelerator is compiled in, and the lxml in use.

    Example:
        >>> version_line("0.1.0").startswith("multistatus 0.1.0 (pure Python, no accelerator; lxml ")
        True
    """
    from lxml import etree

    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    return f"multistatus {version} (pure Python, no accelerator; lxml {etree.__version__}, libxml2 {libxml2})"


def _read_http_message(data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and decoded body of an HTTP/1.x response as ``curl -i`` prints it."""
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
                headers[name.strip().title()] = value.strip()
        if 100 <= status < 200 and rest.startswith(b"HTTP/"):
            data = rest  # curl -i shows "100 Continue" before the real response
            continue
        if "chunked" in headers.pop("Transfer-Encoding", "").lower():
            rest = _dechunk(rest)
        return status, headers, rest


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise _Unreadable("the chunked body is cut short (no chunk size line)")
        size_text = data[pos:end].split(b";", 1)[0].strip()
        # Only hex digits: int() also takes "-6", "+6" and "6_0"; a negative size would loop forever.
        size = int(size_text, 16) if re.fullmatch(rb"[0-9A-Fa-f]+", size_text) else -1
        if size < 0:
            raise _Unreadable(f"bad chunk size {size_text[:20]!r} in the chunked body")
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(data):
            raise _Unreadable("the chunked body is cut short")
        out += data[start : start + size]
        pos = start + size + 2


def _read_file(path: str, stdin: IO[bytes]) -> bytes:
    if path == "-":
        return stdin.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        hint = "; to fetch a URL give it with http:// or https://" if isinstance(exc, FileNotFoundError) else ""
        raise _Unreadable(f"cannot read {path}: {exc.strerror or exc}{hint}") from None


def _read(args: argparse.Namespace, stdin: IO[bytes]) -> _Input:
    path: str | None = args.file
    if path is None:
        ref = resources.files("multistatus").joinpath("data/example.xml")
        return _Input("bundled example", ref.read_bytes(), {"Content-Type": "application/xml"})
    if path != "-" and not os.path.exists(path) and _URL.match(path):
        return _fetch(path, args, stdin)
    name = "<stdin>" if path == "-" else path
    data = _read_file(path, stdin)
    if data.lstrip()[:5] == b"HTTP/":
        status, headers, body = _read_http_message(data.lstrip())
        return _Input(name, body, headers, status)
    return _Input(name, data)


def _fetch(url: str, args: argparse.Namespace, stdin: IO[bytes]) -> _Input:
    """Send the request (:func:`multistatus._fetch.fetch`: one deadline, redirects kept safe)."""
    if not url.lower().startswith(("http://", "https://")):
        raise _Unreadable(f"only http:// and https:// URLs are fetched, not {url[:80]!r}")
    body = None
    if args.data is not None:
        body = _read_file(args.data[1:], stdin) if args.data.startswith("@") else args.data.encode("utf-8")
    headers = {"Accept": _ACCEPT, "Accept-Encoding": "identity", "User-Agent": "multistatus-cli"}
    if body is not None:
        headers["Content-Type"] = "application/json" if sniff(body) == "json" else "application/xml; charset=utf-8"
    if args.depth is not None:
        headers["Depth"] = args.depth
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip() or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name.strip()):
            raise _Unreadable(f"-H wants 'Name: value', not {header[:80]!r}")
        headers = {k: v for k, v in headers.items() if k.lower() != name.strip().lower()}
        headers[name.strip()] = value.strip()
    method = (args.method or ("PROPFIND" if args.depth is not None else "POST" if body is not None else "GET")).upper()
    limit = LIMITS.max_bytes
    status, got, data = fetch(url, method=method, headers=headers, data=body, timeout=args.timeout, max_bytes=limit)
    return _Input(f"{method} {url} ({status})", data, got, status)


# -- rendering -----------------------------------------------------------------------
def _tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _colour_wanted(choice: str, stream: TextIO) -> bool:
    return choice == "always" if choice != "auto" else not os.environ.get("NO_COLOR") and _tty(stream)


def _width_wanted(given: int | None, stream: TextIO) -> int:
    """Columns to fit: --width, else the terminal's when writing to one, else COLUMNS, else no limit (0)."""
    if given is not None:
        return max(given, 0)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if _tty(stream):
            return os.get_terminal_size(stream.fileno()).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else 0


@dataclass
class _Out:
    """Where the report goes: the stream, whether to colour it, the columns to fit (0: no limit)."""

    out: TextIO
    colour: bool
    width: int

    def paint(self, text: str, code: int | str) -> str:
        if isinstance(code, int):
            code = "" if not code else "32" if code < 300 else "33" if code < 400 else "31"
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and text and code else text

    def say(self, text: str = "", code: int | str = "") -> None:
        print(self.paint(clip_text(text, self.width), code), file=self.out)


def _fit(natural: list[int], width: int) -> list[int]:
    """Column widths within *width*: the widest column after the first gives a cell, down to 8, until all fit."""
    out = list(natural)
    while width > 0 and sum(out) + 2 * (len(out) - 1) > width and max(out[1:], default=0) > 8:
        out[out.index(max(out[1:]), 1)] -= 1
    return out


def _props_cell(r: Response, names: Names) -> str:
    found = sum(len(ps.props) for ps in r.propstats if ps.status.is_success)
    parts = [f"{found} found"] if r.propstats else []
    for ps in r.propstats:
        if not ps.status.is_success and ps.props:
            parts.append(f"{ps.status.code}: " + ", ".join(escape_text(names.short(p.name)) for p in ps.props))
    return "; ".join(parts)


def _error_cell(r: Response, names: Names) -> str:
    parts = [escape_text(names.short(k)) for k in error_keys(r) if k is not None]
    parts += [escape_text(m) for m in (item_message(r),) if m]
    delay = retry_after(r)
    if delay is not None and r.status is not None and r.status.is_error:
        parts.append(f"retry after {delay:g}s")
    return " — ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _render(doc: MultiStatus, name: str, o: _Out) -> int:
    responses, names = doc.responses, Names()
    with_id = any(r.id is not None for r in responses)
    rows = []
    for r in responses:
        status = " ".join(dict.fromkeys(str(s.code) for s in r.statuses)) or "-"
        href = ("[folder] " if is_collection(r) else "") + display_href(r.href)
        href += f" (+{len(r.hrefs) - 1} more)" if len(r.hrefs) > 1 else ""
        ident = (escape_text(r.id or ""),) if with_id else ()
        rows.append((status, *ident, href, _props_cell(r, names), _error_cell(r, names)))
    header = ("STATUS", *(("ID",) if with_id else ()), "HREF", "PROPERTIES", "ERROR")
    keep = [i for i in range(len(header)) if i < len(header) - 2 or any(row[i] for row in rows)]
    header, rows = tuple(header[i] for i in keep), [tuple(row[i] for i in keep) for row in rows]
    natural = [max(text_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    widths = _fit(natural, o.width)

    def line(cells: Sequence[str], code: int = 0) -> str:
        clipped = [(clip_text(c, w), w) for c, w in zip(cells, widths, strict=True)]
        padded = [c + " " * (w - text_width(c)) for c, w in clipped]
        return "  ".join([o.paint(padded[0], code), *padded[1:]]).rstrip()

    o.say(f"{escape_text(name)}: {_plural(len(responses), 'response')}", "1")
    sections = listings(responses, names)  # before the key: it names the prefixes the listings use
    if names.key():
        o.say("Names: " + ", ".join(f"{escape_text(p)}: = {escape_text(ns)}" for p, ns in names.key()))
    job = ("job " + job_line(doc.job)) if doc.job is not None else None
    for label, value in (("", doc.description), ("sync-token: ", doc.sync_token), ("", job)):
        if value:
            o.say(label + escape_text(value))
    if rows:
        o.say()
        print(o.paint(line(header), "1"), file=o.out)
        for r, row in zip(responses, rows, strict=True):
            print(line(row, max((s.code for s in r.statuses), default=0)), file=o.out)
    for title, groups in sections.items():
        o.say()
        o.say(title, "1")
        label_width = max(len(label) for label in groups)
        for label, group in groups.items():
            hrefs = ", ".join(clip_text(display_href(r.href), 40) for r in group[:5])
            more = f" and {len(group) - 5} more" if len(group) > 5 else ""
            painted = o.paint(label, int(label)) if label.isdigit() else label
            text = f"  {painted}{' ' * (label_width - len(label))}  {_plural(len(group), 'response')}: {hrefs}{more}"
            print(clip_text(text, o.width + len(painted) - len(label) if o.width else 0), file=o.out)

    counts, with_missing = tally(doc)
    code = EXIT_OK if counts["succeeded"] == len(responses) else EXIT_FAILED
    s = doc.summary
    parts = [
        o.paint(f"{counts['succeeded']} succeeded", 200)
        + (f" ({with_missing} with properties not found)" if with_missing else ""),
        o.paint(f"{counts['failed']} failed", 500 if counts["failed"] else 0),
        o.paint(f"{counts['partial']} partial", 300 if counts["partial"] else 0),
        f"{counts['other']} other",
    ]
    by_status = ", ".join(f"{c}×{n}" for c, n in s.by_status.items())
    print(f"\nSummary: {_plural(s.total, 'response')}: {', '.join(parts)}", file=o.out)
    if by_status or s.truncated:
        o.say(
            f"Statuses: {by_status or '-'}" + ("; the server left results out (507 truncated)" if s.truncated else "")
        )
    done = f"{s.total - counts['succeeded']} of {s.total} did not succeed" if code else "every response succeeded"
    o.say(f"Exit status {code}: {done}")
    return code


# -- commands ------------------------------------------------------------------------
def _inspect(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    source = _read(args, stdin)
    doc = source.document()
    if args.json:
        summary = summary_dict(doc, source.name, retry_after)
        out.write(json.dumps(summary, indent=2) + "\n")  # ASCII only: no control or bidi character goes out
        return int(summary["exit_code"])
    return _render(doc, source.name, _Out(out, _colour_wanted(args.color, out), _width_wanted(args.width, out)))


def _convert(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    doc = _read(args, stdin).document()
    data = to_json(doc, indent=2 if args.pretty else None) if args.to == "json" else to_xml(doc, pretty=args.pretty)
    data += b"" if data.endswith(b"\n") else b"\n"
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK


def _validate(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    source = _read(args, stdin)
    doc = source.document()  # refuses what is not a multistatus, with a clear message
    # JSON is checked through its XML form: its violations have an element path but no line.
    violations = validate(source.content) if sniff(source.content) == "xml" else validate(doc)
    for v in violations:
        where = f"{source.name}:{v.line}" if v.line is not None else source.name
        print(escape_text(f"{where}: {v.code}: {v.message}" + (f" (at {v.path})" if v.path else "")), file=out)
    if violations:
        print(f"{_plural(len(violations), 'violation')} of RFC 4918", file=out)
        return EXIT_FAILED
    print(f"{escape_text(source.name)}: no RFC 4918 violations", file=out)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="multistatus",
        description="Inspect, convert and validate RFC 4918 multistatus (HTTP 207) bodies, XML or JSON.",
        epilog="Example: multistatus inspect --depth 1 http://localhost/dav/   (exit status: see docs/cli.rst)",
    )
    parser.add_argument("--version", action="version", version=version_line(__version__))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fetch = argparse.ArgumentParser(add_help=False)
    group = fetch.add_argument_group("fetching a URL (http and https only)")
    group.add_argument("-X", "--method", help="request method (default: GET; PROPFIND with --depth; POST with --data)")
    group.add_argument("-H", "--header", action="append", default=[], help="a request header 'Name: value' (repeat)")
    group.add_argument("--data", metavar="@FILE|TEXT", help="request body: the text, or @FILE (@- for standard input)")
    group.add_argument("--depth", choices=("0", "1", "infinity"), help="send Depth (and PROPFIND unless -X)")
    group.add_argument(
        "--timeout", type=float, default=30.0, help="seconds for the whole exchange, redirects included (default: 30)"
    )
    src = "a body (XML or JSON), a whole HTTP response (curl -i), - for standard input, or an http(s) URL"

    exits = "Exit 0: every response succeeded (404 propstats next to 2xx ones are not failures); 1: some did not"
    inspect = commands.add_parser("inspect", parents=[fetch], help="show the responses, failures and a summary")
    inspect.description = f"{exits}; 2: unreadable input or not a multistatus; 3: the URL gave no answer in time."
    inspect.add_argument("file", nargs="?", metavar="FILE|URL", help=src + " (default: a bundled example)")
    inspect.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    inspect.add_argument("--width", type=int, help="fit the table in N columns (0: no limit; default: the terminal)")
    inspect.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour (auto: a terminal, no NO_COLOR)"
    )
    inspect.set_defaults(run=_inspect)

    convert = commands.add_parser("convert", parents=[fetch], help="convert between XML and JSON")
    convert.add_argument("--to", choices=("json", "xml"), required=True, help="the output format")
    convert.add_argument("--pretty", action="store_true", help="indent the output")
    convert.add_argument("file", nargs="?", default="-", metavar="FILE|URL", help=src + " (default: -)")
    convert.set_defaults(run=_convert)

    check = commands.add_parser("validate", parents=[fetch], help="list RFC 4918 violations (line, element path)")
    check.add_argument("file", nargs="?", default="-", metavar="FILE|URL", help=src + " (default: -)")
    check.set_defaults(run=_validate)

    add_demo_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``multistatus`` command line; the exit status is returned (the table in docs/cli.rst).

    Example:
        >>> from multistatus.cli import main
        >>> main(["inspect", "--color=never"])  # doctest: +ELLIPSIS
        bundled example: 7 responses
        Names: D: = DAV:, ns1: = http://example.com/ns/
        ...
        Summary: 7 responses: 4 succeeded (1 with properties not found), 3 failed, 0 partial, 0 other
        Statuses: 200×3, 201×1, 404×1, 423×1, 424×1, 429×1
        Exit status 1: 3 of 7 did not succeed
        1
    """
    args = _parser().parse_args(argv)
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if callable(reconfigure):  # hrefs decode to any character; never die on a narrow terminal
        reconfigure(errors="backslashreplace")
    stdin = sys.stdin.buffer
    reads_stdin = getattr(args, "file", None) == "-" or (getattr(args, "data", None) or "") == "@-"
    if reads_stdin and sys.stdin.isatty() and args.command != "demo":
        print(f"multistatus {args.command}: reading a body from the terminal; end it with Ctrl-D", file=sys.stderr)
    try:
        code: int = args.run(args, stdin, out)
    except (_Unreadable, FetchFailed, MultiStatusError) as exc:
        message = escape_text(" ".join(str(exc).split()))  # messages quote the input
        print(f"multistatus {args.command}: error: {message}", file=sys.stderr)
        return EXIT_FETCH if isinstance(exc, FetchFailed) else EXIT_UNREADABLE
    except BrokenPipeError:  # `multistatus inspect big.xml | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code
