"""Shared Hypothesis strategies for multistatus documents (they grow with every feature).

``documents()`` produces valid :class:`multistatus.MultiStatus` values covering
the whole model: status and propstat forms, multi-href responses, mixed-content
values with attributes, ``xml:lang``, errors with conditions and problems,
REST batch fields, extension elements at every level and sync tokens.
"""

from __future__ import annotations

import string
from datetime import datetime, timezone
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


def _word(first: str, rest: str, max_rest: int = 8) -> st.SearchStrategy[str]:
    """Words of one character from *first* then up to *max_rest* from *rest*: the language of
    the regex ``[first][rest]{0,max_rest}``, drawn at a third of the cost of st.from_regex
    (0.11 against 0.35 ms a draw; a document draws dozens of names)."""
    return st.builds(str.__add__, st.sampled_from(first), st.text(rest, max_size=max_rest))


_NAME_START = string.ascii_letters + "_"
local_names = st.sampled_from(["getetag", "resourcetype", "displayname", "x", "Box-Type", "a.b", "ünï", "_u"]) | _word(
    _NAME_START, _NAME_START + string.digits + ".-"
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

problem_keys = st.sampled_from(["type", "title", "detail", "instance", "code", "message", "retryable"]) | _word(
    string.ascii_lowercase, string.ascii_lowercase + string.digits + "_"
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


@st.composite
def job_statuses(draw: st.DrawFn) -> ms.JobStatus:
    """The state and progress of a job's monitor (any state; the total known or not)."""
    done = draw(st.integers(0, 10**12))
    total = draw(st.none() | st.integers(done, 10**12))
    return ms.JobStatus(draw(st.sampled_from(ms.JOB_STATES)), done, total)


def documents(max_responses: int = 4) -> st.SearchStrategy[ms.MultiStatus]:
    """Valid multistatus documents over the whole model."""
    return st.builds(
        ms.MultiStatus,
        st.lists(responses, max_size=max_responses),
        description=st.none() | texts,
        sync_token=st.none() | st.sampled_from(["http://example.com/sync/12", "data:,1"]),
        extensions=st.lists(elements(EXTENSION_NAMESPACES), max_size=2),
        job=st.none() | job_statuses(),
    )


# -- The real XML 1.0 (5th edition) character classes ------------------------------------
# Written out from the spec (§2.2 Char, §2.3 NameStartChar/NameChar), not taken from the
# library, so the tests that use them check the library against XML itself.

#: XML 1.0 NameStartChar without ":" (names are NCNames inside Clark notation).
NAME_START_RANGES: tuple[tuple[int, int], ...] = (
    (ord("A"), ord("Z")),
    (ord("_"), ord("_")),
    (ord("a"), ord("z")),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x2FF),
    (0x370, 0x37D),
    (0x37F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
)
#: What NameChar adds to NameStartChar.
NAME_CHAR_EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (ord("-"), ord("-")),
    (ord("."), ord(".")),
    (ord("0"), ord("9")),
    (0xB7, 0xB7),
    (0x300, 0x36F),
    (0x203F, 0x2040),
)
#: XML 1.0 Char.
CHAR_RANGES: tuple[tuple[int, int], ...] = (
    (0x9, 0xA),
    (0xD, 0xD),
    (0x20, 0xD7FF),
    (0xE000, 0xFFFD),
    (0x10000, 0x10FFFF),
)


def in_ranges(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether the one character *char* lies in one of *ranges*."""
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _from_ranges(ranges: tuple[tuple[int, int], ...]) -> st.SearchStrategy[str]:
    # One branch per range, so that a small range is drawn as often as a huge one
    # (and shrinking goes towards the first, ASCII, ranges).
    return st.one_of([st.integers(low, high) for low, high in ranges]).map(chr)


def _short_repr(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """*strategy* behind a short repr: Hypothesis reprs the base of st.recursive, and warns
    (an error under -W error) when the repr of these many-branched strategies passes 30 kB."""
    return st.deferred(lambda: strategy)


#: One NameStartChar (no ":"), drawn from every range.
name_start_chars = _short_repr(_from_ranges(NAME_START_RANGES))
#: One NameChar (no ":"), drawn from every range.
name_chars = _short_repr(_from_ranges(NAME_START_RANGES + NAME_CHAR_EXTRA_RANGES))
#: XML NCNames over the whole of NameStartChar / NameChar ("xmlns" is left out: it is
#: refused as an attribute name, see :data:`xml_attribute_names`).
ncnames = _short_repr(
    st.builds(lambda first, rest: first + "".join(rest), name_start_chars, st.lists(name_chars, max_size=8))
)

#: One XML Char, from every range (surrogates are not Chars).
xml_chars = _short_repr(_from_ranges(CHAR_RANGES))
#: Pieces that XML writers get wrong: markup characters, CDATA ends, line ends,
#: references that must stay literal text, astral characters.
_TRICKY_TEXT = (
    "\r",
    "\r\n",
    "\n",
    "\t",
    " ",
    "&",
    "<",
    ">",
    "]]>",
    "]]",
    '"',
    "'",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?x?>",
    "\u0085",
    "\u2028",
    "\u00a0",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
    "\U0010fffd",
    "\U000e0001",
    "\ue000",
    "\U0010ffff",
)
#: Text over the whole XML Char production, tricky pieces included (may be empty or all whitespace).
xml_texts = _short_repr(st.lists(xml_chars | st.sampled_from(_TRICKY_TEXT), max_size=8).map("".join))

# RFC 3986 URI references (§4.1), built from the ABNF.
_ALPHA = string.ascii_letters
_UNRESERVED_CHARS = _ALPHA + string.digits + "-._~"
_SUB_DELIMS = "!$&'()*+,;="
_pct_encoded = st.builds(lambda a, b: f"%{a}{b}", st.sampled_from(string.hexdigits), st.sampled_from(string.hexdigits))
_pchar = st.sampled_from(_UNRESERVED_CHARS + _SUB_DELIMS + ":@") | _pct_encoded
_pchar_nc = st.sampled_from(_UNRESERVED_CHARS + _SUB_DELIMS + "@") | _pct_encoded  # no ":"


def _run(piece: st.SearchStrategy[str], min_size: int = 0, max_size: int = 5) -> st.SearchStrategy[str]:
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join)


_segment = _run(_pchar)
_segment_nz = _run(_pchar, 1)
_segment_nz_nc = _run(_pchar_nc, 1)
_path_abempty = _run(_segment.map(lambda s: "/" + s), max_size=3)
_path_absolute = st.builds(lambda nz, rest: "/" + nz + rest, _segment_nz, _path_abempty) | st.just("/")
_path_rootless = st.builds(str.__add__, _segment_nz, _path_abempty)
_path_noscheme = st.builds(str.__add__, _segment_nz_nc, _path_abempty)
_scheme = st.builds(
    str.__add__, st.sampled_from(_ALPHA), _run(st.sampled_from(_ALPHA + string.digits + "+-."), max_size=6)
)
_userinfo = _run(st.sampled_from(_UNRESERVED_CHARS + _SUB_DELIMS + ":") | _pct_encoded)
_reg_name = _run(st.sampled_from(_UNRESERVED_CHARS + _SUB_DELIMS) | _pct_encoded, max_size=8)
_ipv4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
_ip_literal = st.sampled_from(["[::1]", "[2001:db8::7]", "[fe80::1:2:3:4]", "[::ffff:192.0.2.1]", "[v1.fe:x]"])
# libxml2 (and so the model) takes anything but "]" between the brackets of an IP literal.
_lenient_ip_literal = st.lists(xml_chars.filter(lambda c: c not in "]{}"), max_size=4).map(lambda s: f"[{''.join(s)}]")
_host = _reg_name | _ipv4 | _ip_literal | _lenient_ip_literal
# RFC 3986 allows an empty port; libxml2 (and so the model) wants 1+ digits, at most 2**31 - 1.
_port = st.none() | st.builds(
    lambda zeros, port: "0" * zeros + str(port), st.integers(0, 2), st.integers(0, 65535) | st.integers(0, 2**31 - 1)
)
_authority = st.builds(
    lambda user, host, port: (f"{user}@" if user is not None else "") + host + (f":{port}" if port is not None else ""),
    st.none() | _userinfo,
    _host,
    _port,
)
_hier_part = st.one_of(
    st.builds(lambda a, p: "//" + a + p, _authority, _path_abempty),
    _path_absolute,
    _path_rootless,
    st.just(""),
)
_relative_part = st.one_of(
    st.builds(lambda a, p: "//" + a + p, _authority, _path_abempty),
    _path_absolute,
    _path_noscheme,
    st.just(""),
)
_query = st.none() | _run(_pchar | st.sampled_from("/?"), max_size=6)
_fragment = st.none() | _run(_pchar | st.sampled_from("/?[]"), max_size=6)  # "[]": libxml2 allows them


def _uri(prefix: str, query: str | None, fragment: str | None) -> str:
    return prefix + ("" if query is None else "?" + query) + ("" if fragment is None else "#" + fragment)


#: Absolute URIs (``scheme:hier-part[?query][#fragment]``, RFC 3986 §3).
absolute_uris = st.builds(_uri, st.builds(lambda s, h: f"{s}:{h}", _scheme, _hier_part), _query, _fragment)
#: Relative references (RFC 3986 §4.2).
relative_refs = st.builds(_uri, _relative_part, _query, _fragment)
#: Any RFC 3986 URI reference but "" (no namespace) and the reserved xmlns namespace.
uri_references = _short_repr(
    (absolute_uris | relative_refs).filter(lambda ns: ns not in ("", "http://www.w3.org/2000/xmlns/"))
)

#: Namespaces for element and property names: well-known ones, none, and any URI reference.
xml_namespaces = st.sampled_from(VALUE_NAMESPACES) | uri_references
#: Namespaces that must not name extension elements or error conditions (the reader gives
#: elements there their own meaning).
RESERVED_NAMESPACES = frozenset({"DAV:", ms.NAMESPACE, ms.PROBLEM_NS})
_free_namespaces = st.sampled_from((*EXTENSION_NAMESPACES, "")) | uri_references.filter(
    lambda ns: ns not in RESERVED_NAMESPACES
)


def xml_names(namespaces: st.SearchStrategy[str] = xml_namespaces) -> st.SearchStrategy[str]:
    """Clark names ``{namespace}local`` with any URI-reference namespace and any NCName."""
    return st.builds(lambda ns, local: f"{{{ns}}}{local}", namespaces, ncnames)


#: Attribute names: no namespace, the xml: namespace, or any other; never ``{}xmlns``.
xml_attribute_names = xml_names(
    st.sampled_from(["", "", "http://www.w3.org/XML/1998/namespace"]) | xml_namespaces
).filter(lambda name: name != "{}xmlns")
xml_attributes = st.dictionaries(xml_attribute_names, xml_texts, max_size=3)
#: Property attributes: as above, but xml:lang is given as ``lang=``.
xml_property_attributes = st.dictionaries(
    xml_attribute_names.filter(lambda name: name != "{http://www.w3.org/XML/1998/namespace}lang"), xml_texts, max_size=2
)
#: ``xml:lang`` values: BCP 47 tags, and any text (the model does not check the tag).
langs = st.none() | st.sampled_from(["de", "en-US", "zh-Hant-TW", "x-klingon", "i-default", ""]) | xml_texts


def xml_elements(
    namespaces: st.SearchStrategy[str] = xml_namespaces, max_depth: int = 20
) -> st.SearchStrategy[ms.Element]:
    """Elements over the real XML character classes: bushy ones a few levels deep, and
    narrow chains up to *max_depth* levels (with text and siblings beside the chain)."""
    tags = xml_names(namespaces)
    leaf = st.builds(ms.Element, tags, st.lists(xml_texts, max_size=2), xml_attributes)
    bushy = st.recursive(
        leaf,
        lambda inner: st.builds(ms.Element, tags, st.lists(inner | xml_texts, max_size=3), xml_attributes),
        max_leaves=6,
    )

    @st.composite
    def chain(draw: st.DrawFn) -> ms.Element:
        depth = draw(st.integers(1, max_depth))
        element = draw(leaf)
        for _ in range(depth - 1):
            before = draw(st.lists(leaf | xml_texts, max_size=2))
            after = draw(st.lists(leaf | xml_texts, max_size=1))
            element = ms.Element(draw(tags), [*before, element, *after], draw(xml_attributes))
        return element

    return bushy | chain()


def element_depth(element: ms.Element) -> int:
    """Levels of elements, *element* included."""
    return 1 + max((element_depth(c) for c in element.elements), default=0)


xml_property_values = st.one_of(
    st.none(),
    xml_texts,
    st.lists(xml_elements() | xml_texts, min_size=1, max_size=3),
)

xml_properties = st.builds(
    ms.Property, xml_names(), xml_property_values, lang=langs, attributes=xml_property_attributes
)

#: Conditions of a ``DAV:error`` (not in the problem namespace: those are problem members).
_conditions = xml_elements(st.sampled_from(["DAV:"]) | _free_namespaces, max_depth=4)
xml_errors = st.builds(
    ms.Error,
    st.lists(_conditions, max_size=2),
    st.dictionaries(problem_keys, xml_texts, max_size=2),
)
_xml_hrefs = xml_texts.map(str.strip).filter(bool) | hrefs
_xml_extensions = st.lists(xml_elements(_free_namespaces, max_depth=6), max_size=1)

xml_propstats = st.builds(
    ms.PropStat,
    st.lists(xml_properties, max_size=3, unique_by=lambda p: p.name),
    statuses,
    error=st.none() | xml_errors,
    description=st.none() | xml_texts,
    extensions=_xml_extensions,
)

_xml_rest = {
    "error": st.none() | xml_errors,
    "description": st.none() | xml_texts,
    "location": st.none() | _xml_hrefs,
    "id": st.none() | xml_texts,
    "extensions": _xml_extensions,
}
xml_responses = st.one_of(
    st.builds(ms.Response, st.lists(_xml_hrefs, min_size=1, max_size=2), status=statuses, **_xml_rest),
    st.builds(ms.Response, _xml_hrefs, propstats=st.lists(xml_propstats, min_size=1, max_size=2), **_xml_rest),
    st.builds(ms.Response, _xml_hrefs),
)


def xml_documents(max_responses: int = 3) -> st.SearchStrategy[ms.MultiStatus]:
    """Valid documents whose names, namespaces and texts range over the real XML
    character classes and RFC 3986 URI references (REST headers and JSON bodies are
    left to :func:`documents`)."""
    return st.builds(
        ms.MultiStatus,
        st.lists(xml_responses, max_size=max_responses),
        description=st.none() | xml_texts,
        sync_token=st.none() | xml_texts,
        extensions=st.lists(xml_elements(_free_namespaces, max_depth=6), max_size=2),
    )


#: Characters that may not start a name: any code point outside NameStartChar (":" included,
#: since a local name is an NCName), with the NameChar-only ones drawn often.
non_name_start_chars = st.one_of(
    _from_ranges(NAME_CHAR_EXTRA_RANGES),
    st.sampled_from([":", " ", "\t", "{", "}", "<", "&", "\u00d7", "\u00f7", "\u037e", "\u2000", "\u3000", "\ufffe"]),
    st.integers(0, 0x10FFFF).map(chr).filter(lambda c: not in_ranges(c, NAME_START_RANGES)),
)
#: Characters that may not appear in a name at all (outside NameChar; ":" included).
non_name_chars = st.one_of(
    st.sampled_from([":", " ", "{", "<", "\u00d7", "\u037e", "\u2000", "\ud800"]),
    st.integers(0, 0x10FFFF)
    .map(chr)
    .filter(lambda c: not in_ranges(c, NAME_START_RANGES + NAME_CHAR_EXTRA_RANGES) and c != "}"),
)
#: Characters outside XML's Char production: C0 controls but TAB, LF, CR; lone surrogates; U+FFFE, U+FFFF.
non_xml_chars = st.one_of(
    st.sampled_from(["\x00", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800", "\udfff"]),
    st.integers(0, 0x10FFFF).map(chr).filter(lambda c: not in_ranges(c, CHAR_RANGES)),
)


# -- WebDAV If headers (RFC 4918 §10.4) -------------------------------------------------

_state_tokens = st.sampled_from(["urn:a", "urn:b", "DAV:no-lock", "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"])
_entity_tags = st.sampled_from(['"1"', '"2"', 'W/"1"', '""', '"I am an ETag"', '"a]b"'])


def if_conditions() -> st.SearchStrategy[Any]:
    """:class:`multistatus.webdav.IfCondition` values: tokens and entity tags, negated or not."""
    from multistatus.webdav import IfCondition

    tokens = st.builds(IfCondition, st.just("token"), _state_tokens, st.booleans())
    tags = st.builds(IfCondition, st.just("etag"), _entity_tags, st.booleans())
    return tokens | tags


def if_headers() -> st.SearchStrategy[Any]:
    """:class:`multistatus.webdav.IfHeader` values, untagged or tagged (one form per header, as §10.4.2 says)."""
    from multistatus.webdav import IfHeader, IfList

    conditions = st.lists(if_conditions(), min_size=1, max_size=3).map(tuple)
    untagged = st.lists(st.builds(IfList, st.none(), conditions), min_size=1, max_size=3)
    resources = st.sampled_from(["/a", "/dav/b%20c/", "http://example.com/x", "/a?q=1"])
    tagged = st.lists(st.builds(IfList, resources, conditions), min_size=1, max_size=3)
    return (untagged | tagged).map(lambda lists: IfHeader(tuple(lists)))


def render_if(header: Any) -> str:
    """An ``If`` header value for *header*, written the way clients vary it (spacing, ``Not`` case)."""
    out: list[str] = []
    last: str | None = None
    for lst in header.lists:
        if lst.resource is not None and lst.resource != last:
            out.append(f"<{lst.resource}>")
            last = lst.resource
        parts = []
        for c in lst.conditions:
            word = "Not " if c.negated else ""
            parts.append(word + (f"<{c.value}>" if c.kind == "token" else f"[{c.value}]"))
        out.append("(" + " ".join(parts) + ")")
    return "\r\n ".join(out)


# -- CalDAV and CardDAV filters (RFC 4791 §9.7, RFC 6352 §10.5) ------------------------------------

_filter_names = st.sampled_from(["VEVENT", "VTODO", "UID", "ATTENDEE", "PARTSTAT", "FN", "EMAIL", "X-A-B"])
_filter_texts = st.text(_xml_chars.filter(lambda c: c not in "\r"), max_size=8).map(str.strip)
_instants = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)
)


def _time_ranges() -> st.SearchStrategy[Any]:
    from multistatus.webdav import TimeRange

    both = st.tuples(_instants, _instants).filter(lambda p: p[0] < p[1]).map(lambda p: TimeRange(*p))
    return both | st.builds(TimeRange, _instants, st.none()) | st.builds(TimeRange, st.none(), _instants)


def _text_matches(carddav: bool) -> st.SearchStrategy[Any]:
    from multistatus.webdav import TextMatch

    collations = st.sampled_from(["i;octet", "i;ascii-casemap", "i;unicode-casemap"])
    kinds = st.sampled_from(["equals", "contains", "starts-with", "ends-with"]) if carddav else st.just("contains")
    return st.builds(TextMatch, _filter_texts, collations, st.booleans(), kinds)


def prop_filters(carddav: bool) -> st.SearchStrategy[Any]:
    """:class:`multistatus.webdav.PropFilter` values as CalDAV (*carddav* false) or CardDAV reads them."""
    from multistatus.webdav import ParamFilter, PropFilter

    params = st.builds(ParamFilter, _filter_names, st.booleans(), st.none() | _text_matches(carddav))
    texts = st.lists(_text_matches(carddav), max_size=3 if carddav else 1).map(tuple)
    return st.builds(
        PropFilter,
        _filter_names,
        st.booleans(),
        st.none() if carddav else st.none() | _time_ranges(),
        texts,
        st.lists(params, max_size=2).map(tuple),
        st.sampled_from(["anyof", "allof"]) if carddav else st.just("allof"),
    )


def comp_filters() -> st.SearchStrategy[Any]:
    """:class:`multistatus.webdav.CompFilter` trees (``VCALENDAR`` at the root)."""
    from multistatus.webdav import CompFilter

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.builds(
            CompFilter,
            _filter_names,
            st.booleans(),
            st.none() | _time_ranges(),
            st.lists(prop_filters(False), max_size=2).map(tuple),
            st.lists(children, max_size=2).map(tuple),
        )

    leaf = st.builds(CompFilter, _filter_names, st.booleans(), st.none() | _time_ranges())
    return st.recursive(leaf, extend, max_leaves=6).map(lambda c: CompFilter("VCALENDAR", comp_filters=(c,)))
