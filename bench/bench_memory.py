"""Peak memory of streaming: iter_xml over a 1,000,000-response file, and a streaming build.

Not a test, and not for CI (it writes about 700 MB to a temporary directory and
deletes it afterwards): run ``python bench/bench_memory.py [count]``.

Each measurement runs in a fresh Python process and reports that process's
raw peak RSS from ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (nothing
subtracted: the interpreter, lxml and multistatus are included).
Target (issue 5): at most 64 MB each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent

PARSE = """
import resource, sys, time
import multistatus as ms
start = time.perf_counter()
count = props = 0
with open(sys.argv[1], "rb") as f:
    stream = ms.iter_xml(f, limits=ms.Limits(max_bytes=None))
    for r in stream:
        count += 1
        props += sum(len(ps.props) for ps in r.propstats)
print(count, props, round(time.perf_counter() - start, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BUILD = """
import resource, sys, time
import multistatus as ms
sys.path.insert(0, sys.argv[3])
import gen
n = int(sys.argv[2])
sample = ms.from_xml(gen.document(300)).responses  # 300 distinct shapes, cycled with new hrefs

def responses():
    for i in range(n):
        r = sample[i % 300]
        yield ms.Response(f"/dav/files/{i}/x%C3%BC.txt", propstats=r.propstats)

start = time.perf_counter()
with open(sys.argv[1], "wb") as f:
    size = ms.write_xml(responses(), f, namespaces=[gen.NS])
print(n, size, round(time.perf_counter() - start, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(script: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True)
    return out.stdout.split()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(shutil.disk_usage(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix="ms-bench-"))
    try:
        sys.path.insert(0, str(HERE))
        import gen

        path = folder / "listing.xml"
        start = time.perf_counter()
        size = gen.write(n, str(path))
        print(f"generated {n:,} responses, {size / 1e6:.0f} MB in {time.perf_counter() - start:.0f} s")
        count, props, secs, rss = run(PARSE, str(path))
        print(
            f"iter_xml:  {int(count):,} responses, {int(props):,} properties, {secs} s, peak RSS {int(rss) / 1024:.1f} MB"
        )
        path.unlink()
        out = folder / "built.xml"
        count, size_out, secs, rss = run(BUILD, str(out), str(n), str(HERE))
        print(
            f"write_xml: {int(count):,} responses, {int(size_out) / 1e6:.0f} MB, {secs} s, "
            f"peak RSS {int(rss) / 1024:.1f} MB"
        )
        baseline = run("import resource, multistatus; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        print(f"(a fresh interpreter that only imports multistatus: {int(baseline[0]) / 1024:.1f} MB)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
