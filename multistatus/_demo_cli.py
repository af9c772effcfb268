"""The ``demo`` command of ``multistatus``: its options, and starting the demo server.

Kept apart from :mod:`multistatus.cli` so that the demo's options grow here; the
demo itself (:mod:`multistatus.demo`) is imported only when the command runs,
since it pulls in the WSGI side that the other commands never need.
"""

from __future__ import annotations

import argparse
from typing import IO, Any, TextIO

__all__ = ["add_demo_command"]

_KEEPS = (  # the demo's saved items, idempotency keys and /dav/ limit: flag, metavar, type, help
    ("--data", "DIR", str, "keep the saved items (and the default key store) in DIR (default: a temporary one)"),
    ("--store", "URL", str, "idempotency keys in sqlite:PATH, redis://HOST:PORT/DB or memory: (default: in DIR)"),
    ("--lease", "SECONDS", float, "how long a request holds its idempotency key (default: 30)"),
    ("--max-resources", "N", int, "the most a Depth: infinity PROPFIND of /dav/ lists (default: 1000)"),
    ("--job-retention", "SECONDS", float, "how long a finished job's results are kept (default: 86400)"),
)
_MISBEHAVES = (  # the demo failing on purpose: flag, metavar, type, help
    ("--quota", "N", int, "save at most N items per request, the rest 429 (default: 7; 0: none; off with --faults)"),
    ("--faults", "RATE", float, "fail this share of items (429 or 503), a tenth of requests; drop some connections"),
    ("--fault-retry-after", "SECONDS", int, "the Retry-After of the --faults 429s (default: 1)"),
)


def add_demo_command(commands: Any) -> None:
    """Add the ``demo`` command to the sub-parsers *commands* of the ``multistatus`` parser."""
    demo = commands.add_parser("demo", help="run the demo server (batch endpoint and PROPFIND responder)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    demo.add_argument("--self-test", action="store_true", help="start, query itself once, and stop")
    demo.add_argument(
        "--dav", metavar="DIR", default=None, help="also serve DIR read-write over WebDAV at /dav/ (127.0.0.1 only)"
    )
    demo.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME", help="also answer /dav/ for this Host"
    )
    for flag, meta, kind, text in _KEEPS + _MISBEHAVES:
        demo.add_argument(flag, metavar=meta, type=kind, help=text)
    demo.set_defaults(run=_demo)


def _demo(args: argparse.Namespace, stdin: IO[bytes], out: TextIO) -> int:
    from . import demo  # only here (see the module docstring)

    extra: dict[str, object] = {"dav": args.dav} if args.dav is not None else {}  # (the WebDAV server at /dav/)
    if args.allow_host:
        extra["allow_hosts"] = tuple(args.allow_host)
    for flag, *_ in _KEEPS:
        name = flag[2:].replace("-", "_")
        value = getattr(args, name)
        if value is not None:
            extra[name] = value
    if args.quota is not None:
        extra["quota"] = args.quota if args.quota > 0 else None
    if args.faults is not None:
        retry_after = 1 if args.fault_retry_after is None else args.fault_retry_after
        try:
            extra["faults"] = demo.Faults(args.faults, retry_after=retry_after)
        except ValueError as exc:
            print(f"multistatus demo: {exc}", file=out)
            return 2
    return int(demo.run(args.host, args.port, self_test=args.self_test, **extra))  # type: ignore[arg-type]
