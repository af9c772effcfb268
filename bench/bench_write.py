"""Streaming write: ``write_xml`` from per-resource dicts against lxml's ``xmlfile``.

Not a test: run ``python bench/bench_write.py [N [ROUNDS]]`` (default 1,000,000
resources, 2 rounds; each round writes about 700 MB per contestant to a
temporary directory, deleted afterwards).  The performance issue's goal 6:
``write_xml`` of 1,000,000 responses from dicts at most 1.0x the time of lxml's
``xmlfile``, and at most 64 MB peak RSS.

The input is what a server has in hand: a generator of plain dicts, one per
resource, exactly those of ``bench_build.results()`` (checked), made one at a
time so that nothing but the output grows.  Contestants, interleaved round by
round in one process (``gc.collect()`` before each):

* ``lxml xmlfile``: the natural hand-written way, each response built with
  ``Element``/``SubElement`` and written with ``xf.write()`` inside
  ``xf.element(multistatus)`` (baseline);
* ``ms write_xml``: user code turns each dict into ``ms.Response(href,
  propstats=[ms.PropStat(found), ms.PropStat(dict.fromkeys(missing), 404)])``
  and ``ms.write_xml(responses, file, namespaces=[NS])`` writes them;
* ``ms model only``: the same responses built and dropped, nothing written
  (what the model constructors cost inside ``ms write_xml``).

Peak RSS: each of the first two again alone in a fresh process, raw
``ru_maxrss`` (the interpreter, lxml and multistatus included).
"""

from __future__ import annotations

import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import bench_build

import multistatus as ms

NS = bench_build.NS
D = "{DAV:}"
NSMAP = {"D": "DAV:", "X": NS}
ROUNDS = 2


def resources(n: int) -> Iterator[dict[str, Any]]:
    """``bench_build.results(n)``, one dict at a time (a million dicts would not fit in 64 MB)."""
    return (bench_build.resource(i) for i in range(n))


def responses(items: Iterator[dict[str, Any]]) -> Iterator[ms.Response]:
    """User code: each dict turned into a response."""
    for item in items:
        propstats = [ms.PropStat(bench_build._found(item))]
        if item["missing"]:
            propstats.append(ms.PropStat(dict.fromkeys(item["missing"]), 404))
        yield ms.Response(item["href"], propstats=propstats)


def lxml_xmlfile(n: int, path: str) -> None:
    element, fill = etree.Element, bench_build.lxml_fill
    with etree.xmlfile(path, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{D}multistatus", nsmap=NSMAP):
            for item in resources(n):
                response = element(f"{D}response", nsmap=NSMAP)
                fill(response, item)
                xf.write(response)


def ms_write_xml(n: int, path: str) -> None:
    with open(path, "wb") as f:
        ms.write_xml(responses(resources(n)), f, namespaces=[NS])


def ms_model_only(n: int, path: str) -> None:
    for _ in responses(resources(n)):
        pass


CONTESTANTS: dict[str, Callable[[int, str], None]] = {
    "lxml xmlfile": lxml_xmlfile,
    "ms write_xml": ms_write_xml,
    "ms model only (no writing)": ms_model_only,
}


def check(folder: Path, n: int = 3000) -> None:
    """Same input as bench_build, and both outputs read back to the same facts."""
    assert list(resources(n)) == bench_build.results(n)
    docs = []
    for name in ("lxml xmlfile", "ms write_xml"):
        path = str(folder / "check.xml")
        CONTESTANTS[name](n, path)
        docs.append(ms.from_xml(Path(path).read_bytes()))
    assert docs[0] == docs[1], "the two outputs differ"
    assert len(docs[0].responses) == n


def one(name: str, n: int, path: str) -> None:
    """In a fresh process: time and peak RSS (kB) of one contestant: ru_maxrss, and VmHWM."""
    start = time.perf_counter()
    CONTESTANTS[name](n, path)
    secs = time.perf_counter() - start
    hwm = next(
        line.split()[1] for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM")
    )
    print(f"{secs:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {hwm} {Path(path).stat().st_size}")


def alone(name: str, n: int, path: str) -> tuple[str, float, float, int]:
    """Seconds, peak RSS (MB) as ru_maxrss and as VmHWM, and output size of *name* in a fresh process.

    Run before the timed rounds: on Linux a child's ``ru_maxrss`` starts at the
    parent's peak (exec records the old memory map's high-water mark), so the
    parent must still be small; ``VmHWM`` counts the child's own map only.
    """
    args = [sys.executable, __file__, "--one", name, str(n), path]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout.split()
    return out[0], int(out[1]) / 1024, int(out[2]) / 1024, int(out[3])


def main(n: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="ms-bench-write-") as tmp:
        folder = Path(tmp)
        path = str(folder / "out.xml")
        rss = {name: alone(name, n, path) for name in ("lxml xmlfile", "ms write_xml")}
        check(folder)
        times: dict[str, list[float]] = {name: [] for name in CONTESTANTS}
        for _ in range(rounds):
            for name, run in CONTESTANTS.items():
                gc.collect()
                start = time.perf_counter()
                run(n, path)
                times[name].append(time.perf_counter() - start)
    base = times["lxml xmlfile"]
    print(f"Python {sys.version.split()[0]}, lxml {etree.__version__}, {n:,} responses, median of {rounds} rounds")
    print(
        f"  {'contestant':28} {'median s':>9} {'ratio':>6}  {'alone s':>8} {'ru_maxrss':>10} {'VmHWM':>9} {'output':>7}"
    )
    for name, values in times.items():
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        solo = rss.get(name)
        extra = f"{solo[0]:>8} {solo[1]:7.1f} MB {solo[2]:6.1f} MB {solo[3] / 1e6:4.0f} MB" if solo else ""
        print(f"  {name:28} {statistics.median(values):9.2f} {ratio:5.2f}x  {extra}")
    ratio = statistics.median(v / b for v, b in zip(times["ms write_xml"], base, strict=True))
    peak = rss["ms write_xml"][1]
    print(f"goal 6: write_xml <= 1.0x xmlfile: {ratio:.2f}x {'met' if ratio <= 1.0 else 'NOT met'}")
    print(f"goal 6: write_xml <= 64 MB peak RSS: {peak:.1f} MB {'met' if peak <= 64 else 'NOT met'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS)
