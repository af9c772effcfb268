"""to_json on a 10,000-response document vs json.dumps of the same plain dicts.

Not a test: run ``python bench/bench_json.py``.  Both sides produce the same
bytes; the baseline gets its dicts prebuilt, so the ratio is what building the
JSON form from the model costs on top of the stdlib encoder.  The runs are
interleaved and the median of several repeats is compared, in the same process.
Target: ratio <= 1.5.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import multistatus as ms

N = 10_000
REPEATS = 15


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


def main() -> int:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
