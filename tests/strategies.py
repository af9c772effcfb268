"""Shared Hypothesis strategies for multistatus documents (they grow with every feature).

``documents()`` produces valid :class:`multistatus.MultiStatus` values covering
the whole model: status and propstat forms, multi-href responses, mixed-content
values with attributes, ``xml:lang``, errors with conditions and problems,
REST batch fields, extension elements at every level and sync tokens.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

import multistatus as ms

#: Namespaces values may use ("" is "no namespace").
VALUE_NAMESPACES = ("DAV:", "http://example.com/ns", "urn:ietf:params:xml:ns:caldav", "", "urn:x-y", ms.NAMESPACE)
#: Namespaces safe for extension elements (never a known DAV: or library element).
EXTENSION_NAMESPACES = ("http://example.com/ext", "urn:other")

# XML 1.0 characters, without surrogates (which UTF-8 cannot carry).
_xml_chars = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\ufffe", "\uffff"],
)
#: Any text XML can carry, including whitespace, ``\r`` and markup characters.
texts = st.text(_xml_chars, max_size=12) | st.sampled_from(["", " ", "\n  ", "a & b < c > d", "\r\n", "Grüße", "😀"])

local_names = st.sampled_from(["getetag", "resourcetype", "displayname", "x", "Box-Type", "a.b", "ünï", "_u"]) | (
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True)
)


def names(namespaces: tuple[str, ...] = VALUE_NAMESPACES) -> st.SearchStrategy[str]:
    """Clark names in the given namespaces."""
    return st.builds(lambda ns, local: f"{{{ns}}}{local}", st.sampled_from(namespaces), local_names)


attribute_names = names(("", "http://example.com/ns", "http://www.w3.org/XML/1998/namespace"))
attributes = st.dictionaries(attribute_names, texts, max_size=2)


def elements(namespaces: tuple[str, ...] = VALUE_NAMESPACES) -> st.SearchStrategy[ms.Element]:
    """Elements with attributes and mixed content, nested a few levels."""
    leaf = st.builds(ms.Element, names(namespaces), st.lists(texts, max_size=1), attributes)
    return st.recursive(
        leaf,
        lambda inner: st.builds(ms.Element, names(namespaces), st.lists(inner | texts, max_size=3), attributes),
        max_leaves=6,
    )


property_values = st.one_of(
    st.none(),
    texts,
    st.lists(elements() | texts, min_size=1, max_size=3).filter(lambda v: any(isinstance(i, ms.Element) for i in v)),
)

properties = st.builds(
    ms.Property,
    names(),
    property_values,
    lang=st.none() | st.sampled_from(["de", "en-US", "fr"]),
    attributes=st.dictionaries(names(("", "http://example.com/ns")), texts, max_size=2),
)

statuses = st.sampled_from([200, 201, 204, 207, 301, 403, 404, 409, 423, 424, 429, 500, 507]).map(
    ms.Status
) | st.builds(
    ms.Status,
    st.integers(200, 599),
    st.none() | st.sampled_from(["(status)", "Custom Reason", "Ünusual"]),
)

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)

problem_keys = st.sampled_from(["type", "title", "detail", "instance", "code", "message", "retryable"]) | st.from_regex(
    r"[a-z][a-z0-9_]{0,8}", fullmatch=True
)

errors = st.builds(
    ms.Error,
    st.lists(elements(("DAV:", "http://example.com/ns")), max_size=2),
    st.dictionaries(problem_keys, json_values, max_size=3).filter(lambda d: type(d.get("status", 0)) is int),
)

hrefs = st.one_of(
    st.sampled_from(["/dav/", "/dav/a%20b.txt", "/items/1", "http://example.com/dav/x", "/f%C3%BCr/?a=1&b=2"]),
    st.text(_xml_chars, min_size=1, max_size=10).map(str.strip).filter(bool),
)

header_names = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=12)
# RFC 9110 §5.5: no control characters but HTAB in a field value.
header_values = st.text(_xml_chars.filter(lambda c: c == "\t" or not (c < " " or c == "\x7f")), max_size=10)

propstats = st.builds(
    ms.PropStat,
    st.lists(properties, max_size=4, unique_by=lambda p: p.name),
    statuses,
    error=st.none() | errors,
    description=st.none() | texts,
    extensions=st.lists(elements(EXTENSION_NAMESPACES), max_size=1),
)

_rest = {
    "error": st.none() | errors,
    "description": st.none() | texts,
    "location": st.none() | hrefs,
    "id": st.none() | texts,
    "headers": st.dictionaries(header_names.map(str.lower), header_values, max_size=2),
    "body": json_values,
    "extensions": st.lists(elements(EXTENSION_NAMESPACES), max_size=1),
}

status_responses = st.builds(ms.Response, st.lists(hrefs, min_size=1, max_size=3), status=statuses, **_rest)
propstat_responses = st.builds(ms.Response, hrefs, propstats=st.lists(propstats, min_size=1, max_size=3), **_rest)
href_only_responses = st.builds(ms.Response, hrefs)  # WsgiDAV's propname answer

responses = st.one_of(status_responses, propstat_responses, href_only_responses)


def documents(max_responses: int = 4) -> st.SearchStrategy[ms.MultiStatus]:
    """Valid multistatus documents over the whole model."""
    return st.builds(
        ms.MultiStatus,
        st.lists(responses, max_size=max_responses),
        description=st.none() | texts,
        sync_token=st.none() | st.sampled_from(["http://example.com/sync/12", "data:,1"]),
        extensions=st.lists(elements(EXTENSION_NAMESPACES), max_size=2),
    )
