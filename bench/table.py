"""The performance issue's goal table in one run: every row measured against its baseline.

Not a test: run ``python bench/table.py`` from the checkout (``--full`` adds the
1,000,000-response streaming rows, several minutes).  Each row runs in a fresh
interpreter (``python bench/table.py --row NAME``), so no row pays for another
row's heap; inside a row the contestants run interleaved, round by round, and
the ratio is the median of the per-round ratios.  To measure another checkout
with the same code, put it first on ``PYTHONPATH`` (the "before" figures of a
change: ``git worktree add /tmp/before <commit>``, build its extensions, then
``PYTHONPATH=/tmp/before python bench/table.py``).

Rows and goals:

* parse 10k, ``from_xml`` vs the lxml loop (``bench_xml.lxml_extract``): <= 1.3x
  (the library is pure Python; the compiled-path goal was <= 0.6x);
* build 10k end to end, result dicts -> values -> bytes (``bench_build``): XML
  <= 0.9x lxml ``SubElement`` + ``tostring``, JSON <= 2.0x ``json.dumps``;
* ``from_json`` vs ``from_xml`` on the same 10k document: <= 1.0x;
* ``iter_xml`` over 1M responses vs an lxml ``iterparse`` loop: <= 1.2x time,
  <= 64 MB peak RSS; ``write_xml`` of 1M responses from dicts vs lxml
  ``xmlfile``: <= 1.0x time, <= 64 MB (``--full``; ``bench_stream``, ``bench_write``);
* ``import multistatus`` vs ``import lxml.etree``: <= 2.5x;
* the middleware, 100-item batch, requests per second vs the app building its
  own bytes / returning pre-rendered bytes: >= 0.85x / >= 0.75x (``bench_wsgi``).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def ratios(contestants: dict[str, Callable[[], object]], rounds: int, base: str) -> dict[str, float]:
    """Median per-round ratio of each contestant to *base* (interleaved rounds, gc.collect() before each call)."""
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(rounds):
        for name, run in contestants.items():
            gc.collect()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {
        name: statistics.median(t / b for t, b in zip(values, times[base], strict=True))
        for name, values in times.items()
    }


def row_parse() -> dict[str, float]:
    import bench_xml
    import gen

    import multistatus as ms

    data = gen.document(10_000, "prefix")
    found = ratios({"lxml": lambda: bench_xml.lxml_extract(data), "ms": lambda: ms.from_xml(data)}, 9, "lxml")
    return {"parse": found["ms"]}


def row_build() -> dict[str, float]:
    import bench_build as bb

    items = bb.results(10_000)
    found = ratios(
        {
            "lxml": lambda: bb.lxml_xml(items),
            "ms_xml": lambda: bb.ms_xml(items),
            "dumps": lambda: bb.json_dumps(items),
            "ms_json": lambda: bb.ms_json(items),
        },
        7,
        "lxml",
    )
    return {"build_xml": found["ms_xml"], "build_json": found["ms_json"] / found["dumps"]}


def row_read_json() -> dict[str, float]:
    import bench_build as bb

    import multistatus as ms

    items = bb.results(10_000)
    xml, text = bb.ms_xml(items), bb.ms_json(items)
    found = ratios(
        {
            "from_xml": lambda: ms.from_xml(xml),
            "from_json": lambda: ms.from_json(text),
            "loads": lambda: json.loads(text),
        },
        9,
        "from_xml",
    )
    return {"from_json": found["from_json"], "json_loads": found["loads"]}


def row_import() -> dict[str, float]:
    import multistatus

    # As installed: pip compiles the modules to bytecode (a machine may set PYTHONDONTWRITEBYTECODE,
    # and then every import would compile the sources again).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(multistatus.__file__).parent)], check=True)
    times: dict[str, list[float]] = {"lxml": [], "ms": []}
    for _ in range(15):
        for name, code in (("lxml", "import lxml.etree"), ("ms", "import multistatus")):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[name].append(time.perf_counter() - start)
    return {"import": statistics.median(m / b for m, b in zip(times["ms"], times["lxml"], strict=True))}


def row_middleware() -> dict[str, float]:
    import bench_wsgi as bw
    from werkzeug.test import EnvironBuilder

    from multistatus.wsgi import MultiStatusMiddleware

    middleware = MultiStatusMiddleware(bw.app)
    out = {}
    for accept, key, hand in (
        ("application/json", "json", bw.handbuilt_json),
        ("application/xml", "xml", bw.handbuilt_xml),
    ):
        environ = EnvironBuilder(
            "/items", method="POST", headers={"Accept": accept, "Content-Type": "application/json"}
        ).get_environ()
        apps = {"middleware": middleware, "hand": hand, "pre": bw.prerendered(accept)}
        bw.check_same(accept, environ, {"middleware": middleware, "hand-built": hand, "pre-rendered": apps["pre"]})
        rates: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(9):
            for name, wsgi in apps.items():
                rates[name].append(bw.rate(wsgi, environ))
        mine = rates["middleware"]
        out[f"mw_hand_{key}"] = statistics.median(m / h for m, h in zip(mine, rates["hand"], strict=True))
        out[f"mw_pre_{key}"] = statistics.median(m / p for m, p in zip(mine, rates["pre"], strict=True))
    return out


def row_stream() -> dict[str, float]:
    """1M responses: iter_xml vs the iterparse loop, write_xml vs xmlfile (time); peak RSS in fresh processes."""
    import tempfile

    import bench_stream
    import bench_write
    import gen

    n = 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path, out = str(Path(tmp) / "listing.xml"), str(Path(tmp) / "out.xml")
        with open(path, "w", encoding="utf-8") as f:
            for piece in gen.pieces(n):
                f.write(piece)
        # Peak RSS first, each alone in a fresh process (VmHWM: its own high-water mark).
        rss = {
            "iter_xml_rss": peak_rss(f"import bench_stream; bench_stream.ms_iter_xml({path!r})"),
            "write_xml_rss": peak_rss(f"import bench_write; bench_write.ms_write_xml({n}, {out!r})"),
        }
        read = ratios(
            {"lxml": lambda: bench_stream.lxml_iterparse(path), "ms": lambda: bench_stream.ms_iter_xml(path)}, 2, "lxml"
        )
        write = ratios(
            {"lxml": lambda: bench_write.lxml_xmlfile(n, out), "ms": lambda: bench_write.ms_write_xml(n, out)},
            2,
            "lxml",
        )
    return {"iter_xml": read["ms"], "write_xml": write["ms"], **rss}


def peak_rss(code: str) -> float:
    """Peak RSS in MB (VmHWM) of a fresh interpreter running *code* (with this directory on sys.path)."""
    script = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); {code}; "
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return int(done.stdout.split()[-1]) / 1024


ROWS: dict[str, Callable[[], dict[str, float]]] = {
    "parse": row_parse,
    "build": row_build,
    "read_json": row_read_json,
    "import": row_import,
    "middleware": row_middleware,
    "stream": row_stream,
}

#: (label, key, goal, "<=" or ">=")
TABLE = [
    ("parse 10k vs the lxml loop", "parse", 1.3, "<="),
    ("build 10k dicts -> XML bytes vs lxml SubElement + tostring", "build_xml", 0.9, "<="),
    ("build 10k dicts -> JSON bytes vs json.dumps of the dicts", "build_json", 2.0, "<="),
    ("from_json vs from_xml, same 10k document", "from_json", 1.0, "<="),
    ("iter_xml 1M vs lxml iterparse loop (time)", "iter_xml", 1.2, "<="),
    ("iter_xml 1M, peak RSS (MB)", "iter_xml_rss", 64, "<="),
    ("write_xml 1M from dicts vs lxml xmlfile (time)", "write_xml", 1.0, "<="),
    ("write_xml 1M, peak RSS (MB)", "write_xml_rss", 64, "<="),
    ("import multistatus vs import lxml.etree", "import", 2.5, "<="),
    ("middleware JSON vs hand-built bytes (req/s)", "mw_hand_json", 0.85, ">="),
    ("middleware XML vs hand-built bytes (req/s)", "mw_hand_xml", 0.85, ">="),
    ("middleware JSON vs pre-rendered (req/s)", "mw_pre_json", 0.75, ">="),
    ("middleware XML vs pre-rendered (req/s)", "mw_pre_xml", 0.75, ">="),
]


def run_row(name: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--row", name], check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main(argv: list[str]) -> int:
    if "--row" in argv:
        print(json.dumps(ROWS[argv[argv.index("--row") + 1]]()))
        return 0
    import lxml
    from lxml import etree

    import multistatus

    print(
        f"{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, lxml {lxml.__version__} "
        f"(libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}), {os.cpu_count()} CPUs {platform.machine()}, "
        f"multistatus from {Path(multistatus.__file__).parent}"
    )
    figures: dict[str, float] = {}
    for name in ROWS:
        if name == "stream" and "--full" not in argv:
            continue
        figures.update(run_row(name))
    width = max(len(label) for label, *_ in TABLE)
    print(f"{'measurement':{width}}  {'figure':>7}  {'goal':10}")
    for label, key, goal, sense in TABLE:
        if key not in figures:
            print(f"{label:{width}}  {'-':>7}  {sense} {goal:<7} (--full)")
            continue
        value = figures[key]
        met = value <= goal if sense == "<=" else value >= goal
        shown = f"{value:6.1f} " if key.endswith("_rss") else f"{value:6.2f}x"
        print(f"{label:{width}}  {shown}  {sense} {goal:<7} {'met' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
