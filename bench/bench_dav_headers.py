"""The WebDAV header fields a client controls, at hostile sizes: linear time, measured.

Not a test: run ``python bench/bench_dav_headers.py [MAX_BYTES]`` (default 1,000,000).
Each reader (``parse_if``, ``evaluate_conditions`` with ``If-Match``,
``parse_timeout``, ``parse_lock_token``) gets values built to hurt it: many
lists, many tokens, unclosed ``<``, ``[`` and quotes, runs of white space,
deep ``(``.  For each, the time at 1/8, 1/4, 1/2 and all of MAX_BYTES,
interleaved round by round (best of 5), printed as nanoseconds per byte and as a
ratio to the baseline, ``str.split`` of the same value (linear by construction).
Linear readers keep a flat ratio as the size grows 8x; a quadratic one's grows 8x.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from multistatus import webdav

ROUNDS = 5
STATE = webdav.ResourceState(etag='"v2"', lock_tokens=["urn:x"])


def _quiet(fn: Callable[[str], object]) -> Callable[[str], object]:
    def run(value: str) -> object:
        try:
            return fn(value)
        except ValueError:  # (the library's ParseError: what a hostile value ends in)
            return None

    return run


READERS: dict[str, Callable[[str], object]] = {
    "If": _quiet(lambda v: webdav.evaluate_conditions("PUT", {"If": v}, STATE, lookup=lambda tag: STATE)),
    "If-Match": _quiet(lambda v: webdav.evaluate_conditions("PUT", {"If-Match": v}, STATE)),
    "Timeout": _quiet(webdav.parse_timeout),
    "Lock-Token": _quiet(webdav.parse_lock_token),
}

CASES: list[tuple[str, str, Callable[[int], str]]] = [
    ("If", "many untagged lists", lambda n: '(<urn:x> ["e"]) ' * (n // 16)),
    ("If", "many tagged lists", lambda n: "</a> (Not <urn:y>) " * (n // 19)),
    ("If", "one list, many tokens", lambda n: "(" + "<urn:x> " * (n // 8) + ")"),
    ("If", "runs of white space", lambda n: " " * n + "(<urn:x>)"),
    ("If", "deep (", lambda n: "(" * n),
    ("If", "unclosed <", lambda n: "(<urn:" + "a" * n),
    ("If", "unclosed [", lambda n: '(["' + "a" * n),
    ("If", "many Not", lambda n: "(" + "Not " * (n // 4)),
    ("If-Match", "many tags", lambda n: '"a", ' * (n // 5)),
    ("If-Match", "unclosed quote", lambda n: '"' + "a" * n),
    ("If-Match", "commas", lambda n: "," * n),
    ("Timeout", "many values", lambda n: "Second-1, " * (n // 10)),
    ("Lock-Token", "a long token", lambda n: "<urn:" + "a" * n + ">"),
]


def timed(fn: Callable[[str], object], value: str) -> float:
    start = time.perf_counter()
    fn(value)
    return time.perf_counter() - start


def main() -> None:
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sizes = [top // 8, top // 4, top // 2, top]
    print(f"{'field':10} {'case':24} " + " ".join(f"{s:>10,}" for s in sizes) + "   (ns/byte; x baseline)")
    for field, case, make in CASES:
        values = [make(size) for size in sizes]
        reader = READERS[field]
        times = {i: [float("inf"), float("inf")] for i in range(len(sizes))}
        for _ in range(ROUNDS):
            for i, value in enumerate(values):
                times[i][0] = min(times[i][0], timed(reader, value))
                times[i][1] = min(times[i][1], timed(str.split, value))
        cells = [f"{times[i][0] / len(v) * 1e9:5.0f} x{times[i][0] / times[i][1]:3.0f}" for i, v in enumerate(values)]
        growth = (times[len(sizes) - 1][0] / len(values[-1])) / (times[0][0] / len(values[0]))
        print(f"{field:10} {case:24} " + " ".join(f"{c:>10}" for c in cells) + f"   per-byte growth x{growth:.1f}")


if __name__ == "__main__":
    main()
