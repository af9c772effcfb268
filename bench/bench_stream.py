"""Streaming parse: iter_xml and XMLFeeder against a hand-written lxml iterparse loop.

Not a test: run ``python bench/bench_stream.py [N [ROUNDS]]`` (default 100,000 responses, 5 rounds;
the performance issue's goal is stated for 1,000,000: ``iter_xml`` within 1.2x
of the iterparse loop, memory flat — ``bench_memory.py`` measures the memory).
The document is ``gen.py``'s PROPFIND listing, written to a temporary file.
Contestants run in one process, interleaved round by round (medians, and the
median of the per-round ratios); each takes the same facts: every response's
href, every propstat's status, every property's name and text.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import gen

import multistatus as ms

D = "{DAV:}"
ROUNDS = 5


def lxml_iterparse(path: str) -> int:
    """The hand-written baseline: iterparse on DAV:response ends, clear as we go."""
    count = 0
    for _, response in etree.iterparse(path, events=("end",), tag=f"{D}response", resolve_entities=False):
        href = response.findtext(f"{D}href")
        for propstat in response.iterfind(f"{D}propstat"):
            status = propstat.findtext(f"{D}status")
            for prop in propstat.iterfind(f"{D}prop/*"):
                _ = (prop.tag, "".join(prop.itertext()), status, href)
                count += 1
        response.clear()
        parent = response.getparent()
        while parent is not None and response.getprevious() is not None:
            del parent[0]
    return count


def ms_iter_xml(path: str) -> int:
    count = 0
    with open(path, "rb") as f:
        for response in ms.iter_xml(f, limits=ms.Limits(max_bytes=None)):
            for propstat in response.propstats:
                count += len(propstat.props)
    return count


def ms_feeder(path: str) -> int:
    count = 0
    feeder = ms.XMLFeeder(limits=ms.Limits(max_bytes=None))
    with open(path, "rb") as f:
        while chunk := f.read(64 * 1024):
            for response in feeder.feed(chunk):
                count += sum(len(ps.props) for ps in response.propstats)
    for response in feeder.close():
        count += sum(len(ps.props) for ps in response.propstats)
    return count


def main(n: int = 100_000, rounds: int = ROUNDS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "listing.xml")
        with open(path, "w", encoding="utf-8") as f:
            for piece in gen.pieces(n):
                f.write(piece)
        contestants: dict[str, Callable[[str], int]] = {
            "lxml iterparse loop": lxml_iterparse,
            "ms.iter_xml": ms_iter_xml,
            "ms.XMLFeeder (64 KiB chunks)": ms_feeder,
        }
        counts = {name: run(path) for name, run in contestants.items()}
        assert len(set(counts.values())) == 1, counts
        times: dict[str, list[float]] = {name: [] for name in contestants}
        for _ in range(rounds):
            for name, run in contestants.items():
                gc.collect()
                start = time.perf_counter()
                run(path)
                times[name].append(time.perf_counter() - start)
    base = times["lxml iterparse loop"]
    print(f"Python {sys.version.split()[0]}, lxml {etree.__version__}, {n:,} responses, median of {rounds} rounds")
    for name, values in times.items():
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        print(f"  {name:30} {statistics.median(values):8.3f} s  {ratio:5.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS)
