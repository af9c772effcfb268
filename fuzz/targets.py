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
``multistatus`` or changes process-wide state outside the call.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import random
import re
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import multistatus as ms
import multistatus.cli

__all__ = [
    "MAX_INPUT",
    "TARGETS",
    "Finding",
    "FindingReport",
    "cli",
    "from_body",
    "from_json",
    "from_xml",
    "generated_seeds",
    "run_one",
    "seed_corpus",
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
            got, description=feeder.description, sync_token=feeder.sync_token, extensions=feeder.extensions
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


#: Every target, by the name ``fuzz/run.py`` takes.
TARGETS: dict[str, Callable[[bytes], None]] = {
    "from_xml": from_xml,
    "xml_feeder": xml_feeder,
    "from_json": from_json,
    "from_body": from_body,
    "cli": cli,
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


def seed_corpus(target: str, *, generated: int = 24) -> list[bytes]:
    """Seeds for *target*: the ``tests/data`` bodies and captures, and generated documents."""
    raw = [p.read_bytes() for p in corpus_files()]
    made = generated_seeds(generated) if generated else []
    seeds: list[bytes] = []
    if target == "cli":
        seeds = raw + made
    elif target == "from_body":
        for blob in raw + made:
            content_type, body = _split_capture(blob)
            seeds.append(_head_for(target, body, content_type) + body)
    else:
        for blob in raw + made:
            seeds.append(_split_capture(blob)[1])
    return list(dict.fromkeys(s[:MAX_INPUT] for s in seeds))
