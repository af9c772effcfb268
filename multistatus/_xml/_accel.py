"""The optional C property loop (``_speedups.c``): when it may be used, and the probe.

The loop reads lxml's libxml2 tree directly; it is used only when it was built,
``setup()`` accepts the value classes, and it reads a probe document exactly as
the Python loop does.  Nothing here changes any process-wide state.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from lxml import etree

from .._model import Element, Property, PropStat, Response, Status
from .._model._frozen import EMPTY, FrozenMap
from ._parser import tree_parser, walk_declarations

__all__ = ["SUPPORTED_LIBXML2", "SUPPORTED_LXML", "load_speedups", "versions_supported"]

#: lxml releases (major, minor) whose ``_Element`` layout the C loop was built and
#: tested against: the oldest supported (5.0, ``.ci/run`` tests it) up to the newest.
SUPPORTED_LXML = ((5, 0), (6, 1))
#: libxml2 releases (major, minor) whose ``xmlNode``/``xmlAttr``/``xmlNs`` layout it reads.
SUPPORTED_LIBXML2 = ((2, 10), (2, 15))


def versions_supported(lxml_version: tuple[int, ...], libxml2_version: tuple[int, ...]) -> bool:
    """Whether the C loop may read this lxml's and this libxml2's structs (inclusive ranges of major.minor).

    Checked before any pointer is followed: a release that changed a layout
    would make the C loop read garbage, so anything outside gets the Python loop.

    Example:
        >>> versions_supported((6, 1, 3, 0), (2, 14, 6)), versions_supported((7, 0, 0, 0), (2, 14, 6))
        (True, False)
    """
    low, high = SUPPORTED_LXML
    if not low <= tuple(lxml_version[:2]) <= high:
        return False
    low, high = SUPPORTED_LIBXML2
    return low <= tuple(libxml2_version[:2]) <= high


#: The C functions: the property loop, the response walk, the walk over a document's responses,
#: the namespace declarations walk.
Speedups = tuple[
    Callable[..., bool],
    Callable[..., "Response | None"],
    Callable[..., "tuple[list[Any], int, int, list[tuple[str, str]]]"],
    Callable[[Any], list[tuple[str, str]]],
]


def load_speedups(new_reader: Callable[[], Any], statuses: dict[str, Status]) -> Speedups | None:
    """The C property loop and response walk of ``_speedups.c``, if built and usable.

    *new_reader* makes the Python reader (a :class:`~._reader.Reader` with the
    default limits) whose ``props`` loop and ``response`` walk the C ones must
    agree with; *statuses* is its cache of status lines, which the C walk reads.  Not with
    ``MULTISTATUS_PURE_PYTHON`` set (to any non-empty value), not on
    free-threaded builds (the module declares no support), not with an lxml or
    libxml2 outside :func:`versions_supported` (checked before the module is
    even imported), and not when it reads a probe document differently from
    the Python loop.
    """
    if os.environ.get("MULTISTATUS_PURE_PYTHON") or "t" in getattr(sys, "abiflags", ""):
        return None
    # The libxml2 lxml runs with and the one it was compiled against must both be known.
    if not (
        versions_supported(etree.LXML_VERSION, etree.LIBXML_VERSION)
        and versions_supported(etree.LXML_VERSION, etree.LIBXML_COMPILED_VERSION)
    ):
        return None
    try:
        from ._speedups import namespaces, props, response, responses, setup
    except ImportError:
        return None
    probe = etree.fromstring(_PROBE, tree_parser(False))
    fast: list[Property] = []
    slow: list[Property] = []
    fast_names: list[str] = []
    slow_names: list[str] = []
    reader = new_reader()
    try:
        setup(etree._Element, Property, Element, FrozenMap, EMPTY, PropStat, Response, statuses)
        if not props(probe, 2, reader.c_max_depth, "en", fast, fast_names):
            return None  # pragma: no cover - the probe holds nothing it gives up on
    except Exception:  # setup() refused a class layout it does not know
        return None
    reader.props(probe, 2, "en", slow, slow_names)  # (_fast_props is still None here)
    if fast != slow or fast_names != slow_names:  # (== of Property compares lang and attributes too)
        return None  # pragma: no cover - a libxml2 or lxml layout this module does not know
    # The response walk: the Python one first (it fills the status cache the C one reads).
    probe_document = etree.fromstring(_RESPONSES_PROBE, tree_parser(False))
    limits = reader.c_limits
    for element in probe_document:
        slow_response = reader.response(element, 2)
        if response(element, 2, None, limits) != slow_response:
            return None  # pragma: no cover - a layout this module does not know
    # The declarations: each namespace name once, in the order the Python walk meets them.
    firsts: dict[str, tuple[str, str]] = {}
    for prefix, uri in walk_declarations(probe):
        if uri:
            firsts.setdefault(uri, (prefix, uri))
    if namespaces(probe) != list(firsts.values()):
        return None  # pragma: no cover - a layout this module does not know
    items, stop, left, declared = responses(probe_document, None, limits, -1)
    if (stop, left, declared) != (len(probe_document), 0, [("D", "DAV:")]) or items != [
        reader.response(el, 2) for el in probe_document
    ]:
        return None  # pragma: no cover - a layout this module does not know
    return props, response, responses, namespaces


#: A DAV:prop with every kind of node the C loop reads.
_PROBE = b"""<D:prop xmlns:D="DAV:" xmlns:x="urn:x"><D:getetag>"e1"</D:getetag>
<!-- c --><?pi data?><D:displayname xml:lang="de" x:a="1" b="&amp;2">Gr\xc3\xbc<![CDATA[<&>]]>e</D:displayname>
<x:v><x:a k="v">one<!--c-->two</x:a>tail<x:b/><x:c xml:lang="fr"><x:d>deep</x:d></x:c></x:v><D:empty/><n>plain</n>
</D:prop>"""

#: Responses in both forms, with a 404 propstat (its empty value becomes None).
_RESPONSES_PROBE = b"""<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>
<D:propstat><D:prop><D:getetag>"e"</D:getetag><D:empty/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
<D:propstat><D:prop><D:missing/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
</D:response><D:response><D:href>/b</D:href><D:href>/c</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response>
</D:multistatus>"""
