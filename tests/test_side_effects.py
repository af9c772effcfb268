"""The library changes no process-wide state: not the garbage collector, not warnings, not logging.

Parsing used to switch the cyclic collector off and freeze the process's young
objects; in a threaded server that changed the collector for every other
thread.  These tests parse and write large documents (in a thread, as a server
does) and check that everything process-wide reads the same afterwards.
"""

from __future__ import annotations

import gc
import io
import locale
import logging
import signal
import sys
import threading
import warnings
from collections.abc import Callable

import pytest

import multistatus as ms

N = 3_000


def big_xml() -> bytes:
    props = ms.PropStat({"{DAV:}getetag": '"e"', "{urn:x}v": [ms.Element("{urn:x}a", ["deep"])]})
    missing = ms.PropStat({"{DAV:}owner": None}, 404)
    doc = ms.MultiStatus([ms.Response(f"/dav/f{i}", propstats=[props, missing]) for i in range(N)])
    return ms.to_xml(doc)


BIG = big_xml()
BIG_JSON = ms.to_json(ms.from_xml(BIG))


def snapshot() -> dict[str, object]:
    """Everything process-wide the library could be tempted to touch."""
    return {
        "gc enabled": gc.isenabled(),
        "gc thresholds": gc.get_threshold(),
        "gc freeze count": gc.get_freeze_count(),
        "gc debug": gc.get_debug(),
        "warnings filters": list(warnings.filters),
        "locale": locale.setlocale(locale.LC_ALL),
        "SIGINT handler": signal.getsignal(signal.SIGINT),
        "root log level": logging.getLogger().level,
        "root log handlers": list(logging.getLogger().handlers),
        "recursion limit": sys.getrecursionlimit(),
        "switch interval": sys.getswitchinterval(),
    }


WORK: list[tuple[str, Callable[[], object]]] = [
    ("from_xml", lambda: ms.from_xml(BIG)),
    ("from_json", lambda: ms.from_json(BIG_JSON)),
    ("iter_xml", lambda: sum(1 for _ in ms.iter_xml(io.BytesIO(BIG)))),
    ("from_body", lambda: ms.from_body(BIG, "application/xml")),
    ("to_xml", lambda: ms.to_xml(ms.from_xml(BIG))),
    ("stream_json", lambda: b"".join(ms.stream_json(ms.from_xml(BIG).responses))),
    ("reply", lambda: ms.reply(ms.from_xml(BIG), accept="text/html")),
]


@pytest.mark.parametrize(("name", "work"), [pytest.param(n, w, id=n) for n, w in WORK])
def test_parsing_and_writing_in_a_thread_leave_the_process_as_it_was(name: str, work: Callable[[], object]) -> None:
    before = snapshot()
    seen_inside: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    def watch() -> None:  # another thread of the same server, looking while the work runs
        while worker.is_alive():
            seen_inside.append(gc.isenabled())
            worker.join(0.001)

    worker = threading.Thread(target=run)
    watcher = threading.Thread(target=watch)
    worker.start()
    watcher.start()
    worker.join(60)
    watcher.join(60)
    assert not errors, errors
    assert snapshot() == before
    assert all(seen_inside), f"{name}: another thread saw the collector switched off"


def test_the_collector_still_frees_cycles_made_while_parsing() -> None:
    """The collector runs during a parse as it would anyway: garbage cycles of other code are freed."""
    import weakref

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    ms.from_xml(BIG)
    gc.collect()
    assert gone() is None


def test_importing_the_package_changes_nothing_process_wide() -> None:
    import subprocess

    code = (
        "import gc, warnings, logging, sys\n"
        "before = (gc.isenabled(), gc.get_threshold(), list(warnings.filters), logging.getLogger().level,"
        " list(logging.getLogger().handlers), sys.getrecursionlimit())\n"
        "import multistatus, multistatus.wsgi, multistatus.cli, multistatus.demo\n"
        "after = (gc.isenabled(), gc.get_threshold(), list(warnings.filters), logging.getLogger().level,"
        " list(logging.getLogger().handlers), sys.getrecursionlimit())\n"
        "print(before == after)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
