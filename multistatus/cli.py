"""The ``multistatus`` command: inspect, convert and validate multistatus bodies, send a batch, run the demo.

Input is XML or JSON (told apart by its first bytes), a whole HTTP response as
``curl -i`` prints it, or an http(s) URL fetched with urllib.  The exit-status
rule, the options and the output are described in ``docs/cli.rst``; the parts
live in ``multistatus/_cli/`` (reading, the report, ``send``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import IO, TextIO

from ._cli import EXIT_FAILED, EXIT_FETCH, EXIT_OK, EXIT_UNREADABLE
from ._cli._input import _Unreadable, read_input
from ._cli._render import Out, colour_wanted, plural, render, width_wanted
from ._cli._send import add_parser as add_send_parser
from ._client import retry_after, sniff
from ._demo_cli import add_demo_command
from ._exceptions import FetchFailed, MultiStatusError
from ._hrefs import escape_text
from ._http._html import summary_dict
from ._json import to_json
from ._xml import to_xml, validate

__all__ = ["EXIT_FAILED", "EXIT_FETCH", "EXIT_OK", "EXIT_UNREADABLE", "main", "version_line"]


def version_line(version: str) -> str:
    """What ``--version`` prints: the release, that no accelerator is compiled in, and the lxml in use.

    Example:
        >>> version_line("0.1.0").startswith("multistatus 0.1.0 (pure Python, no accelerator; lxml ")
        True
    """
    from lxml import etree

    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    return f"multistatus {version} (pure Python, no accelerator; lxml {etree.__version__}, libxml2 {libxml2})"


# -- commands ------------------------------------------------------------------------
def _inspect(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    source = read_input(args, stdin)
    doc = source.document()
    if args.json:
        summary = summary_dict(doc, source.name, retry_after)
        out.write(json.dumps(summary, indent=2) + "\n")  # ASCII only: no control or bidi character goes out
        return int(summary["exit_code"])
    return render(doc, source.name, Out(out, colour_wanted(args.color, out), width_wanted(args.width, out)))


def _convert(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    doc = read_input(args, stdin).document()
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
    source = read_input(args, stdin)
    doc = source.document()  # refuses what is not a multistatus, with a clear message
    # JSON is checked through its XML form: its violations have an element path but no line.
    violations = validate(source.content) if sniff(source.content) == "xml" else validate(doc)
    for v in violations:
        where = f"{source.name}:{v.line}" if v.line is not None else source.name
        print(escape_text(f"{where}: {v.code}: {v.message}" + (f" (at {v.path})" if v.path else "")), file=out)
    if violations:
        print(f"{plural(len(violations), 'violation')} of RFC 4918", file=out)
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
    add_send_parser(commands)
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
