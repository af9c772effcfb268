"""What a server pays end to end: result dicts -> values -> bytes, XML and JSON.

Not a test: run ``python bench/bench_build.py [N]`` (default 10,000 responses).
The input is what a WebDAV or batch server has in hand before it answers: one
plain dict per resource (the same PROPFIND listing as ``gen.py``: 8 ``DAV:``
properties, a custom property holding nested XML, two missing properties on
every third resource).  Contestants, interleaved round by round in one process
(medians; ``gc.collect()`` before each timed call):

* ``lxml SubElement + tostring``: the dicts straight into an lxml tree (baseline);
* ``ms Results.propfind + to_xml``: the collector a server uses, then the writer;
* ``ms stream_xml (generator)``: responses built one at a time and streamed;
* ``json.dumps of the dicts`` (JSON baseline: dicts shaped like the JSON form,
  built from the results by hand, then ``json.dumps``) and ``ms Results + to_json``.

Goals (performance issue): XML <= 0.9x the lxml baseline, JSON <= 2.0x json.dumps.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

import multistatus as ms

NS = "http://example.com/ns"
D = "{DAV:}"
ROUNDS = 7


def resource(i: int) -> dict[str, Any]:
    """The server's own data for resource *i*: one plain dict."""
    collection = i % 10 == 0
    name = f"Ordner-{i}" if collection else f"Datei-{i}.txt"
    return {
        "href": f"/dav/files/j%C3%BCrgen/Gr%C3%BC%C3%9Fe%20{i // 100}/{name}{'/' if collection else ''}",
        "collection": collection,
        "found": {
            f"{D}displayname": name,
            f"{D}getetag": f'"{i:08x}-5a1b"',
            f"{D}getlastmodified": "Mon, 12 Jan 1998 09:25:56 GMT",
            f"{D}creationdate": "1997-12-01T17:42:21-08:00",
            f"{D}getcontentlength": str(i * 17),
            f"{D}getcontenttype": "text/plain; charset=utf-8",
            f"{D}getcontentlanguage": "de",
        },
        "tag": "r&d",
        "owner": "Jürgen",
        "missing": [f"{D}quota-used-bytes", f"{{{NS}}}color"] if i % 3 == 0 else [],
    }


def results(n: int) -> list[dict[str, Any]]:
    """The server's own data: one dict per resource."""
    return [resource(i) for i in range(n)]


def _meta(item: dict[str, Any]) -> ms.Element:
    return ms.Element(
        f"{{{NS}}}meta",
        [
            ms.Element(f"{{{NS}}}tag", [item["tag"]], {"kind": "color"}),
            ms.Element(f"{{{NS}}}owner", [ms.Element(f"{{{NS}}}name", [item["owner"]])]),
        ],
    )


def _found(item: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {f"{D}resourcetype": [ms.Element(f"{D}collection")] if item["collection"] else ""}
    found.update(item["found"])
    found[f"{{{NS}}}meta"] = _meta(item).children  # (the meta property holds tag and owner)
    return found


def ms_xml(items: list[dict[str, Any]]) -> bytes:
    collected = ms.Results()
    for item in items:
        collected.propfind(item["href"], _found(item), missing=item["missing"])
    return ms.to_xml(collected.build())


def ms_json(items: list[dict[str, Any]]) -> bytes:
    collected = ms.Results()
    for item in items:
        collected.propfind(item["href"], _found(item), missing=item["missing"])
    return ms.to_json(collected.build())


def ms_stream(items: list[dict[str, Any]]) -> bytes:
    def responses() -> Iterator[ms.Response]:
        for item in items:
            propstats = [ms.PropStat(_found(item))]
            if item["missing"]:
                propstats.append(ms.PropStat(dict.fromkeys(item["missing"]), 404))
            yield ms.Response(item["href"], propstats=propstats)

    return b"".join(ms.stream_xml(responses(), namespaces=("DAV:", NS)))


def lxml_fill(response: Any, item: dict[str, Any]) -> None:
    """The dict of one resource into the lxml ``DAV:response`` element *response* (the baselines' way)."""
    sub = etree.SubElement
    sub(response, f"{D}href").text = item["href"]
    propstat = sub(response, f"{D}propstat")
    prop = sub(propstat, f"{D}prop")
    rtype = sub(prop, f"{D}resourcetype")
    if item["collection"]:
        sub(rtype, f"{D}collection")
    for name, value in item["found"].items():
        sub(prop, name).text = value
    meta = sub(prop, f"{{{NS}}}meta")
    tag = sub(meta, f"{{{NS}}}tag", kind="color")
    tag.text = item["tag"]
    sub(sub(meta, f"{{{NS}}}owner"), f"{{{NS}}}name").text = item["owner"]
    sub(propstat, f"{D}status").text = "HTTP/1.1 200 OK"
    if item["missing"]:
        missing = sub(response, f"{D}propstat")
        prop = sub(missing, f"{D}prop")
        for name in item["missing"]:
            sub(prop, name)
        sub(missing, f"{D}status").text = "HTTP/1.1 404 Not Found"


def lxml_xml(items: list[dict[str, Any]]) -> bytes:
    root = etree.Element(f"{D}multistatus", nsmap={"D": "DAV:", "X": NS})
    sub = etree.SubElement
    for item in items:
        lxml_fill(sub(root, f"{D}response"), item)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def json_dumps(items: list[dict[str, Any]]) -> bytes:
    """The same JSON form written by hand: dicts shaped like the output, then json.dumps."""
    responses = []
    for item in items:
        props: dict[str, Any] = {f"{D}resourcetype": [[f"{D}collection"]] if item["collection"] else ""}
        props.update(item["found"])
        props[f"{{{NS}}}meta"] = [
            [f"{{{NS}}}tag", {"kind": "color"}, item["tag"]],
            [f"{{{NS}}}owner", [f"{{{NS}}}name", item["owner"]]],
        ]
        propstats: list[dict[str, Any]] = [{"status": 200, "props": props}]
        if item["missing"]:
            propstats.append({"status": 404, "props": dict.fromkeys(item["missing"])})
        responses.append({"href": item["href"], "propstats": propstats})
    return json.dumps({"responses": responses}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(n: int = 10_000) -> None:
    items = results(n)
    assert ms.from_xml(ms_xml(items)) == ms.from_xml(ms_stream(items)) == ms.from_xml(lxml_xml(items))
    assert ms.from_json(ms_json(items)) == ms.from_json(json_dumps(items)) == ms.from_xml(lxml_xml(items))
    contestants: dict[str, Callable[[list[dict[str, Any]]], bytes]] = {
        "lxml SubElement + tostring": lxml_xml,
        "ms Results.propfind + to_xml": ms_xml,
        "ms stream_xml (generator)": ms_stream,
        "json.dumps of the dicts": json_dumps,
        "ms Results.propfind + to_json": ms_json,
    }
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(ROUNDS):
        for name, build in contestants.items():
            gc.collect()
            start = time.perf_counter()
            build(items)
            times[name].append(time.perf_counter() - start)
    print(f"Python {sys.version.split()[0]}, lxml {etree.__version__}, {n:,} resources, median of {ROUNDS} rounds")
    xml_base = times["lxml SubElement + tostring"]
    json_base = times["json.dumps of the dicts"]
    for name, values in times.items():
        base = json_base if "json" in name else xml_base
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        print(f"  {name:34} {statistics.median(values):8.4f} s  {ratio:5.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
