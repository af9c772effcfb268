"""from_xml / to_xml / iter_xml against hand-written lxml and the stdlib's ElementTree.

Not a test: run ``python bench/bench_xml.py`` (add ``--quick`` to skip 100,000).
Documents come from ``bench/gen.py`` (PROPFIND listings, ``D:`` prefix and
default-namespace spellings).  Every contestant runs in the same process,
interleaved round by round; the table shows medians and ratios.

Baselines:

* parse: ``etree.fromstring`` plus a loop taking each response's href, each
  propstat's status and every property's name and text (what a hand-written
  client does); the same loop over ``xml.etree.ElementTree.fromstring``.
* build: the same model document turned into a tree with
  ``Element``/``SubElement`` and serialized with ``tostring`` (lxml, stdlib).

Targets: from_xml <= 1.3x the lxml loop (met only with the collector paused, which the
library no longer does; see README.md); to_xml <= 0.6x the lxml builder.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import gen

import multistatus as ms

D = "{DAV:}"
RESPONSE, HREF, PROPSTAT, PROP, STATUS = (D + n for n in ("response", "href", "propstat", "prop", "status"))


def lxml_extract(data: bytes) -> list[Any]:
    root = etree.fromstring(data)
    out = []
    for r in root.iterchildren(RESPONSE):
        href = r.findtext(HREF)
        for ps in r.iterchildren(PROPSTAT):
            status = ps.findtext(STATUS)
            prop = ps.find(PROP)
            out.append((href, status, [(p.tag, p.text) for p in prop] if prop is not None else []))
    return out


def et_extract(data: bytes) -> list[Any]:
    root = ET.fromstring(data)
    out = []
    for r in root.iterfind(RESPONSE):
        href = r.findtext(HREF)
        for ps in r.iterfind(PROPSTAT):
            status = ps.findtext(STATUS)
            prop = ps.find(PROP)
            out.append((href, status, [(p.tag, p.text) for p in prop] if prop is not None else []))
    return out


def _build(doc: ms.MultiStatus, E: Any, root: Any) -> Any:  # noqa: N803 - the module, as in lxml's docs
    sub = E.SubElement

    def content(parent: Any, items: Any) -> None:
        last = None
        for item in items:
            if isinstance(item, str):
                if last is None:
                    parent.text = (parent.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
            else:
                last = sub(parent, item.tag, {k.replace("{}", ""): v for k, v in item.attributes.items()})
                content(last, item.children)

    for r in doc.responses:
        el = sub(root, RESPONSE)
        for h in r.hrefs:
            sub(el, HREF).text = h
        if r.status is not None:
            sub(el, STATUS).text = r.status.line()
        for ps in r.propstats:
            pse = sub(el, PROPSTAT)
            prop = sub(pse, PROP)
            for p in ps.props:
                pe = sub(prop, p.name.replace("{}", ""))
                if isinstance(p.value, str):
                    pe.text = p.value
                elif p.value is not None:
                    content(pe, p.value)
            sub(pse, STATUS).text = ps.status.line()
    return root


def lxml_build(doc: ms.MultiStatus) -> bytes:
    root = etree.Element(D + "multistatus", nsmap={"D": "DAV:", "X": gen.NS})
    return etree.tostring(_build(doc, etree, root), xml_declaration=True, encoding="utf-8")


def et_build(doc: ms.MultiStatus) -> bytes:
    ET.register_namespace("D", "DAV:")
    ET.register_namespace("X", gen.NS)
    return ET.tostring(_build(doc, ET, ET.Element(D + "multistatus")), xml_declaration=True, encoding="utf-8")


def iter_all(data: bytes) -> int:
    return sum(1 for _ in ms.iter_xml(data, limits=ms.Limits(max_bytes=None)))


def measure(contestants: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(repeats):
        for name, fn in contestants.items():  # interleaved: each round runs every contestant
            gc.collect()  # each starts with the collector in the same state, not with the last one's garbage
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def machine() -> str:
    return (
        f"Python {platform.python_version()}, lxml {lxml.__version__} "
        f"(libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}), {os.cpu_count()} CPUs, {platform.machine()}"
    )


def main() -> None:
    sizes = [100, 10_000] if "--quick" in sys.argv else [100, 10_000, 100_000]
    repeats = {100: 31, 10_000: 7, 100_000: 5}
    print(machine())
    print(f"{'size':>8} {'variant':8} {'operation':28} {'median s':>10} {'ratio':>7}")
    for n in sizes:
        for variant in gen.VARIANTS:
            one(n, variant, repeats[n])
            sys.stdout.flush()


def report(n: int, variant: str, table: dict[str, float]) -> None:
    base = next(iter(table.values()))
    for name, t in table.items():
        print(f"{n:>8,} {variant:8} {name:28} {t:>10.4f} {t / base:>6.2f}x")


def one(n: int, variant: str, repeats: int) -> None:
    data = gen.document(n, variant)
    doc = ms.from_xml(data)
    assert len(lxml_extract(data)) == len(et_extract(data)) == sum(len(r.propstats) for r in doc)
    assert ms.from_xml(lxml_build(doc)) == doc == ms.from_xml(et_build(doc)) == ms.from_xml(ms.to_xml(doc))
    parse = measure(
        {
            "lxml fromstring + loop": lambda: lxml_extract(data),
            "ms.from_xml": lambda: ms.from_xml(data),
            "ms.iter_xml": lambda: iter_all(data),
            "ElementTree + loop": lambda: et_extract(data),
        },
        repeats,
    )
    build = measure(
        {
            "lxml SubElement + tostring": lambda: lxml_build(doc),
            "ms.to_xml": lambda: ms.to_xml(doc),
            "ms.stream_xml": lambda: b"".join(ms.stream_xml(doc)),
            "ElementTree + tostring": lambda: et_build(doc),
        },
        repeats,
    )
    report(n, variant, parse)
    report(n, variant, build)


if __name__ == "__main__":
    main()
