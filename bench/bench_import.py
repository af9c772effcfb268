"""``import multistatus`` against ``import lxml.etree``: whole processes, interleaved.

Not a test: run ``python bench/bench_import.py [ROUNDS]``.  Each round starts a
fresh interpreter for each contestant (A B A B ...), so the figure is what a
command-line tool or a worker process pays at start-up; the table shows the
median wall time of each and the median of the per-round ratios.

Goal (performance issue): ``import multistatus`` <= 2.5x ``import lxml.etree``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

CONTESTANTS = {
    "python -c pass": "pass",
    "import lxml.etree": "import lxml.etree",
    "import multistatus": "import multistatus",
    "import multistatus.wsgi": "import multistatus.wsgi",
}


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main(rounds: int = 20) -> None:
    import multistatus

    # As installed: pip compiles the modules to bytecode (a machine may set PYTHONDONTWRITEBYTECODE,
    # and then every import would compile the sources again).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(multistatus.__file__).parent)], check=True)
    times: dict[str, list[float]] = {name: [] for name in CONTESTANTS}
    for _ in range(rounds):
        for name, code in CONTESTANTS.items():
            times[name].append(once(code))
    base = times["import lxml.etree"]
    print(f"Python {sys.version.split()[0]}, {rounds} rounds, medians of whole processes")
    print(f"{'contestant':28} {'median s':>9} {'ratio to lxml.etree':>20}")
    for name, values in times.items():
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        print(f"{name:28} {statistics.median(values):9.4f} {ratio:19.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
