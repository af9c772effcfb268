"""The C modules on odd input: ``_cvalues.c`` (status-form responses, the summary
counter) and ``_cwriter.c`` (the UTF-8 output buffer) agree with Python, or give the
work back to it, and never crash.

Embedded NUL, lone surrogates, one-, two- and four-byte text, long strings, values
altered behind the model's back, and finalizers that run during an allocation (a
cached status dropped while a response is built).  The tests that could crash the
interpreter run their reproducer in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import multistatus as ms
from multistatus._json import _writer as _json_writer
from multistatus._model import _items
from multistatus._xml import _writer
from tests.conftest import python_constructors, python_writer

ROOT = Path(__file__).resolve().parent.parent
set_slot = object.__setattr__

needs_c_values = pytest.mark.skipif(
    _items.c_status_responses is None, reason="multistatus._model._cvalues is not built"
)
needs_c_writer = pytest.mark.skipif(_writer._c_props is None, reason="multistatus._xml._cwriter is not built")


def xml_text(doc: ms.MultiStatus) -> str:
    """The XML text of *doc* as str (to_xml would refuse to encode a lone surrogate)."""
    return "".join(_writer.iter_document(doc))


def json_text(doc: ms.MultiStatus) -> str:
    return _json_writer._text(doc)


def both(write: Callable[[], Any]) -> tuple[Any, Any]:
    fast = write()
    with python_writer():
        slow = write()
    return fast, slow


def run_child(code: str, *, pure: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MULTISTATUS_PURE_PYTHON"}
    if pure:
        env["MULTISTATUS_PURE_PYTHON"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


# -- findings ------------------------------------------------------------------------

FINALIZER_DROPS_CACHED_STATUS = """
    import gc
    import multistatus as ms
    from multistatus._model import _status

    class Clearer:
        __slots__ = ("me",)

        def __del__(self):
            _status._CACHE.pop(CODE, None)  # drops the only reference to the cached Status

    out = []
    for CODE, name, kw in ((203, "succeeded", {"id": "1", "location": "/l"}), (409, "failed", {"code": "x"})):
        for _ in range(3):
            results = ms.Results()
            record = getattr(results, name)
            _status._CACHE[CODE] = ms.Status(CODE)  # a cached status nothing else holds
            c = Clearer()
            c.me = c
            del c  # garbage: the next collection runs the finalizer
            gc.set_threshold(1)  # (the next allocation of a tracked object collects)
            r = record("/a", status=CODE, **kw)
            gc.set_threshold(700)
            junk = [ms.Status(400 + i % 100) for i in range(1000)]  # reuses freed memory
            out.append(f"{type(r.status).__name__} {r.status.code}")
            del r, junk
    print(" ".join(out))
"""


@needs_c_values
def test_succeeded_holds_the_cached_status_while_it_allocates() -> None:
    """_cvalues.c py_succeeded: the Status borrowed from _status._CACHE must be held across the
    allocations of new_status_response (a collection they start may run a finalizer that drops
    the cache entry).  Fails now: heap-use-after-free (the response's status is another object,
    the process crashes at exit); failed() already holds it and passes."""
    child = run_child(FINALIZER_DROPS_CACHED_STATUS)
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split() == ["Status", "203"] * 3 + ["Status", "409"] * 3


STATUS_CODE_THAT_RUNS_CODE = """
    import multistatus as ms

    set_slot = object.__setattr__

    class Code:
        # a status code whose hash drops the propstats tuple the writer walks
        armed = True

        def __hash__(self):
            if Code.armed:
                Code.armed = False
                set_slot(victim, "propstats", ())
            return hash(200)

        def __eq__(self, other):
            return other == 200

    first = ms.PropStat({"{DAV:}getetag": "1"})
    odd = ms.PropStat({"{DAV:}getetag": "2"})
    status = ms.Status(200)
    set_slot(status, "code", Code())
    set_slot(odd, "status", status)
    victim = ms.Response("/1", propstats=[first, odd, ms.PropStat({"{DAV:}getetag": "3"})])
    doc = ms.MultiStatus([ms.Response("/0", propstats=[first]), victim])
    del first, odd, status
    print(ms.to_xml(doc).decode())
"""


@needs_c_writer
def test_the_xml_writer_runs_no_python_code_on_borrowed_references() -> None:
    """_cwriter.c put_status (not changed today): the statuses dict is looked up with whatever
    the Status's code slot holds, so an object set there with object.__setattr__ runs its
    __hash__/__eq__ while the writer holds borrowed references to the response's parts.  The
    C writer should leave a code that is not an exact int to Python.  Fails now: segfault."""
    fast = run_child(STATUS_CODE_THAT_RUNS_CODE)
    slow = run_child(STATUS_CODE_THAT_RUNS_CODE, pure=True)
    assert slow.returncode == 0, slow.stderr[-2000:]
    assert fast.returncode == 0, fast.stderr[-2000:]
    assert fast.stdout == slow.stdout


@needs_c_writer
def test_the_json_writer_writes_any_int_status_code_as_python_does() -> None:
    """_cwriter.c put_json_status: a code that does not fit a C long (set with object.__setattr__)
    must go to Python (which writes its digits), not raise OverflowError.  Fails now."""
    response = ms.Response("/a", status=201)
    status = ms.Status(201)
    set_slot(status, "code", 10**20)
    set_slot(response, "status", status)
    doc = ms.MultiStatus([response])
    with python_writer():
        slow = ms.to_json(doc)
    assert b'"status":100000000000000000000' in slow
    assert ms.to_json(doc) == slow


# -- edge cases checked (they behave) --------------------------------------------------

TEXTS = [
    "",
    "a\x00b",  # embedded NUL: strcspn stops there, the loop goes on
    "\x00&<>\r",
    "x\x00&y\x00",
    "&leading",
    "trailing>",
    "&&&<<<>>>\r\r",
    'a"b\nc\td',
    "\\\x01\x1f\b\f\x7f",
    "Grüße & <ÿ>",  # Latin-1
    "€ <€> \uffff \u0800",  # two-byte kind
    "😀 & \U0010ffff <",  # four-byte kind
    "\ud800",  # lone surrogates: written as they are, read back the same
    "x\udfff&",
    "\ud83d\ude00",  # two lone code points, not one pair
    "a" * 20000 + "&" + "b" * 50000,  # past the first 16 KiB and the 64 KiB piece
    "é" * 40000 + "<",
    "😀" * 20000,
]


def odd_document(text: str) -> ms.MultiStatus:
    """A document holding *text* everywhere the writers write text (set behind the model's back)."""
    prop = ms.Property("{urn:x}p", "v", lang="en", attributes={"{urn:x}a": "x"})
    set_slot(prop, "value", text)
    set_slot(prop, "lang", text)
    set_slot(prop, "attributes", ms.FrozenMap({"{urn:x}a": text, "{}plain": text}))
    element = ms.Element("{urn:x}e", ["t"], {"{urn:x}k": "v"})
    set_slot(element, "children", (text, ms.Element("{urn:x}f"), text) if text else ())
    mixed = ms.Property("{urn:x}m", [element])
    propstat = ms.PropStat([prop, mixed], 200)
    item = ms.Response(
        "/b", status=422, id="i", headers={"x-h": "v"}, error=ms.Error(code="c"), description="d", location="/l"
    )
    for slot in ("id", "description", "location"):
        set_slot(item, slot, text)
    set_slot(item, "hrefs", (text or "x", "/second"))
    set_slot(item, "headers", ms.FrozenMap({"x-h": text}))
    set_slot(item.error, "problem", ms.FrozenMap({"code": text, "message": "m"}))
    first = ms.Response("/a", propstats=[propstat])
    return ms.MultiStatus([first, item, first, item])  # (the second of each is written in C)


@needs_c_writer
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_odd_text_is_written_the_same_both_ways(text: str) -> None:
    """Embedded NUL, lone surrogates, every str kind, escapes at either end, long text."""
    for write in (xml_text, json_text):
        fast, slow = both(lambda write=write: write(odd_document(text)))  # type: ignore[misc]
        assert fast == slow


@needs_c_writer
def test_odd_text_does_take_the_c_path() -> None:
    """Not only equal: the C functions write these values (None would mean Python wrote them)."""
    from multistatus._xml import _cwriter

    for text in TEXTS:
        doc = odd_document(text)
        prop = doc.responses[0].propstats[0].props[0]
        writer = _writer.Writer(collect=True)
        writer.propstat(doc.responses[0].propstats[0], [])  # (meets the names)
        out: list[str] = []
        writer.property(prop, out)
        assert _cwriter.props((prop,), writer._qnames) == "".join(out)
        assert _cwriter.json_response(doc.responses[1]) is not None
        assert _cwriter.json_props((prop,)) is not None


@needs_c_writer
def test_a_lone_surrogate_pair_stays_two_code_points() -> None:
    """The UTF-8 buffer is read back with surrogatepass, which does not join a high and a low
    surrogate written as two characters into one (the Python writer keeps them apart too)."""
    doc = odd_document("\ud83d\ude00")
    fast, slow = both(lambda: xml_text(doc))
    assert fast == slow
    assert "\ud83d\ude00" in fast
    assert "😀" not in fast


@needs_c_values
def test_succeeded_and_failed_with_odd_statuses_match_python() -> None:
    """A Status altered with object.__setattr__, or made with object.__new__ and never set up,
    and str subclasses: C answers "Python's turn", and both paths give the same result or error."""

    class Text(str):
        __slots__ = ()

    far = ms.Status(404)
    set_slot(far, "code", 700)
    bare = object.__new__(ms.Status)
    low = ms.Status(201)
    set_slot(low, "code", 150)

    def outcome(record: Callable[[ms.Results], ms.Response]) -> object:
        try:
            response = record(ms.Results())
        except (TypeError, ValueError, AttributeError) as exc:
            return type(exc), str(exc)
        return response, repr(response), type(response.href), type(response.id)

    cases: list[Callable[[ms.Results], ms.Response]] = [
        lambda r: r.failed("/a", status=far, code="c"),
        lambda r: r.failed("/a", status=bare),
        lambda r: r.succeeded("/a", status=bare),
        lambda r: r.succeeded("/a", status=low),
        lambda r: r.succeeded(Text("/a"), status=201, id=Text("1")),
        lambda r: r.failed("/a", status=422, code=Text("c")),
        lambda r: r.succeeded("/a\x00", status=201),
        lambda r: r.failed("/a", status=422, message="\ud800"),
        lambda r: r.succeeded("/a", status=201, location="/\U0010ffff", id="é" * 5000),
    ]
    for case in cases:
        fast = outcome(case)
        with python_constructors():
            slow = outcome(case)
        assert fast == slow


@needs_c_values
def test_the_summary_of_odd_responses_matches_python() -> None:
    """1xx codes (counted as succeeded, as Python counts them), a Response never set up,
    a status code altered out of range: the C counter gives the same answer or leaves it."""
    informational = ms.Response("/a", status=201)
    hundred = ms.Status(201)
    set_slot(hundred, "code", 102)
    set_slot(informational, "status", hundred)
    far = ms.Response("/b", status=201)
    beyond = ms.Status(201)
    set_slot(beyond, "code", 600)
    set_slot(far, "status", beyond)
    never = object.__new__(ms.Response)

    def summary(responses: tuple[ms.Response, ...]) -> object:
        try:
            return ms.MultiStatus(responses).summary
        except AttributeError as exc:
            return type(exc)

    for responses in ((informational, ms.Response("/c", status=422)), (far,), (never,), (informational, never)):
        fast = summary(responses)
        with python_constructors():
            slow = summary(responses)
        assert fast == slow
