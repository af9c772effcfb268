"""The JSON codec against its floors: to_json vs json.dumps, from_json vs json.loads and from_xml.

Not a test: run ``python bench/bench_json.py`` (``--write`` or ``--read`` for one side).

Write side: ``to_json`` of a 10,000-response document (PROPFIND items and REST
batch items) vs ``json.dumps`` of the same plain dicts, prebuilt.  Both produce
the same bytes, so the ratio is what building the JSON form from the model costs
on top of the stdlib encoder.  Target: ratio <= 1.5.

Read side: the 10,000-response PROPFIND listing of ``bench_build.py`` (8 ``DAV:``
properties, a custom property holding nested XML, two missing properties on
every third resource), written once by ``to_xml`` and ``to_json``; then, in the
same process, round by round (``gc.collect()`` before each timed call), medians
of the per-round ratios to ``from_xml``:

* ``json.loads`` alone (the floor of any reader of the JSON: decoding only);
* ``orjson.loads`` alone, when orjson is installed (the floor with a faster decoder);
* ``ms.from_json`` (the stdlib decoder);
* ``ms.from_xml``.

Only the input bytes stay alive between rounds (each result is dropped), so every
contestant runs with the same, small heap.  Target (performance issue, goal 2):
``from_json`` <= 1.0x ``from_xml`` on the same document.
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_build

import multistatus as ms

try:
    import orjson
except ImportError:  # optional: only a floor to compare with
    orjson = None

N = 10_000
REPEATS = 15
ROUNDS = 11


def document(n: int = N) -> ms.MultiStatus:
    """A PROPFIND Depth: 1 listing plus REST batch items, like real 207 bodies."""
    responses = []
    for i in range(n):
        if i % 2:
            responses.append(
                ms.Response(
                    f"/dav/files/report-{i}.txt",
                    propstats=[
                        ms.PropStat(
                            [
                                ms.Property("{DAV:}getetag", f'"{i:08x}"'),
                                ms.Property("{DAV:}getlastmodified", "Mon, 12 Jan 1998 09:25:56 GMT"),
                                ms.Property("{DAV:}getcontentlength", str(i * 17)),
                                ms.Property(
                                    "{DAV:}resourcetype", [ms.Element("{DAV:}collection")] if i % 10 == 1 else ""
                                ),
                                ms.Property("{DAV:}displayname", f"Bericht {i}", lang="de"),
                            ],
                            200,
                        ),
                        ms.PropStat([ms.Property("{http://example.com/ns}color")], 404),
                    ],
                )
            )
        elif i % 4 == 0:
            responses.append(
                ms.Response(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}", body={"id": i, "ok": True})
            )
        else:
            responses.append(
                ms.Response(
                    f"/items/{i}",
                    status=429,
                    id=str(i),
                    headers={"retry-after": "30"},
                    error=ms.Error(code="rate_limited", message="Retry later."),
                )
            )
    return ms.MultiStatus(responses, sync_token="http://example.com/sync/12")


def write_side() -> None:
    doc = document()
    plain = ms.to_dict(doc)  # the equivalent plain dicts, prebuilt once
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def baseline() -> bytes:
        return encoder.encode(plain).encode("utf-8")

    def ours() -> bytes:
        return ms.to_json(doc)

    assert baseline() == ours(), "both sides must produce the same bytes"
    times: dict[str, list[float]] = {"json.dumps": [], "to_json": []}
    for _ in range(REPEATS):
        for name, func in (("json.dumps", baseline), ("to_json", ours)):
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["json.dumps"])
    mine = statistics.median(times["to_json"])
    size = len(ours())
    print(f"{N} responses, {size / 1e6:.1f} MB of JSON, median of {REPEATS} interleaved runs")
    print(f"json.dumps of prebuilt dicts: {base * 1e3:8.1f} ms")
    print(f"ms.to_json(doc):              {mine * 1e3:8.1f} ms")
    print(f"ratio: {mine / base:.2f} (target <= 1.5)")


def listing(n: int = N) -> tuple[bytes, bytes]:
    """The PROPFIND listing of bench_build.py, as XML and as JSON (the model is not kept)."""
    collected = ms.Results()
    for item in bench_build.results(n):
        collected.propfind(item["href"], bench_build._found(item), missing=item["missing"])
    doc = collected.build()
    return ms.to_xml(doc), ms.to_json(doc)


def read_side() -> None:
    xml, data = listing()
    doc = ms.from_xml(xml)
    assert ms.from_json(data) == doc
    del doc
    contestants: dict[str, Callable[[], object]] = {"ms.from_xml": lambda: ms.from_xml(xml)}
    contestants["json.loads (floor)"] = lambda: json.loads(data)
    if orjson is not None:
        contestants["orjson.loads (floor)"] = lambda: orjson.loads(data)
    contestants["ms.from_json"] = lambda: ms.from_json(data)
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(ROUNDS):
        for name, func in contestants.items():
            gc.collect()
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    print(
        f"Python {platform.python_version()}, "
        f"orjson {orjson.__version__ if orjson is not None else 'not installed'}; "
        f"{N:,} responses: {len(xml) / 1e6:.1f} MB of XML, {len(data) / 1e6:.1f} MB of JSON; "
        f"median of {ROUNDS} interleaved rounds"
    )
    base = times["ms.from_xml"]
    for name, values in times.items():
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        print(f"  {name:28} {statistics.median(values):8.4f} s  {ratio:5.2f}x from_xml")
    ratio = statistics.median(v / b for v, b in zip(times["ms.from_json"], base, strict=True))
    print(f"goal: from_json <= 1.00x from_xml: {ratio:.2f}x, {'met' if ratio <= 1.0 else 'NOT met'}")


def main() -> int:
    if "--read" not in sys.argv:
        write_side()
    if "--write" not in sys.argv:
        read_side()
    return 0


if __name__ == "__main__":
    sys.exit(main())
