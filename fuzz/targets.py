"""Fuzz targets for multistatus: each takes ``data: bytes`` and checks the library's promises.

The promises checked (see ``fuzz/README.md``):

1. every byte from outside ends in a value or in the library's own error
   (a :class:`multistatus.MultiStatusError` subclass); any other exception is a
   finding;
2. no hang (enforced by the runner: libFuzzer's ``-timeout``, or a timer);
3. round trip: a document ``from_xml`` accepts survives ``to_xml``/``from_xml``
   and ``to_json``/``from_json``, and the stdlib ElementTree reads ``to_xml``'s
   output;

A broken promise is reported by raising :class:`Finding` (or by letting a
stray exception escape); :func:`run_one` turns either into a
:class:`FindingReport` without stopping the fuzzer.  Nothing here writes to
``multistatus`` or changes process-wide state outside the call, except the
temporary folders made once per process (the ``cli`` input file, the ``demo``
server's folder), removed at exit; ``demo`` routes the ``multistatus`` logger
to itself during the call only.
"""

from __future__ import annotations

import atexit
import codecs
import functools
import gzip
import hashlib
import io
import json
import logging
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import traceback
import urllib.parse
import warnings
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import multistatus as ms
import multistatus.cli
from multistatus._limits import depth_limit

__all__ = [
    "MAX_INPUT",
    "TARGETS",
    "Finding",
    "FindingReport",
    "cli",
    "demo",
    "from_body",
    "from_json",
    "from_xml",
    "generated_seeds",
    "read_batch",
    "run_one",
    "seed_corpus",
    "webdav_body",
    "webdav_conditions",
    "webdav_headers",
    "webdav_report",
    "xml_feeder",
]

#: Inputs are cut to this many bytes: each execution stays bounded in time and memory.
MAX_INPUT = 64 * 1024
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "tests" / "data"


class Finding(Exception):
    """A broken promise: *kind* is ``stray-exception``, ``round-trip``, ``feeder-mismatch``..."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(f"{kind}: {message}")


@dataclass(frozen=True)
class FindingReport:
    """One finding: what broke, a signature to deduplicate on, and the traceback."""

    target: str
    kind: str
    signature: str
    message: str
    traceback: str


# -- outcomes ------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """A call's result: a value, or the library's own error (anything else raised a Finding)."""

    value: object = None
    error: ms.MultiStatusError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        if self.error is None:
            return f"value {self.value!r}"[:2000]
        return f"{type(self.error).__name__}: {self.error}"[:2000]


def outcome(call: Callable[[], object], what: str) -> Outcome:
    """Run *call*: its value or library error; any other exception raises a ``stray-exception`` Finding."""
    try:
        return Outcome(value=call())
    except ms.MultiStatusError as exc:
        return Outcome(error=exc)
    except Finding:
        raise
    except Exception as exc:
        raise Finding("stray-exception", f"{what} raised {type(exc).__name__}: {exc}"[:2000]) from exc


def same_error(a: ms.MultiStatusError, b: ms.MultiStatusError) -> bool:
    return type(a) is type(b) and str(a) == str(b)


# -- round trip ----------------------------------------------------------------------
def check_round_trip(doc: ms.MultiStatus, where: str, *, from_json_source: bool = False) -> None:
    """Promise 3 for *doc*: XML and JSON round trips, and the stdlib reads the XML.

    For a document that came from JSON (``from_json_source``), writing it as XML
    may be refused with the library's own error (JSON can carry what XML
    cannot); the JSON round trip must hold.
    """
    kind = "json-to-xml" if from_json_source else "round-trip"
    out = outcome(lambda: ms.to_json(doc), f"to_json of a document {where} accepted")
    if not out.ok:
        raise Finding("round-trip", f"to_json refused a document {where} accepted: {out.describe()}")
    again = outcome(lambda: ms.from_json(out.value), "from_json(to_json(doc))")  # type: ignore[arg-type]
    if not again.ok or again.value != doc:
        raise Finding("round-trip", f"from_json(to_json(doc)) != doc ({where}): {again.describe()}")

    xml = outcome(lambda: ms.to_xml(doc), f"to_xml of a document {where} accepted")
    if not xml.ok:
        if from_json_source:
            return
        raise Finding(kind, f"to_xml refused a document {where} accepted: {xml.describe()}")
    body = xml.value
    assert isinstance(body, bytes)
    again = outcome(lambda: ms.from_xml(body), "from_xml(to_xml(doc))")
    if not again.ok or again.value != doc:
        raise Finding(kind, f"from_xml(to_xml(doc)) != doc ({where}): {again.describe()}\n  xml: {body[:1500]!r}")
    try:
        root = ET.fromstring(body)
    except Exception as exc:
        if _only_expat_names(body):  # the documented gap (docs/xml.rst): 5th-edition names, not a finding
            return
        raise Finding(kind, f"ElementTree refused to_xml's output ({where}): {exc!r}\n  xml: {body[:1500]!r}") from exc
    if root.tag != "{DAV:}multistatus":
        raise Finding(kind, f"ElementTree reads root {root.tag!r} from to_xml's output ({where})")


def _expat_safe(name: str) -> str:
    return "".join(c if c.isascii() else "x" for c in name)


_TAG_NAME = re.compile(r"(</?)([^\s/>]+)")
_ATTR_NAME = re.compile(r"(\s)([^\s=<>\"]+)(=\")")


def _only_expat_names(body: bytes) -> bool:
    """Whether expat reads *body* once the non-ASCII characters of names are replaced.

    XML 1.0 (5th edition) allows about 19,000 BMP characters and U+10000..U+EFFFF
    in names that expat (4th edition rules) refuses; that known difference gets
    its own finding kind so other refusals keep theirs.
    """
    text = body.decode("utf-8", "replace")
    text = _TAG_NAME.sub(lambda m: m.group(1) + _expat_safe(m.group(2)), text)
    text = _ATTR_NAME.sub(lambda m: m.group(1) + _expat_safe(m.group(2)) + m.group(3), text)
    try:
        ET.fromstring(text.encode("utf-8"))
    except Exception:
        return False
    return True


# -- targets -------------------------------------------------------------------------
def from_xml(data: bytes) -> None:
    """``ms.from_xml``: a document or the library's error; strict mode agrees; round trip."""
    data = data[:MAX_INPUT]
    fast = outcome(lambda: ms.from_xml(data), "from_xml")
    # strict=True adds the RFC checks: the same document, or the library's own error.
    strict = outcome(lambda: ms.from_xml(data, strict=True), "from_xml(strict=True)")
    if strict.ok and (not fast.ok or strict.value != fast.value):
        raise Finding("strict-mismatch", f"strict: {strict.describe()}\n  lenient: {fast.describe()}")
    if fast.ok:
        doc = fast.value
        assert isinstance(doc, ms.MultiStatus)
        check_round_trip(doc, "from_xml")
        outcome(lambda: ms.validate(data), "validate(bytes)")


def _chunks(data: bytes) -> list[bytes]:
    """*data* cut at boundaries derived from the data itself (deterministic per input)."""
    rng = random.Random(zlib.crc32(data))
    top = rng.choice((1, 2, 3, 7, 16, 64, 512, 4096))
    out = []
    pos = 0
    while pos < len(data):
        size = rng.randint(0, top)  # 0: an empty feed() is allowed too
        out.append(data[pos : pos + size])
        pos += size
    return out


def xml_feeder(data: bytes) -> None:
    """``ms.XMLFeeder`` fed random-size chunks: the responses ``from_xml`` gives, or an error when it errs."""
    data = data[:MAX_INPUT]
    whole = outcome(lambda: ms.from_xml(data), "from_xml")

    def stream() -> ms.MultiStatus:
        feeder = ms.XMLFeeder()
        got: list[ms.Response] = []
        for chunk in _chunks(data):
            got += feeder.feed(chunk)
        got += feeder.close()
        # After close(), a pending error (responses first, error next) would have been raised; a
        # second close() must refuse with the library's own error, never hang or crash.
        after = outcome(feeder.close, "XMLFeeder.close() after close()")
        if after.ok:
            raise Finding("feeder-mismatch", "a second XMLFeeder.close() did not raise")
        return ms.MultiStatus(
            got,
            description=feeder.description,
            sync_token=feeder.sync_token,
            extensions=feeder.extensions,
            job=feeder.job,
        )

    streamed = outcome(stream, "XMLFeeder")
    if whole.ok and not streamed.ok:
        raise Finding("feeder-mismatch", f"from_xml accepted, the feeder refused: {streamed.describe()}")
    if not whole.ok and streamed.ok:
        raise Finding("feeder-mismatch", f"from_xml refused ({whole.describe()}), the feeder accepted")
    if whole.ok and streamed.value != whole.value:
        raise Finding("feeder-mismatch", f"from_xml: {whole.describe()}\n  feeder: {streamed.describe()}")
    iterated = outcome(lambda: list(ms.iter_xml(data)), "iter_xml")
    if whole.ok != iterated.ok or (whole.ok and iterated.value != list(whole.value.responses)):  # type: ignore[attr-defined]
        raise Finding("feeder-mismatch", f"from_xml: {whole.describe()}\n  iter_xml: {iterated.describe()}")


def from_json(data: bytes) -> None:
    """``ms.from_json`` on bytes (and on text when the bytes are UTF-8): a document or a ParseError; round trip."""
    data = data[:MAX_INPUT]
    got = outcome(lambda: ms.from_json(data), "from_json(bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        as_text = outcome(lambda: ms.from_json(text), "from_json(str)")
        if as_text.ok != got.ok or (got.ok and as_text.value != got.value):
            raise Finding("str-bytes-mismatch", f"bytes: {got.describe()}\n  str: {as_text.describe()}")
    if got.ok:
        doc = got.value
        assert isinstance(doc, ms.MultiStatus)
        check_round_trip(doc, "from_json", from_json_source=True)
        outcome(lambda: ms.to_dict(doc), "to_dict")


CONTENT_TYPES = (
    None,
    "",
    "application/xml",
    "text/xml",
    "application/json",
    "application/problem+json",
    "application/problem+xml",
    "application/davmount+xml",
    "text/html",
    "text/plain",
    "application/octet-stream",
    "multipart/mixed",
    ";",
    "application/xml;",
    "TEXT/XML",
)
CHARSETS = (
    None,
    "utf-8",
    "UTF-8",
    '"utf-8"',
    "'utf-8'",
    "",
    "utf-16",
    "utf-16le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "iso-8859-1",
    "ascii",
    "us-ascii",
    "windows-1252",
    "cp037",
    "shift_jis",
    "euc-jp",
    "gb18030",
    "big5",
    "koi8-r",
    "mac-roman",
    "utf-8-sig",
    "utf-7",
    "undefined",
    "idna",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "base64",
    "hex",
    "zlib",
    "rot13",
    "uu",
    "quopri",
    "bz2",
    "mbcs",
    "oem",
    "palmos",
    "utf\x00-8",
    "\x00",
    "a" * 300,
    "x-unknown",
    "utf_8\t",
    "null",
)
ENCODINGS = (None, "gzip", "x-gzip", "deflate", "br", "identity", "GZIP ", "compress", "\x00", "gzip, deflate")


def _compress(body: bytes, how: int, rng: random.Random) -> bytes:
    """*body* gzipped, deflated, cut short, corrupted or several gzip members, by *how*."""
    if how == 0:
        return body
    if how == 1:
        return gzip.compress(body, mtime=0)
    if how == 2:
        return zlib.compress(body)
    if how == 3:  # two gzip members (a valid gzip stream)
        half = len(body) // 2
        return gzip.compress(body[:half], mtime=0) + gzip.compress(body[half:], mtime=0)
    if how == 4:  # cut short
        packed = gzip.compress(body, mtime=0)
        return packed[: rng.randint(0, len(packed))]
    if how == 5:  # one byte flipped
        packed = bytearray(zlib.compress(body) if rng.random() < 0.5 else gzip.compress(body, mtime=0))
        if packed:
            packed[rng.randrange(len(packed))] ^= 1 << rng.randrange(8)
        return bytes(packed)
    if how == 6:  # junk after the stream
        return gzip.compress(body, mtime=0) + body[:16]
    if how == 7:  # zero padding (gzip allows it)
        return gzip.compress(body, mtime=0) + b"\0" * rng.randint(1, 8)
    if how == 8:  # a raw deflate stream with no zlib header
        raw = zlib.compressobj(wbits=-15)
        return raw.compress(body) + raw.flush()
    return b"\x1f\x8b" + body  # a gzip magic on garbage


class _Headers(dict):  # type: ignore[type-arg]
    """Case-insensitive ``get`` like requests' and httpx' headers."""

    def get(self, key: object, default: object = None) -> object:
        if isinstance(key, str):
            for name, value in self.items():
                if isinstance(name, str) and name.lower() == key.lower():
                    return value
        return default


class _RequestsLike:
    def __init__(self, status: int, headers: dict[str, object], content: bytes) -> None:
        self.status_code = status
        self.headers = _Headers(headers)
        self.content = content


class _UrllibLike:
    def __init__(self, status: int, headers: dict[str, object], content: bytes) -> None:
        self.status = status
        self._headers = _Headers(headers)
        self._body = io.BytesIO(content)

    def getheader(self, name: str) -> object:
        return self._headers.get(name)

    def read(self, size: int = -1) -> bytes:
        return self._body.read(size)


def from_body(data: bytes) -> None:
    """``ms.from_body`` with a Content-Type and charset chosen by the first bytes, then ``ms.from_response``.

    ``data[0]`` picks the media type, ``data[1]`` the charset parameter,
    ``data[2]`` the Content-Encoding and how the body is compressed or broken,
    ``data[3]`` the status and the kind of response object; the rest is the body.
    """
    data = data[:MAX_INPUT]
    head, body = data[:4].ljust(4, b"\0"), data[4:]
    media = CONTENT_TYPES[head[0] % len(CONTENT_TYPES)]
    charset = CHARSETS[head[1] % len(CHARSETS)]
    content_type = media
    if charset is not None:
        content_type = f"{media or 'application/xml'}; charset={charset}"
    status = (207, 200, 400, 404, 423, 424, 500, 507)[head[3] % 8]
    got = outcome(lambda: ms.from_body(body, content_type, status=status), f"from_body(..., {content_type!r})")
    if got.ok:
        doc = got.value
        assert isinstance(doc, ms.MultiStatus)
        check_round_trip(doc, "from_body", from_json_source=True)

    rng = random.Random(zlib.crc32(data))
    encoding = ENCODINGS[head[2] % len(ENCODINGS)]
    packed = _compress(body, (head[2] // len(ENCODINGS)) % 10, rng)
    headers: dict[str, object] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type.encode("latin-1", "replace") if head[3] & 0x10 else content_type
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    cls = _UrllibLike if head[3] & 0x08 else _RequestsLike
    response = cls(status, headers, packed)
    answer = outcome(lambda: ms.from_response(response), f"from_response({cls.__name__}, {headers!r})")
    if answer.ok:
        doc = answer.value
        assert isinstance(doc, ms.MultiStatus)
        check_round_trip(doc, "from_response", from_json_source=True)


_CLI_DIR: str | None = None
_CLI_COMMANDS = (("inspect", "--color=always"), ("convert", "--to", "json"), ("validate",))


def _cli_path() -> str:
    global _CLI_DIR  # noqa: PLW0603 - one scratch folder per process
    if _CLI_DIR is None or not os.path.isdir(_CLI_DIR):
        _CLI_DIR = tempfile.mkdtemp(prefix="multistatus-fuzz-cli-")
    return os.path.join(_CLI_DIR, "input")


def _run_cli(argv: list[str]) -> tuple[object, str, bytes]:
    """``multistatus.cli.main(argv)`` with captured streams: (its result, stderr text, stdout bytes)."""
    out_bytes = io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, stdin
    try:
        try:
            code: object = multistatus.cli.main(argv)
        except SystemExit as exc:
            code = f"SystemExit({exc.code!r})"
        except Exception as exc:  # a traceback the user would see (KeyboardInterrupt and timers pass)
            raise Finding(
                "cli-crash", f"multistatus {' '.join(argv[:-1])} raised {type(exc).__name__}: {exc}"[:2000]
            ) from exc
        out.flush()
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    return code, err.getvalue(), out_bytes.getvalue()


def cli(data: bytes) -> None:
    """The command line on *data* saved as a file (a body or a whole ``curl -i`` capture).

    ``inspect``, ``convert --to json`` and ``validate`` must return an int exit
    status (0, 1 or 2), never raise or print a traceback; what ``convert``
    prints must be read back by ``from_json``.
    """
    data = data[:MAX_INPUT]
    path = _cli_path()
    with open(path, "wb") as handle:
        handle.write(data)
    for command in _CLI_COMMANDS:
        argv = [*command, path]
        code, err, out = _run_cli(argv)
        if type(code) is not int or code not in (0, 1, 2):
            raise Finding("cli-exit", f"multistatus {' '.join(command)} returned {code!r}; stderr: {err[:500]!r}")
        if "Traceback" in err:
            raise Finding("cli-traceback", f"multistatus {' '.join(command)} printed a traceback: {err[:1500]}")
        if code == 2 and not err.strip():
            raise Finding("cli-exit", f"multistatus {' '.join(command)} exited 2 with nothing on stderr")
        if command[0] == "convert" and code == 0:
            back = outcome(lambda out=out: ms.from_json(out), "from_json(convert --to json output)")  # type: ignore[misc]
            if not back.ok:
                raise Finding("cli-convert", f"convert --to json printed JSON from_json refuses: {back.describe()}")


# -- WebDAV request bodies ------------------------------------------------------------
#: What a request parser's error may suggest answering: 400 malformed, 413 over a limit, 422 not what RFC 4918 asks.
REQUEST_HINTS = (400, 413, 422)
#: A quarter of the inputs (by their CRC) are read under tight limits.
TIGHT_LIMITS = ms.Limits(max_bytes=2048, max_depth=8, max_properties=16)


def check_hint(out: Outcome, what: str, allowed: tuple[int, ...]) -> None:
    """A refusal's ``status_hint`` is one *allowed* (the status a server answers with it)."""
    if out.error is not None and out.error.status_hint not in allowed:
        raise Finding(
            "status-hint",
            f"{what}: {type(out.error).__name__} hints {out.error.status_hint}, not one of {allowed}: {out.error}",
        )


def same_outcome(a: Outcome, b: Outcome) -> bool:
    if a.error is not None or b.error is not None:
        return a.error is not None and b.error is not None and same_error(a.error, b.error)
    return a.value == b.value


#: A resource as a PROPFIND answer sees it: live values (one hidden from allprop), a dead one, a forbidden name.
_LIVE = {
    "{DAV:}getetag": '"1-5"',
    "{DAV:}resourcetype": [ms.Element("{DAV:}collection")],
    "{DAV:}displayname": "caf\u00e9 <&>",
    "{DAV:}quota-used-bytes": "5",
}


def _provider() -> object:
    from multistatus import webdav

    dead = [
        ms.Property("{urn:x}color", "red", lang="en"),
        ms.Property("{DAV:}owner", [ms.Element("{DAV:}href", ["/u"])]),
    ]
    return webdav.Properties(_LIVE, dead, hidden=["{DAV:}quota-used-bytes"], forbidden=["{urn:x}secret"])


def _check_propfind(request: object) -> None:
    from multistatus import webdav

    assert isinstance(request, webdav.PropFind)
    if request.kind not in ("prop", "allprop", "propname") or len(set(request.names)) != len(request.names):
        raise Finding("propfind-value", f"parse_propfind gave a kind or names out of rule\n  {request!r}")
    if request.kind == "propname" and request.names:
        raise Finding("propfind-value", f"a propname request with names\n  {request!r}")
    for name in request.names:
        outcome(lambda name=name: ms.Property(name), "Property(name from parse_propfind)")  # type: ignore[misc]
    answer = outcome(lambda: webdav.propfind_response("/dav/a%20b", request, _provider()), "propfind_response")
    if not answer.ok:
        raise Finding("propfind-answer", f"propfind_response refused what parse_propfind gave: {answer.describe()}")
    response = answer.value
    assert isinstance(response, ms.Response)
    listed = [p.name for ps in response.propstats for p in ps.props]
    if len(listed) != len(set(listed)) or not set(request.names) <= set(listed):
        raise Finding(
            "propfind-answer",
            f"an asked name is missing or listed twice\n  asked {request.names!r}, answered {listed!r}",
        )
    check_round_trip(ms.MultiStatus([response]), "propfind_response")


def _check_proppatch(patch: object) -> None:
    from multistatus import webdav

    assert isinstance(patch, webdav.PropPatch)
    if not len(patch):
        raise Finding("proppatch-value", "parse_proppatch gave no instruction")
    responses = []
    for number, instruction in enumerate(patch):
        prop = instruction.prop
        if instruction.action not in ("set", "remove") or (instruction.action == "remove" and prop.value is not None):
            raise Finding("proppatch-value", f"parse_proppatch gave an instruction out of rule\n  {instruction!r}")
        if instruction.action == "set":  # (the demo keeps a value as to_xml writes it and reads it back)
            responses.append(ms.Response(f"/p/{number}", propstats=[ms.PropStat([prop], 200)]))
    if responses:
        check_round_trip(ms.MultiStatus(responses), "parse_proppatch")
    first = patch.names[0]
    for failures in (None, {first: 403}):
        results = ms.Results()
        out = outcome(
            lambda results=results, failures=failures: results.proppatch("/dav/a", patch.names, failures),  # type: ignore[misc]
            "Results.proppatch",
        )
        if not out.ok:
            raise Finding("proppatch-answer", f"Results.proppatch refused parse_proppatch's names: {out.describe()}")
        check_round_trip(results.build(), "Results.proppatch")


def webdav_body(data: bytes) -> None:
    """``webdav.parse_propfind`` and ``parse_proppatch`` on *data* (bytes, and a binary file).

    A request value or the library's error with a status hint of 400, 413 or
    422; the file gives what the bytes give; a PROPFIND is answered by
    ``propfind_response`` (every asked name once) and a PROPPATCH's values and
    names survive a multistatus round trip (as the demo stores them).
    """
    from multistatus import webdav

    data = data[:MAX_INPUT]
    limits = TIGHT_LIMITS if zlib.crc32(data) % 4 == 0 else ms.Limits()
    for parse, check in ((webdav.parse_propfind, _check_propfind), (webdav.parse_proppatch, _check_proppatch)):
        name = parse.__name__
        got = outcome(lambda parse=parse: parse(data, limits=limits), name)  # type: ignore[misc]
        check_hint(got, name, REQUEST_HINTS)
        from_file = outcome(lambda parse=parse: parse(io.BytesIO(data), limits=limits), f"{name}(file)")  # type: ignore[misc]
        if not same_outcome(got, from_file):
            raise Finding(
                "source-mismatch",
                f"{name}: a file and bytes differ\n  bytes: {got.describe()}\n  file: {from_file.describe()}",
            )
        if got.ok:
            check(got.value)


# -- WebDAV request header fields ----------------------------------------------------
_REQUEST_URLS = (
    "http://127.0.0.1/dav/a.txt",
    "http://localhost:8080/dav/sub/",
    "https://example.com",
    "http://[::1]:80/dav/caf%C3%A9/x?y=1",
)
_DEPTH_SETS: tuple[tuple[str, ...], ...] = (
    ("0", "1", "infinity"),
    ("0", "infinity"),
    ("infinity",),
    ("0",),
    ("1",),
    ("0", "1"),
)
_OWS = " \t"  # RFC 9110 §5.6.3


def webdav_headers(data: bytes) -> None:
    """``parse_depth``, ``parse_overwrite`` and ``parse_destination`` on header values from *data*.

    ``data[0]`` picks the depths allowed, the default and the request URL; the
    rest, read as latin-1 (as WSGI gives header values), is split at newlines
    into Depth, Overwrite, Destination and the request path (absent when
    missing).  Each gives a value or a ``ParseError`` hinting 400; a value
    is one allowed; what RFC 4918 spells is accepted; a destination on this
    server has an absolute path, and reading its URL again gives it back.
    """
    from multistatus import webdav

    data = data[:MAX_INPUT]
    selector, rest = (data[0] if data else 0), data[1:]
    fields: list[str | None] = [*rest.decode("latin-1").split("\n")] if rest else []
    depth, overwrite, destination, path = (fields + [None] * 4)[:4]
    allowed = _DEPTH_SETS[selector % len(_DEPTH_SETS)]
    default = allowed[(selector // len(_DEPTH_SETS)) % len(allowed)]
    base = _REQUEST_URLS[(selector >> 5) % len(_REQUEST_URLS)]
    request_url = base
    if path is not None:  # (dot segments removed, as a client sends a request target: RFC 3986 §5.2.4)
        quoted = "/" + urllib.parse.quote(path.lstrip("/"), safe="/:@!$&'()*+,;=%~")
        request_url = ms.resolve_href(quoted, "/".join(base.split("/", 3)[:3]))

    got = outcome(lambda: webdav.parse_depth(depth, default=default, allowed=allowed), "parse_depth")  # type: ignore[arg-type]
    check_hint(got, "parse_depth", (400,))
    if got.ok and got.value not in allowed and not (depth is None and got.value == default):
        raise Finding(
            "header-value", f"parse_depth gave a depth not allowed\n  {depth!r}, allowed={allowed}: {got.value!r}"
        )
    if depth is not None and depth.strip(_OWS).lower() in allowed and got.value != depth.strip(_OWS).lower():
        raise Finding(
            "header-refused", f"parse_depth refused an allowed depth\n  {depth!r}, allowed={allowed}: {got.describe()}"
        )

    got = outcome(lambda: webdav.parse_overwrite(overwrite), "parse_overwrite")
    check_hint(got, "parse_overwrite", (400,))
    if got.ok and got.value not in (True, False):
        raise Finding("header-value", f"parse_overwrite gave a non-bool\n  {overwrite!r}: {got.value!r}")
    spelled = None if overwrite is None else overwrite.strip(_OWS).upper()
    if spelled in ("T", "F") and got.value is not (spelled == "T"):
        raise Finding("header-refused", f"parse_overwrite refused or misread T or F\n  {overwrite!r}: {got.describe()}")

    got = outcome(lambda: webdav.parse_destination(destination, request_url), "parse_destination")
    check_hint(got, "parse_destination", (400,))
    if not got.ok:
        return
    dest = got.value
    assert isinstance(dest, webdav.Destination)
    where = f"parse_destination({destination!r}, {request_url!r}) = {dest!r}"
    if not all(isinstance(x, str) for x in (dest.url, dest.path)) or "#" in dest.url:
        raise Finding("header-value", f"a destination URL or path that is not a string, or holds a fragment\n  {where}")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in dest.url):
        raise Finding("header-value", f"a control character or a space in the destination URL\n  {where}")
    if dest.same_server and not dest.path.startswith("/"):
        raise Finding("header-value", f"a destination on this server without an absolute path\n  {where}")
    outcome(lambda: dest.same_resource(request_url), "Destination.same_resource")
    again = outcome(lambda: webdav.parse_destination(dest.url, request_url), "parse_destination(its own URL)")
    if again.value != dest:
        raise Finding(
            "destination-unstable",
            f"the destination's URL reads as another\n  {where}\n  read again: {again.describe()}",
        )


# -- WebDAV class 2 and REPORT bodies -------------------------------------------------------
#: What a LOCK, REPORT, MKCOL or MKCALENDAR body may be refused with (403: a named condition, 415: MKCOL).
BODY_HINTS = (400, 403, 413, 415, 422)


def _check_report_value(value: object) -> None:
    from multistatus import webdav

    if isinstance(value, webdav.SyncCollection):
        if value.level not in ("1", "infinite") or (value.limit is not None and value.limit < 1):
            raise Finding("report-value", f"parse_report gave a sync-collection out of rule\n  {value!r}")
        changed = [ms.Response("/dav/a", status=200)]
        token = value.token or "urn:x:1"
        doc = outcome(
            lambda: webdav.sync_collection_response(token, changed, ["/dav/b"], truncated="/dav/"), "sync answer"
        )
        if doc.ok:
            check_round_trip(doc.value, "sync_collection_response")  # type: ignore[arg-type]
    elif isinstance(value, webdav.Multiget):
        if not value.hrefs or not all(value.hrefs):
            raise Finding("report-value", f"parse_report gave a multiget without hrefs\n  {value!r}")
    elif not isinstance(value, (webdav.CalendarQuery, webdav.AddressbookQuery)):
        raise Finding("report-value", f"parse_report gave {type(value).__name__}")


def webdav_report(data: bytes) -> None:
    """``parse_report``, ``parse_lockinfo``, ``parse_mkcol`` and ``parse_mkcalendar`` on *data* (bytes, and a file).

    A value or the library's error hinting 400, 403, 413, 415 or 422; the file
    gives what the bytes give; a lock owner goes through ``lock_reply`` and
    reads back equal; a MKCOL body is answered by ``mkcol_reply`` (all set,
    and the first property refused) in a document ``parse_body`` reads.
    """
    from multistatus import webdav

    data = data[:MAX_INPUT]
    limits = TIGHT_LIMITS if zlib.crc32(data) % 4 == 0 else ms.Limits()
    parsers = (webdav.parse_report, webdav.parse_lockinfo, webdav.parse_mkcol, webdav.parse_mkcalendar)
    for parse in parsers:
        name = parse.__name__
        got = outcome(lambda parse=parse: parse(data, limits=limits), name)  # type: ignore[misc]
        check_hint(got, name, BODY_HINTS)
        from_file = outcome(lambda parse=parse: parse(io.BytesIO(data), limits=limits), f"{name}(file)")  # type: ignore[misc]
        if not same_outcome(got, from_file):
            raise Finding(
                "source-mismatch", f"{name}: a file and bytes differ\n  {got.describe()}\n  {from_file.describe()}"
            )
        if not got.ok or got.value is None:
            continue
        value = got.value
        if parse is webdav.parse_report:
            _check_report_value(value)
        elif isinstance(value, webdav.LockInfo):
            lock = webdav.ActiveLock(webdav.new_lock_token(), "/dav/a", scope=value.scope, owner=value.owner)
            answer = outcome(lambda lock=lock: webdav.lock_reply(lock), "lock_reply")  # type: ignore[misc]
            back = outcome(lambda answer=answer: webdav.parse_body(answer.value.body), "parse_body(lock_reply)")  # type: ignore[misc]
            found = back.value.find("{DAV:}lockdiscovery").find("{DAV:}activelock") if back.ok else None  # type: ignore[attr-defined]
            if found is None or found.find("{DAV:}owner") != value.owner:
                raise Finding(
                    "lock-owner", f"the owner did not come back from lock_reply\n  {value!r}\n  {back.describe()}"
                )
        elif isinstance(value, webdav.MkCol):
            for failures in (None, {value.names[0]: 403} if value.names else None):
                answer = outcome(lambda v=value, f=failures: webdav.mkcol_reply(v, f), "mkcol_reply")  # type: ignore[misc]
                back = outcome(lambda answer=answer: webdav.parse_body(answer.value.body), "parse_body(mkcol_reply)")  # type: ignore[misc]
                if not answer.ok or not back.ok:
                    raise Finding(
                        "mkcol-answer", f"mkcol_reply failed or wrote what parse_body refuses\n  {back.describe()}"
                    )


_METHODS = ("GET", "HEAD", "PUT", "DELETE", "MOVE", "LOCK", "OPTIONS")
_STATES = (
    ("exists", '"v1"', 784111777, ("urn:uuid:1",)),
    ("exists", 'W/"v1"', None, ()),
    ("missing", None, None, ()),
)


def webdav_conditions(data: bytes) -> None:
    """``evaluate_conditions``, ``parse_if``, ``parse_timeout`` and ``parse_lock_token`` on header values from *data*.

    ``data[0]`` picks the method and the resource's state; the rest (latin-1) is
    split at newlines into If, If-Match, If-None-Match, If-Modified-Since,
    If-Unmodified-Since, Timeout and Lock-Token.  Each gives a value or a
    ``ParseError`` hinting 400; an evaluation is go ahead, 304 (GET and HEAD
    only) or 412; the tokens it reports are the If header's; a granted timeout
    is within the cap; a lock token has no space.
    """
    from multistatus import webdav

    data = data[:MAX_INPUT]
    selector, rest = (data[0] if data else 0), data[1:]
    fields = (rest.decode("latin-1").split("\n") if rest else []) + [None] * 7  # type: ignore[list-item]
    names = ("If", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")
    headers = [(n, v) for n, v in zip(names, fields[:5], strict=True) if v is not None]
    method = _METHODS[selector % len(_METHODS)]
    exists, etag, modified, tokens = _STATES[(selector // len(_METHODS)) % len(_STATES)]
    state = webdav.ResourceState(exists == "exists", etag, modified, tokens)
    lookup = {"/dav/": webdav.ResourceState(lock_tokens=["urn:uuid:2"])}.get
    got = outcome(lambda: webdav.evaluate_conditions(method, headers, state, lookup=lookup), "evaluate_conditions")
    check_hint(got, "evaluate_conditions", (400,))
    if got.ok:
        verdict = got.value
        assert isinstance(verdict, webdav.Evaluation)
        if verdict.status not in (None, 304, 412) or (verdict.status == 304 and method not in ("GET", "HEAD")):
            raise Finding("conditional-value", f"{method} {headers!r} on {state!r}: {verdict!r}")
        if_value = fields[0]
        expected = webdav.parse_if(if_value).tokens if if_value is not None else ()
        if verdict.tokens != expected:
            raise Finding(
                "conditional-tokens", f"{headers!r}: tokens {verdict.tokens!r}, the If header holds {expected!r}"
            )
    timeout = outcome(lambda: webdav.parse_timeout(fields[5]), "parse_timeout")
    check_hint(timeout, "parse_timeout", (400,))
    if timeout.ok and not (isinstance(timeout.value, int) and 0 <= timeout.value <= 604800):
        raise Finding("timeout-value", f"parse_timeout({fields[5]!r}) = {timeout.value!r}")
    token = outcome(lambda: webdav.parse_lock_token(fields[6]), "parse_lock_token")
    check_hint(token, "parse_lock_token", (400,))
    if token.ok and any(c in str(token.value) for c in " \t\r\n<>"):
        raise Finding("lock-token-value", f"parse_lock_token({fields[6]!r}) = {token.value!r}")


# -- read_batch -------------------------------------------------------------------------
BATCH_TYPES = (
    None,
    "application/json",
    "application/json; charset=utf-8",
    "text/json",
    "application/problem+json",
    "APPLICATION/JSON",
    "",
    "text/plain",
    "application/xml",
    ";",
    "application/json;charset=latin-1",
    "multipart/form-data; boundary=x",
)
BATCH_MEMBERS = ("items", None, "data", "")
BATCH_LIMITS = (
    ms.Limits(),
    ms.Limits(max_bytes=256, max_depth=3, max_responses=4),
    ms.Limits(max_bytes=None, max_depth=None, max_responses=None),
)


def _json_depth(value: object) -> int:
    """How deep arrays and objects nest in *value* (a scalar is 0), counted level by level."""
    depth, level = 0, [value]
    while True:
        containers = [x for x in level if isinstance(x, (list, dict))]
        if not containers:
            return depth
        depth += 1
        level = [v for x in containers for v in (x.values() if isinstance(x, dict) else x)]


def read_batch(data: bytes) -> None:
    """``ms.read_batch``: the items, or the library's error hinting 400 (or 413 over a limit).

    ``data[0]`` picks the Content-Type, ``data[1]`` the member holding the
    items and the limits; the rest is the body.  Bytes, a bytearray and a
    binary file give the same outcome, and so does the text when the type is
    JSON; the items are plain JSON (``json.dumps`` writes them with
    ``allow_nan=False`` and reads back the same) within the limits, and are
    what ``json.loads`` reads from the body.
    """
    data = data[:MAX_INPUT]
    head, body = data[:2].ljust(2, b"\0"), data[2:]
    content_type = BATCH_TYPES[head[0] % len(BATCH_TYPES)]
    member = BATCH_MEMBERS[head[1] % len(BATCH_MEMBERS)]
    limits = BATCH_LIMITS[(head[1] // len(BATCH_MEMBERS)) % len(BATCH_LIMITS)]

    def call(source: object) -> Outcome:
        return outcome(
            lambda: ms.read_batch(source, content_type=content_type, limits=limits, member=member),  # type: ignore[arg-type]
            f"read_batch({type(source).__name__}, content_type={content_type!r}, member={member!r})",
        )

    got = call(body)
    if got.error is not None:
        want = (
            413
            if isinstance(got.error, ms.LimitExceeded)
            else 415
            if isinstance(got.error, ms.UnsupportedMediaType)
            else 400
        )
        if got.error.status_hint != want:
            raise Finding("status-hint", f"read_batch: {type(got.error).__name__} hints {got.error.status_hint}")
    for other in (bytearray(body), io.BytesIO(body)):
        again = call(other)
        if not same_outcome(got, again):
            raise Finding(
                "source-mismatch",
                f"bytes and {type(other).__name__} differ\n  bytes: {got.describe()}\n  other: {again.describe()}",
            )
    media = (content_type or "").split(";", 1)[0].strip().lower()
    json_typed = not content_type or media in ("application/json", "text/json") or media.endswith("+json")
    try:
        text = None if body.startswith(codecs.BOM_UTF8) else body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and json_typed:
        again = call(text)
        if not same_outcome(got, again):
            raise Finding(
                "str-bytes-mismatch", f"bytes and str differ\n  bytes: {got.describe()}\n  str: {again.describe()}"
            )
    if text is None:  # (text a framework decoded leniently, lone surrogates and all: a value or our error)
        call(body.decode("utf-8", "surrogateescape"))
    if not got.ok:
        return
    items = got.value
    if not isinstance(items, list):
        raise Finding("batch-value", f"read_batch gave {type(items).__name__}")
    if limits.max_responses is not None and len(items) > limits.max_responses:
        raise Finding("batch-limit", f"more items than max_responses\n  {len(items)} > {limits.max_responses}")
    if limits.max_bytes is not None and len(body) > limits.max_bytes:
        raise Finding("batch-limit", f"a body over max_bytes accepted\n  {len(body)} > {limits.max_bytes}")
    written = outcome(lambda: json.dumps(items, allow_nan=False), "json.dumps(items)")
    if not written.ok or json.loads(written.value) != items:  # type: ignore[arg-type]
        raise Finding("batch-value", f"items that are not plain JSON\n  {items!r}"[:2000])
    loaded = json.loads(body.decode("utf-8-sig"))
    expected = loaded.get(member) if member is not None and isinstance(loaded, dict) else loaded
    if expected != items:
        raise Finding(
            "batch-value", f"json.loads reads other items\n  json.loads: {expected!r}\n  read_batch: {items!r}"[:2000]
        )
    cap = depth_limit(limits)  # (the rule's one place; max_depth never above the readers' cap)
    if _json_depth(loaded) > cap:
        raise Finding(
            "batch-limit", f"a body nested over max_depth accepted\n  {_json_depth(loaded)} > {limits.max_depth}"
        )


# -- the demo server, in process --------------------------------------------------------
#: Requests in one input are separated by this line (at most :data:`DEMO_REQUESTS` of them).
DEMO_SEPARATOR = b"\n====\n"
DEMO_REQUESTS = 4
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
#: What /dav/ holds before every input (a name to content, or ``None`` for a folder; ``->`` a symbolic link).
_DAV_LAYOUT = (
    ("a.txt", b"hello\n"),
    ("sub", None),
    ("sub/b.txt", b"b"),
    ("sub/deep", None),
    ("sub/deep/c.xml", b"<c/>"),
    ("caf\u00e9.txt", b"x"),
)
_DAV_LINKS = (("link-out", "../outside"), ("link-in", "sub"))
#: The file beside /dav/ that no answer may ever carry.
SECRET = b"multistatus-fuzz-secret-5f1d"


@dataclass(frozen=True)
class DemoRequest:
    """One request as a WSGI server would hand it over (after its own checks)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


def demo_requests(data: bytes) -> list[DemoRequest]:
    """The requests written in *data*: ``METHOD target``, header lines, a blank line, the body.

    A request a server would refuse itself (a method or header name that is not
    a token, an unreadable Content-Length) is left out.
    """
    out = []
    for part in data.split(DEMO_SEPARATOR)[:DEMO_REQUESTS]:
        blank = _BLANK_LINE.search(part)
        head, body = (part[: blank.start()], part[blank.end() :]) if blank else (part, b"")
        lines = [line.rstrip(b"\r") for line in head.split(b"\n")]
        words = lines[0].split(b" ")
        method = words[0] or b"GET"
        target = words[1] if len(words) > 1 and words[1] else b"/"
        if not _TOKEN.match(method):
            continue
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if colon and _TOKEN.match(name) and b"_" not in name:  # (servers drop names with "_")
                headers.append((name.decode("ascii"), value.strip(b" \t").decode("latin-1")))
        out.append(DemoRequest(method.decode("ascii"), target.decode("latin-1"), tuple(headers), body))
    return out


def demo_environ(request: DemoRequest) -> dict[str, object] | None:
    """The WSGI environ a server (werkzeug's, waitress) builds for *request*; ``None`` when it answers 400 itself.

    The body is what the server read: cut to Content-Length (a longer one
    means the client went away early), or the decoded chunks
    (``wsgi.input_terminated``).
    """
    target = request.target
    if "://" in target[:12]:  # absolute form: the path is after the authority
        target = "/" + target.split("://", 1)[1].partition("/")[2]
    elif not target.startswith("/"):
        target = "/" + target
    path, _, query = target.partition("?")
    environ: dict[str, object] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "RAW_URI": request.target,
        "REQUEST_URI": request.target,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    fields: dict[str, str] = {}
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        fields[key] = f"{fields[key]}, {value}" if key in fields else value
    body = request.body
    length = fields.pop("CONTENT_LENGTH", None)
    if "chunked" in fields.get("TRANSFER_ENCODING", "").lower():
        environ["wsgi.input_terminated"] = True  # (the server decoded the chunks: the body is all there is)
    elif length is not None:
        if not length.isascii() or not length.isdigit() or len(length) > 18:
            return None
        environ["CONTENT_LENGTH"] = str(int(length))
        body = body[: int(length)]
    elif body:
        environ["CONTENT_LENGTH"] = str(len(body))
    environ["wsgi.input"] = io.BytesIO(body)
    fields.setdefault("HOST", "127.0.0.1")
    for key, value in fields.items():
        environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    return environ


class _Logged(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _files_state(top: Path) -> list[tuple[str, int, int]]:
    out = []
    for folder, dirs, names in os.walk(top):
        for name in sorted(dirs + names):
            st = os.lstat(os.path.join(folder, name))
            out.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return out


class DemoFixture:
    """The demo app with ``--dav`` over a temporary folder (one per process), reset before each input.

    ``root/`` holds ``dav/`` (served), the property database beside it, and
    ``outside/secret.txt`` with a symbolic link ``dav/link-out`` pointing at
    it: nothing may be written outside ``root/dav/`` (and the database), and
    no answer may carry the secret.
    """

    def __init__(self) -> None:
        from multistatus.demo import FILES, default_database, make_app

        shm = "/dev/shm"
        self.base = Path(
            tempfile.mkdtemp(prefix="multistatus-fuzz-demo-", dir=shm if os.access(shm, os.W_OK) else None)
        )
        atexit.register(shutil.rmtree, self.base, True)
        self.root = self.base / "root"
        self.dav = self.root / "dav"
        self.outside = self.root / "outside"
        self.outside.mkdir(parents=True)
        (self.outside / "secret.txt").write_bytes(SECRET)
        self.dav.mkdir()
        self.app = make_app(dav=self.dav)
        database = default_database(self.dav)
        self.expected = {"dav", "outside", database.name, database.name + "-journal"}
        self.db = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA synchronous=OFF")
        self.files = Path(FILES)
        self.files_state = _files_state(self.files)

    def reset(self) -> None:
        if self.dav.is_symlink() or not self.dav.is_dir():
            raise Finding("outside-write", f"{self.dav} is no longer a folder")
        shutil.rmtree(self.dav)
        self.dav.mkdir()
        for name, content in _DAV_LAYOUT:
            if content is None:
                (self.dav / name).mkdir()
            else:
                (self.dav / name).write_bytes(content)
        for name, points_to in _DAV_LINKS:
            os.symlink(points_to, self.dav / name)
        if self.db.execute("SELECT 1 FROM dead_props LIMIT 1").fetchone():
            self.db.execute("DELETE FROM dead_props")

    def check_contained(self) -> None:
        """Nothing written outside ``root/dav/`` (the database aside), nothing changed in ``/files/``."""
        problems = []
        if os.listdir(self.base) != ["root"]:
            problems.append(f"{self.base} holds {sorted(os.listdir(self.base))}")
        extra = set(os.listdir(self.root)) - self.expected
        if extra:
            problems.append(f"{self.root} holds {sorted(extra)}")
        if os.listdir(self.outside) != ["secret.txt"] or (self.outside / "secret.txt").read_bytes() != SECRET:
            problems.append(f"{self.outside} changed: {sorted(os.listdir(self.outside))}")
        if _files_state(self.files) != self.files_state:
            problems.append(f"the demo's /files/ folder {self.files} changed")
        if problems:
            raise Finding("outside-write", "; ".join(problems))


_DEMO: DemoFixture | None = None


def demo_fixture() -> DemoFixture:
    global _DEMO  # noqa: PLW0603 - one temporary folder per process
    if _DEMO is None:
        _DEMO = DemoFixture()
    return _DEMO


def _allowed_5xx(request: DemoRequest, environ: dict[str, object], status: int, body: bytes) -> bool:
    """The demo's documented 5xx answers: 502 for a COPY or MOVE to another server, 500 for an exploding batch item."""
    path = str(environ["PATH_INFO"])
    if status == 502 and request.method.upper() in ("COPY", "MOVE") and path.startswith("/dav"):
        return True
    return status == 500 and path == "/batch" and b"internal_error" in body


def _check_demo_answer(request: DemoRequest, environ: dict[str, object], status: int, media: str, body: bytes) -> None:
    path = str(environ["PATH_INFO"])
    where = f"{request.method} {request.target} -> {status} {media}"
    if status >= 500 and not _allowed_5xx(request, environ, status, body):
        raise Finding("demo-5xx", f"status {status}\n  {where}\n  {body[:1500]!r}")
    if SECRET in body:
        raise Finding("demo-leak", f"an answer carries the file outside the served folder\n  {where}")
    if request.method.upper() == "HEAD" and body:
        raise Finding("demo-answer", f"a HEAD answer has a body\n  {where}: {len(body)} bytes")
    served_file = request.method.upper() in ("GET", "HEAD") and status == 200 and path.startswith(("/dav", "/files"))
    if served_file or not body:
        return  # (a file's content is whatever was PUT)
    if "xml" in media:
        try:
            ET.fromstring(body)
        except ET.ParseError as exc:
            if not _only_expat_names(body):
                raise Finding(
                    "demo-xml", f"an XML body is not well-formed: {exc}\n  {where}\n  {body[:1500]!r}"
                ) from exc
        if status == 207:
            doc = outcome(lambda: ms.from_xml(body), "from_xml(the demo's 207)")
            if not doc.ok:
                raise Finding("demo-xml", f"from_xml refuses a 207\n  {where}: {doc.describe()}")
    elif "json" in media:
        try:
            json.loads(body)
        except ValueError as exc:
            raise Finding("demo-json", f"a JSON body is not JSON: {exc}\n  {where}\n  {body[:1500]!r}") from exc
        if status == 207:
            doc = outcome(lambda: ms.from_json(body), "from_json(the demo's 207)")
            if not doc.ok:
                raise Finding("demo-json", f"from_json refuses a 207\n  {where}: {doc.describe()}")


def _is_exploding_item(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return isinstance(exc, RuntimeError) and str(exc) == "the demo storage exploded"


def demo(data: bytes) -> None:
    """The demo's WSGI app (``make_app(dav=...)``) on up to four requests written in *data*.

    Each answer: no 5xx (but the documented 502 and exploding batch item), no
    exception escaping, nothing logged as an error (but the exploding item),
    no WSGI protocol error (werkzeug's ``LintMiddleware``), well-formed XML
    and JSON bodies, a 207 that ``from_xml``/``from_json`` reads, an empty
    HEAD body, never the secret file; after all of them, nothing written
    outside the served folder.  The folder is reset before each input, so an
    input's outcome does not depend on the ones before it.
    """
    from werkzeug.middleware.lint import HTTPWarning, LintMiddleware, WSGIWarning
    from werkzeug.test import run_wsgi_app

    fixture = demo_fixture()
    fixture.reset()
    app = LintMiddleware(fixture.app)
    logged = _Logged()
    logger = logging.getLogger("multistatus")
    saved = logger.propagate
    logger.addHandler(logged)
    logger.propagate = False
    try:
        for request in demo_requests(data[:MAX_INPUT]):
            environ = demo_environ(request)
            if environ is None:
                continue
            # (werkzeug.test.Client.open would rebuild the environ through EnvironBuilder; its
            # run_wsgi_app takes the environ as a server hands it over: RAW_URI and all)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                chunks, status, headers = run_wsgi_app(app, environ, buffered=True)
                body = b"".join(chunks)
            lint = [w for w in caught if issubclass(w.category, (WSGIWarning, HTTPWarning))]
            if request.method.upper() == "HEAD":  # (the linter expects HEAD's body to match its Content-Length)
                lint = [w for w in lint if "Content-Length and the number of bytes" not in str(w.message)]
            if lint:
                raise Finding("wsgi-lint", f"{lint[0].message}\n  {request.method} {request.target}")
            media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
            _check_demo_answer(request, environ, int(status.split(" ", 1)[0]), media, body)
            errors = [r for r in logged.records if not _is_exploding_item(r)]
            if errors:
                raise Finding(
                    "demo-logged",
                    f"logged: {errors[0].msg}\n  {request.method} {request.target}: {errors[0].getMessage()}",
                )
    finally:
        logger.removeHandler(logged)
        logger.propagate = saved
    fixture.check_contained()


#: Every target, by the name ``fuzz/run.py`` takes.
TARGETS: dict[str, Callable[[bytes], None]] = {
    "from_xml": from_xml,
    "xml_feeder": xml_feeder,
    "from_json": from_json,
    "from_body": from_body,
    "cli": cli,
    "webdav_body": webdav_body,
    "webdav_headers": webdav_headers,
    "webdav_report": webdav_report,
    "webdav_conditions": webdav_conditions,
    "read_batch": read_batch,
    "demo": demo,
}


# -- running one input ---------------------------------------------------------------
def _signature(target: str, kind: str, exc: BaseException) -> str:
    """Where the finding comes from: its kind, the root exception type and the innermost library frame."""
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    frames = traceback.extract_tb(root.__traceback__)
    place = "?"
    for frame in reversed(frames):
        if "multistatus" in frame.filename and "/fuzz/" not in frame.filename:
            place = f"{Path(frame.filename).name}:{frame.lineno}"
            break
    else:
        if frames:
            place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    if kind == "stray-exception" or root is not exc:
        detail = type(root).__name__
    else:  # a mismatch: its first line without the quoted input and numbers
        first = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", str(exc).split("\n")[0])
        detail = hashlib.sha1(first[:120].encode()).hexdigest()[:8]
    return f"{target}/{kind}/{detail}@{place}"


def run_one(target: str, data: bytes) -> FindingReport | None:
    """Run *target* on *data*; a report when a promise broke, else ``None``."""
    try:
        TARGETS[target](data)
    except Finding as exc:
        return FindingReport(
            target, exc.kind, _signature(target, exc.kind, exc), str(exc), "".join(traceback.format_exception(exc))
        )
    except Exception as exc:
        return FindingReport(
            target,
            "stray-exception",
            _signature(target, "stray-exception", exc),
            f"{type(exc).__name__}: {exc}"[:2000],
            "".join(traceback.format_exception(exc)),
        )
    return None


# -- seeds ---------------------------------------------------------------------------
def _head_for(target: str, body: bytes, content_type: str | None) -> bytes:
    """The 4 selector bytes :func:`from_body` reads, choosing *content_type*'s media type."""
    media = (content_type or "").split(";")[0].strip().lower()
    index = CONTENT_TYPES.index(media) if media in CONTENT_TYPES else 2
    return bytes((index, 1, 0, 0))


def corpus_files() -> list[Path]:
    """The real server captures and bodies of ``tests/data/*/``."""
    if not DATA.is_dir():
        return []
    return sorted(p for p in DATA.glob("*/*") if p.is_file())


@functools.lru_cache(maxsize=4)
def _generated(count: int) -> tuple[bytes, ...]:
    return tuple(_generate(count))


def generated_seeds(count: int = 24) -> list[bytes]:
    """``to_xml``/``to_json`` of documents from ``tests/strategies.py`` (deterministic, cached), when importable."""
    return list(_generated(count))


def _generate(count: int) -> list[bytes]:
    try:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from hypothesis import HealthCheck, given, settings

        from tests.strategies import documents
    except Exception:
        return []
    docs: list[ms.MultiStatus] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(documents())
    def collect(doc: ms.MultiStatus) -> None:
        docs.append(doc)

    collect()
    out = []
    for doc in docs:
        out += [ms.to_xml(doc), ms.to_xml(doc, pretty=True), ms.to_json(doc)]
    return out


def _split_capture(data: bytes) -> tuple[str | None, bytes]:
    if not data.startswith(b"HTTP/"):
        return None, data
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, rest = data.partition(b"\n\n")
    content_type = None
    for line in head.decode("latin-1").splitlines()[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            content_type = value.strip()
    return content_type, rest


_NS = b'xmlns:D="DAV:" xmlns:Z="http://example.com/z"'
#: WebDAV request bodies: what clients send, and what RFC 4918 refuses.
REQUEST_BODIES = (
    b"",
    b"  \r\n",
    b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
    b'<propfind xmlns="DAV:"><propname/></propfind>',
    b'<propfind xmlns="DAV:"><prop><getetag/><displayname/><resourcetype/><owner/></prop></propfind>',
    b"<D:propfind " + _NS + b"><D:prop><Z:color/><Z:secret/><D:quota-used-bytes/></D:prop></D:propfind>",
    b'<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:quota-used-bytes/><D:nope/></D:include></D:propfind>',
    b'<D:propfind xmlns:D="DAV:"><D:prop/><D:allprop/></D:propfind>',
    b'<D:propfind xmlns:D="DAV:"><D:foo/></D:propfind>',
    b'<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:getetag/><x:a xmlns:x=""/></D:prop></D:propfind>',
    b'<propfind xmlns="DAV:"><prop><a xmlns="urn:\xc3\xa9"/></prop></propfind>',
    b'<!DOCTYPE x [<!ENTITY e "e">]><propfind xmlns="DAV:"><prop>&e;</prop></propfind>',
    b"<D:propertyupdate " + _NS + b'><D:set><D:prop><Z:note xml:lang="en" kind="k">see <Z:b>this</Z:b></Z:note>'
    b"</D:prop></D:set><D:remove><D:prop><Z:old/></D:prop></D:remove></D:propertyupdate>",
    b'<propertyupdate xmlns="DAV:" xml:lang="de"><set><prop><getetag>x</getetag><x xmlns="urn:x"/></prop></set>'
    b"</propertyupdate>",
    b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><a xmlns="urn:a"><![CDATA[<x>]]> &amp; &#xE9;</a>'
    b'<b xmlns="urn:a" xml:lang=""/></D:prop></D:set></D:propertyupdate>',
    b'<D:propertyupdate xmlns:D="DAV:"><D:set/></D:propertyupdate>',
    b'<D:propertyupdate xmlns:D="DAV:"><D:remove><D:prop/></D:remove></D:propertyupdate>',
    b'<D:propertyupdate xmlns:D="DAV:" xmlns:q="urn:q"><D:set><D:prop><q:a q:attr="1" xmlns:r="urn:r" r:b="2">'
    + b"<q:n>" * 20
    + b"deep"
    + b"</q:n>" * 20
    + b"</q:a></D:prop></D:set></D:propertyupdate>",
    b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
    + b"".join(b'<p%d xmlns="urn:many">%d</p%d>' % (i, i, i) for i in range(40))
    + b"</D:prop></D:set></D:propertyupdate>",
    b"\xef\xbb\xbf<propfind xmlns='DAV:'><allprop/></propfind>",
    b'<?xml version="1.0" encoding="utf-16"?><propfind xmlns="DAV:"/>',
    b"<propfind xmlns='DAV:'><prop>",
)
#: Header values: a selector byte, then Depth, Overwrite, Destination and the request path, one a line.
HEADER_SEEDS = (
    b"\0",
    b"\x00infinity\nT\n/dav/b.txt\n/dav/a.txt",
    b"\x011\nF\nhttp://127.0.0.1/dav/b.txt",
    b"\x02 0 \n t \nhttp://localhost:8080/dav/sub/x\n/dav/sub/",
    b"\x03Infinity\nf\n../x?y#z",
    b"\x042\nyes\n\n",
    b"\x05\n\n   \n",
    b"\x20\x30\nTF\nhttp://[::1]:80/dav/x\n/dav/caf\xc3\xa9",
    b"\x41infinity\nT\nhttps://example.com:443/a/./b/../c",
    b"\x62-1\n\x00\nhttp://h/a b\n",
    b"\x83\t1\t\nT\n//other.example/dav/x\n/a/%2e%2e/b",
    b"\xa41\x00\nT\nhttp:x\n/",
    b"\xc5\xa0infinity\nT\nmailto:x@y\n/dav/",
    b"\xe7\xc4\xb1nfinity\nT\n/dav/%C3%A9%zz\n//",
)
#: Conditional header values after a selector byte: If, If-Match, If-None-Match, IMS, IUS, Timeout, Lock-Token.
CONDITION_SEEDS = (
    b"\0",
    b'\x00(<urn:uuid:1> ["v1"]) (Not <DAV:no-lock>)\n"v1"\n\n\n\nSecond-600\n<urn:uuid:1>',
    b'\x01</dav/> (<urn:uuid:2>)\n*\n"v1", W/"v2"\nSun, 06 Nov 1994 08:49:37 GMT\n\nInfinite, Second-4100000000\n<x>',
    b"\x07(<urn:uuid:1>\n\n*\n\nSun Nov  6 08:49:37 1994\nSecond-99999999999\nurn:x",
    b"\x0e\n\n\nSunday, 06-Nov-94 08:49:37 GMT\n\nsecond-1\n <urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4> ",
    b"\x10(Not)\n\x00\n\n\nnot a date\n,,\n<>",
    b'\x13<http://h/a> ([W/"v1"]) </b> (Not ["x]y"])\n"v1"\nW/"v1"\n\nMon, 07 Nov 1994 08:49:37 GMT\n\n',
)
#: Batch bodies, after two selector bytes (Content-Type; member and limits).
BATCH_SEEDS = (
    b"\0\0[]",
    b"\1\0" + json.dumps([{"id": "1", "name": "apple"}, {"name": "b", "protected": True}]).encode(),
    b'\1\0{"items": [1, "two", 3.5, null, true, {"a": [[]]}]}',
    b'\2\1[{"a": 1, "a": 2}]',
    b"\3\0[NaN, Infinity]",
    b"\3\0[1e999]",
    b"\4\5[[[[[1]]]]]",
    b'\0\4{"items": [1, 2, 3, 4, 5]}',
    b'\0\2{"data": ["x"]}',
    b"\7\0[1]",
    b'\0\0"\\ud800"',
    b'\0\0["\\ud800\\udc00", "\\"\\\\"]',
    b"\0\0\xef\xbb\xbf[1]",
    b"\0\0[1,]",
    b"\0\0" + b"[" * 80 + b"]" * 80,
    b'\0\0{"items": {"items": []}}',
    b"\0\x09" + b"[0," * 3 + b"0" + b"]" * 3,
    b"\x0b\0[1]",
)


def _http(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return "\n".join(lines).encode("utf-8") + b"\n\n" + body


def _inputs(*requests: bytes) -> bytes:
    return DEMO_SEPARATOR.join(requests)


def demo_seeds() -> list[bytes]:
    """Request sequences for the demo: every method, the conflicts, the hostile paths and bodies."""
    xml = {"Content-Type": "application/xml"}
    propfind = REQUEST_BODIES[4]
    patch = REQUEST_BODIES[12]
    batch = json.dumps([{"id": "1", "name": "a"}, {"name": ""}, {"id": "\u0000", "name": "x"}]).encode()
    single = [
        _http("GET", "/"),
        _http("GET", "/nope"),
        _http("OPTIONS", "/dav/"),
        _http("GET", "/dav/"),
        _http("GET", "/dav/a.txt"),
        _http("HEAD", "/dav/caf%C3%A9.txt"),
        _http("GET", "/dav/link-out/secret.txt"),
        _http("GET", "/dav/../outside/secret.txt"),
        _http("GET", "/dav/%2e%2e/outside/secret.txt"),
        _http("GET", "/dav/sub%2f..%2f..%2foutside/secret.txt"),
        _http("GET", "http://127.0.0.1/dav/a.txt#x"),
        _http("PROPFIND", "/dav/", {"Depth": "0"}),
        _http("PROPFIND", "/dav/", {"Depth": "1", **xml}, propfind),
        _http("PROPFIND", "/dav/", {"Depth": "infinity", "Prefer": "return=minimal"}, REQUEST_BODIES[3]),
        _http("PROPFIND", "/dav/sub/", {"Depth": "1", "Accept": "application/json"}, REQUEST_BODIES[6]),
        _http("PROPFIND", "/dav/", {"Depth": "2"}, b"<propfind"),
        _http("PROPFIND", "/dav/", {"Depth": "1", "Content-Length": "99999999"}, propfind),
        _http("PROPFIND", "/dav/", {"Content-Length": "40"}, propfind),
        _http("PROPFIND", "/dav/link-out/", {"Depth": "1"}),
        _http("PROPFIND", "/dav/link-in/", {"Depth": "infinity"}),
        _http("PROPFIND", "/files/", {"Depth": "1"}, propfind),
        _http("PROPPATCH", "/dav/a.txt", xml, REQUEST_BODIES[18]),
        _http("PROPPATCH", "/dav/a.txt", xml, REQUEST_BODIES[13]),
        _http("PROPPATCH", "/dav/", xml, REQUEST_BODIES[17]),
        _http("PROPPATCH", "/dav/a.txt", xml, b""),
        _http("PUT", "/dav/new.txt", {}, b"new content"),
        _http("PUT", "/dav/sub/", {}, b"x"),
        _http("PUT", "/dav/missing/x.txt", {}, b"x"),
        _http("PUT", "/dav/big.txt", {"Content-Length": "67108865"}, b"x"),
        _http("PUT", "/dav/chunked.txt", {"Transfer-Encoding": "chunked"}, b"abc" * 100),
        _http("PUT", "/dav/%00.txt", {}, b"x"),
        _http("PUT", "/dav/" + "n" * 300, {}, b"x"),
        _http("MKCOL", "/dav/newcol"),
        _http("MKCOL", "/dav/sub"),
        _http("MKCOL", "/dav/x/y"),
        _http("MKCOL", "/dav/withbody", xml, b"<x/>"),
        _http("DELETE", "/dav/a.txt"),
        _http("DELETE", "/dav/sub/", {"Depth": "0"}),
        _http("DELETE", "/dav/"),
        _http("DELETE", "/dav/link-out"),
        _http("COPY", "/dav/a.txt", {"Destination": "/dav/b.txt"}),
        _http("COPY", "/dav/a.txt", {"Destination": "/dav/sub/b.txt", "Overwrite": "F"}),
        _http("COPY", "/dav/sub/", {"Destination": "/dav/sub/deep/x/", "Depth": "infinity"}),
        _http("COPY", "/dav/sub/", {"Destination": "http://127.0.0.1/dav/copy/", "Depth": "0"}),
        _http("COPY", "/dav/a.txt", {"Destination": "http://other.example/dav/b.txt"}),
        _http("COPY", "/dav/a.txt", {"Destination": "/dav/../outside/x.txt"}),
        _http("COPY", "/dav/a.txt", {"Destination": "/dav/link-out/x.txt"}),
        _http("COPY", "/dav/link-in", {"Destination": "/dav/linkcopy"}),
        _http("MOVE", "/dav/sub/", {"Destination": "/dav/moved/"}),
        _http("MOVE", "/dav/sub/", {"Destination": "/dav/sub/"}),
        _http("MOVE", "/dav/sub/deep/", {"Destination": "/dav/sub", "Overwrite": "T"}),
        _http("MOVE", "/dav/a.txt", {"Destination": "/dav/sub/b.txt", "Overwrite": "X"}),
        _http("MOVE", "/dav/a.txt"),
        _http("LOCK", "/dav/a.txt", xml, b"<lockinfo xmlns='DAV:'/>"),
        _http("GET", "/dav/", {"Host": "evil.example"}),
        _http("POST", "/batch", {"Content-Type": "application/json"}, batch),
        _http(
            "POST", "/batch?policy=collapse-uniform", {"Accept": "application/xml"}, b'[{"name": "a", "explode": 1}]'
        ),
        _http("POST", "/batch?policy=nope", {}, b"[]"),
        _http("POST", "/batch", {"Accept": "text/html"}, b"[1, {"),
        _http("POST", "/batch", {"Content-Length": "70000"}, b"[]"),
        _http("GET", "/batch", {"Accept": "application/xml;q=0.5, text/html"}),
        _http("DELETE", "/batch"),
    ]
    sequences = [
        _inputs(
            _http("PROPPATCH", "/dav/a.txt", xml, patch),
            _http("COPY", "/dav/a.txt", {"Destination": "/dav/c.txt"}),
            _http("PROPFIND", "/dav/", {"Depth": "1"}, REQUEST_BODIES[2]),
        ),
        _inputs(
            _http("MKCOL", "/dav/x"),
            _http("PUT", "/dav/x/y.txt", {}, b"y"),
            _http("MOVE", "/dav/x/", {"Destination": "/dav/sub/x/"}),
            _http("PROPFIND", "/dav/sub/", {"Depth": "infinity"}, REQUEST_BODIES[3]),
        ),
        _inputs(
            _http("PROPPATCH", "/dav/sub/", xml, REQUEST_BODIES[18]),
            _http("MOVE", "/dav/sub/", {"Destination": "/dav/other/"}),
            _http("PROPFIND", "/dav/other/", {"Depth": "0"}, b""),
        ),
        _inputs(
            _http("COPY", "/dav/sub/", {"Destination": "/dav/a.txt", "Overwrite": "T"}),
            _http("DELETE", "/dav/a.txt/b.txt"),
            _http("GET", "/dav/a.txt/"),
        ),
    ]
    return single + sequences


def seed_corpus(target: str, *, generated: int = 24) -> list[bytes]:
    """Seeds for *target*: the ``tests/data`` bodies and captures, generated documents, and each new target's own."""
    raw = [p.read_bytes() for p in corpus_files()]
    made = generated_seeds(generated) if generated else []
    seeds: list[bytes] = []
    if target == "webdav_body":
        seeds = [*REQUEST_BODIES, *(_split_capture(blob)[1] for blob in raw + made)]
    elif target == "webdav_headers":
        seeds = list(HEADER_SEEDS)
    elif target == "webdav_report":
        seeds = [*REQUEST_BODIES, *(_split_capture(blob)[1] for blob in raw + made)]
    elif target == "webdav_conditions":
        seeds = list(CONDITION_SEEDS)
    elif target == "read_batch":
        seeds = [
            *BATCH_SEEDS,
            *(b"\0\1" + _split_capture(blob)[1] for blob in raw + made if blob.lstrip()[:1] in b"[{"),
        ]
    elif target == "demo":
        seeds = demo_seeds()
    elif target == "cli":
        seeds = raw + made
    elif target == "from_body":
        for blob in raw + made:
            content_type, body = _split_capture(blob)
            seeds.append(_head_for(target, body, content_type) + body)
    else:
        for blob in raw + made:
            seeds.append(_split_capture(blob)[1])
    return list(dict.fromkeys(s[:MAX_INPUT] for s in seeds))
