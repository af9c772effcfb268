"""from_xml / to_xml: leniency with real servers, hostile input, errors that say where.

One test reaches inside, to ``multistatus._xml.read_error``: the public readers
look at the root before they call it, so its own refusal of another root can
only be checked there.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

import multistatus as ms

D = "{DAV:}"


def body(inner: str, *, root: str = '<D:multistatus xmlns:D="DAV:">', decl: bool = True) -> bytes:
    text = root + inner + "</" + root[1:].split(maxsplit=1)[0].rstrip(">") + ">"
    return (('<?xml version="1.0" encoding="utf-8"?>\n' if decl else "") + text).encode()


ONE = "<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"


# -- leniency ---------------------------------------------------------------------
LENIENT = [
    pytest.param(body(ONE), id="plain"),
    pytest.param(body(ONE, decl=False), id="no-xml-declaration"),
    pytest.param(body(ONE.replace("D:", "x:"), root='<x:multistatus xmlns:x="DAV:">'), id="other-prefix"),
    pytest.param(body(ONE.replace("D:", ""), root='<multistatus xmlns="DAV:">'), id="default-namespace"),
    pytest.param(
        body(
            '<A:response xmlns:A="DAV:"><B:href xmlns:B="DAV:">/a</B:href><D:status>HTTP/1.1 200 OK</D:status></A:response>'
        ),
        id="several-prefixes-for-DAV",
    ),
    pytest.param(body(ONE.replace("/a", "\n   /a \t\n")), id="whitespace-around-href"),
    pytest.param(body(ONE.replace("HTTP/1.1 200 OK", "HTTP/1.0 200 OK")), id="HTTP/1.0"),
    pytest.param(body(ONE.replace("HTTP/1.1 200 OK", "HTTP/0.0 200")), id="HTTP/0.0-no-reason"),
    pytest.param(body(ONE.replace("HTTP/1.1 200 OK", "HTTP/2 200")), id="HTTP/2"),
    pytest.param(body(ONE.replace("HTTP/1.1 200 OK", " 200 ")), id="bare-code"),
    pytest.param(b"\xef\xbb\xbf" + body(ONE), id="utf8-bom"),
    pytest.param(body(ONE).decode().replace("utf-8", "utf-16").encode("utf-16"), id="utf16-bom"),
    pytest.param(body(ONE).decode().replace('"utf-8"', "'utf-8'").encode(), id="single-quoted-declaration"),
    pytest.param(body("<!-- hi -->" + ONE + "<?pi x?>"), id="comments-and-pis"),
]


@pytest.mark.parametrize("data", LENIENT)
def test_real_server_variants_parse_to_the_same_document(data: bytes) -> None:
    doc = ms.from_xml(data)
    assert doc == ms.MultiStatus([ms.Response("/a", status=200)])


def test_status_before_prop_in_propstat() -> None:
    data = body(
        "<D:response><D:href>/a</D:href><D:propstat><D:status>HTTP/1.1 404 Not Found</D:status>"
        "<D:prop><D:getetag/></D:prop></D:propstat></D:response>"
    )
    ps = ms.from_xml(data).responses[0].propstats[0]
    assert ps.status == ms.Status(404)
    assert ps.props == (ms.Property("{DAV:}getetag"),)


def test_custom_reason_phrase_is_kept_and_written_back() -> None:
    data = body(ONE.replace("HTTP/1.1 200 OK", "HTTP/1.1 424 (status)"))
    doc = ms.from_xml(data)
    assert doc.responses[0].status == ms.Status(424, "(status)")
    assert b"<D:status>HTTP/1.1 424 (status)</D:status>" in ms.to_xml(doc)


def test_empty_multistatus() -> None:
    assert ms.from_xml(b'<D:multistatus xmlns:D="DAV:"/>') == ms.MultiStatus()


def test_unknown_elements_are_kept_as_extensions_at_every_level() -> None:
    data = body(
        '<x:top xmlns:x="urn:x" a="1">t</x:top>'
        "<D:response><D:href>/a</D:href><D:propstat><D:prop/><D:status>HTTP/1.1 200 OK</D:status>"
        '<x:ps xmlns:x="urn:x"/></D:propstat><x:resp xmlns:x="urn:x"><x:in>1</x:in></x:resp></D:response>'
        "<D:other-dav-element/>"
    )
    doc = ms.from_xml(data)
    assert doc.extensions == (
        ms.Element("{urn:x}top", ["t"], {"a": "1"}),
        ms.Element("{DAV:}other-dav-element"),
    )
    response = doc.responses[0]
    assert response.extensions == (ms.Element("{urn:x}resp", [ms.Element("{urn:x}in", ["1"])]),)
    assert response.propstats[0].extensions == (ms.Element("{urn:x}ps"),)
    assert ms.from_xml(ms.to_xml(doc)) == doc


def test_mixed_content_lang_and_attributes_survive() -> None:
    data = body(
        '<D:response xmlns:E="urn:e"><D:href>/a</D:href><D:propstat><D:prop xml:lang="fr">'
        '<E:title xml:lang="de">Grüße &amp; <E:b x="1">Küsse</E:b> &lt;3</E:title>'
        "<E:inherits>oui</E:inherits>"
        "<E:ws>\n  <E:k/>\n</E:ws>"
        "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )
    props = ms.from_xml(data).responses[0].propstats[0].props
    assert props[0] == ms.Property(
        "{urn:e}title", ["Grüße & ", ms.Element("{urn:e}b", ["Küsse"], {"x": "1"}), " <3"], lang="de"
    )
    assert props[1] == ms.Property("{urn:e}inherits", "oui", lang="fr")
    assert props[2].value == ("\n  ", ms.Element("{urn:e}k"), "\n")


def test_cdata_reads_as_text() -> None:
    data = body(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:displayname><![CDATA[a <b> & c]]></D:displayname>"
        "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )
    assert ms.from_xml(data).responses[0].propstats[0].props[0].value == "a <b> & c"


def test_location_and_multi_href_status_form() -> None:
    data = body(
        "<D:response><D:href>/a</D:href><D:href>/b</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response>"
        "<D:response><D:href>/old</D:href><D:status>HTTP/1.1 301 Moved Permanently</D:status>"
        "<D:location><D:href> /new </D:href></D:location></D:response>"
    )
    first, second = ms.from_xml(data).responses
    assert first.hrefs == ("/a", "/b")
    assert second.location == "/new"


def test_rest_fields_round_trip_in_the_library_namespace() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response(
                "/items/3",
                status=429,
                id="3",
                headers={"Retry-After": "30"},
                body={"n": [1, 2.5, None, True]},
                error=ms.Error(code="rate_limited", message="Retry later.", retries=2),
            )
        ]
    )
    data = ms.to_xml(doc)
    assert ms.from_xml(data) == doc
    root = ET.fromstring(data)
    assert root.find(f"{D}response/{{{ms.NAMESPACE}}}id").text == "3"  # type: ignore[union-attr]
    assert root.find(f"{D}response/{D}error/{{{ms.PROBLEM_NS}}}code").text == "rate_limited"  # type: ignore[union-attr]
    assert ms.NAMESPACE != "DAV:"


# -- output rules ---------------------------------------------------------------------
def test_output_declares_namespaces_once_on_the_root_with_stable_prefixes() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/a", propstats=[ms.PropStat({"{urn:z}p": "1", "{urn:caldav}q": None})]),
            ms.Response("/b", propstats=[ms.PropStat({"{urn:z}p": "2", "{}plain": "3"})]),
        ]
    )
    data = ms.to_xml(doc).decode()
    head, rest = data.split("\n", 1)
    assert head == '<?xml version="1.0" encoding="utf-8"?>'
    assert rest.startswith('<D:multistatus xmlns:D="DAV:" xmlns:ns0="urn:z" xmlns:ns1="urn:caldav">')
    assert rest.count("xmlns") == 3
    assert "<plain>3</plain>" in rest
    assert "\n" not in rest  # compact by default
    assert data == ms.to_xml(doc).decode()  # deterministic


def test_well_known_namespaces_get_their_usual_prefixes() -> None:
    doc = ms.MultiStatus(
        [ms.Response("/c", propstats=[ms.PropStat({"{urn:ietf:params:xml:ns:caldav}calendar-data": "x"})])]
    )
    assert b'xmlns:C="urn:ietf:params:xml:ns:caldav"' in ms.to_xml(doc)
    assert b"<C:calendar-data>x</C:calendar-data>" in ms.to_xml(doc)


def test_escaping_of_hrefs_text_attributes_and_carriage_returns() -> None:
    tricky = "a&b<c>d\"e'f\r\n\tg"
    doc = ms.MultiStatus(
        [
            ms.Response(
                "/x?a=1&b=<2>",
                propstats=[ms.PropStat([ms.Property("{urn:e}p", [ms.Element("{urn:e}q", [tricky], {"v": tricky})])])],
                description=tricky,
            )
        ]
    )
    data = ms.to_xml(doc)
    assert b"/x?a=1&amp;b=&lt;2&gt;" in data
    assert ms.from_xml(data) == doc
    q = ET.fromstring(data).find(f"{D}response/{D}propstat/{D}prop/{{urn:e}}p/{{urn:e}}q")
    assert q is not None
    assert q.text == tricky
    assert q.get("v") == tricky


def test_pretty_output_indents_the_envelope_only() -> None:
    value = ["  keep  ", ms.Element("{urn:e}k")]
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([ms.Property("{urn:e}p", value)])])])
    text = ms.to_xml(doc, pretty=True).decode()
    assert "\n  <D:response>\n    <D:href>/a</D:href>" in text
    assert "<ns0:p>  keep  <ns0:k/></ns0:p>" in text


def test_to_xml_refuses_what_is_not_a_document() -> None:
    with pytest.raises(TypeError, match="MultiStatus"):
        ms.to_xml([ms.Response("/a", status=200)])  # type: ignore[arg-type]


# -- hostile input ---------------------------------------------------------------------
HOSTILE = [
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><D:multistatus xmlns:D="DAV:">'
        b"<D:response><D:href>&c;</D:href><D:status>200</D:status></D:response></D:multistatus>",
        "DTD",
        id="billion-laughs",
    ),
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>&x;</D:href><D:status>200</D:status>'
        b"</D:response></D:multistatus>",
        "DTD",
        id="xxe-file",
    ),
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE m SYSTEM "http://127.0.0.1:9/evil.dtd"><D:multistatus xmlns:D="DAV:"/>',
        "DTD",
        id="external-dtd",
    ),
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x"> %p;]>'
        b'<D:multistatus xmlns:D="DAV:"/>',
        "DTD",
        id="parameter-entity",
    ),
    pytest.param(
        b'<D:multistatus xmlns:D="DAV:"><D:response>&undefined;</D:response></D:multistatus>',
        "malformed XML",
        id="undefined-entity",
    ),
    pytest.param(
        b'<D:multistatus xmlns:D="DAV:" xmlns:xi="http://www.w3.org/2001/XInclude"><D:response><D:href>'
        b'<xi:include href="file:///etc/passwd" parse="text"/></D:href><D:status>200</D:status>'
        b"</D:response></D:multistatus>",
        None,
        id="xinclude-is-not-processed",
    ),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE)
def test_hostile_bodies_are_refused_or_inert(data: bytes, message: str | None) -> None:
    if message is None:
        with pytest.raises(ms.ParseError, match="empty href"):
            ms.from_xml(data)
        return
    with pytest.raises(ms.ParseError, match=message):
        ms.from_xml(data)


def test_oversized_body_is_refused_before_parsing() -> None:
    data = body(ONE * 100)
    with pytest.raises(ms.LimitExceeded, match="1000-byte limit") as info:
        ms.from_xml(data, limits=ms.Limits(max_bytes=1000))
    assert info.value.status_hint == 413
    with pytest.raises(ms.LimitExceeded):
        ms.from_xml(io.BytesIO(data), limits=ms.Limits(max_bytes=1000))


def test_deep_nesting_is_refused_with_a_path() -> None:
    deep = "<E:a>" * 80 + "</E:a>" * 80
    data = body(
        f'<D:response xmlns:E="urn:e"><D:href>/a</D:href><D:propstat><D:prop><E:p>{deep}</E:p></D:prop>'
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )
    with pytest.raises(ms.LimitExceeded, match="deeper than 72") as info:
        ms.from_xml(data)
    assert info.value.path is not None
    assert info.value.path.startswith("/D:multistatus/D:response/D:propstat/D:prop/E:p/E:a")


def test_very_deep_nesting_stops_in_the_parser() -> None:
    data = b'<D:multistatus xmlns:D="DAV:">' + b"<x>" * 100_000 + b"</x>" * 100_000 + b"</D:multistatus>"
    with pytest.raises(ms.LimitExceeded, match="deeper than 256 levels") as info:
        ms.from_xml(data)
    assert "XML_PARSE_HUGE" not in str(info.value)
    with pytest.raises(ms.LimitExceeded, match="deeper than 256 levels"):
        list(ms.iter_xml(data))


@pytest.mark.parametrize(
    ("limits", "inner", "match"),
    [
        pytest.param(ms.Limits(max_responses=2), ONE * 3, "more than 2 responses", id="responses"),
        pytest.param(
            ms.Limits(max_hrefs=2),
            "<D:response>" + "<D:href>/a</D:href>" * 3 + "<D:status>200</D:status></D:response>",
            "more than 2 hrefs",
            id="hrefs",
        ),
        pytest.param(
            ms.Limits(max_propstats=1),
            "<D:response><D:href>/a</D:href>"
            + "<D:propstat><D:prop/><D:status>200</D:status></D:propstat>" * 2
            + "</D:response>",
            "more than 1 propstats",
            id="propstats",
        ),
        pytest.param(
            ms.Limits(max_properties=2),
            "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:a/><D:b/><D:c/></D:prop>"
            "<D:status>200</D:status></D:propstat></D:response>",
            "more than 2 properties",
            id="properties",
        ),
    ],
)
def test_count_limits(limits: ms.Limits, inner: str, match: str) -> None:
    with pytest.raises(ms.LimitExceeded, match=match):
        ms.from_xml(body(inner), limits=limits)
    assert ms.from_xml(body(inner), limits=ms.Limits())  # the defaults take it


def test_limits_validate_their_values() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        ms.Limits(max_depth=0)
    assert ms.Limits(max_bytes=None).max_bytes is None


# -- errors say what and where ---------------------------------------------------------------
BAD = [
    pytest.param(b"", "body is empty", None, id="empty"),
    pytest.param(b"   \n", "body is empty", None, id="blank"),
    pytest.param(b"not xml at all", "malformed XML", 1, id="not-xml"),
    pytest.param(b'<D:multistatus xmlns:D="DAV:">\n<D:response>', "malformed XML", 2, id="truncated"),
    pytest.param(b"<html><body>Error</body></html>", "HTML page", 1, id="html"),
    pytest.param(
        b'<D:error xmlns:D="DAV:"><D:lock-token-submitted/></D:error>', "found {DAV:}error", 1, id="dav-error-root"
    ),
    pytest.param(b"<multistatus/>", "found {}multistatus", 1, id="no-namespace-root"),
    pytest.param(body("\n<D:response><D:status>200</D:status></D:response>"), "no href", 3, id="no-href"),
    pytest.param(
        body("<D:response><D:href> </D:href><D:status>200</D:status></D:response>"), "empty href", 2, id="blank-href"
    ),
    pytest.param(
        body(
            "<D:response><D:href>/a</D:href><D:status>200</D:status><D:propstat><D:prop/><D:status>200</D:status></D:propstat></D:response>"
        ),
        "both a status and propstats",
        2,
        id="both-forms",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:status>200</D:status><D:status>404</D:status></D:response>"),
        "more than one status",
        2,
        id="two-statuses",
    ),
    pytest.param(
        body(
            "<D:response><D:href>/a</D:href><D:href>/b</D:href><D:propstat><D:prop/><D:status>200</D:status></D:propstat></D:response>"
        ),
        "has propstats and 2 hrefs; the propstat form has one",
        2,
        id="propstat-form-two-hrefs",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:status>OK</D:status></D:response>"),
        "not an HTTP status line",
        2,
        id="bad-status",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:status>HTTP/1.1 102 Processing</D:status></D:response>"),
        "1xx",
        2,
        id="1xx",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:status>HTTP/1.1 700 Weird</D:status></D:response>"),
        "outside 100-599",
        2,
        id="status-700",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:propstat><D:prop/></D:propstat></D:response>"),
        "propstat has no status",
        2,
        id="propstat-no-status",
    ),
    pytest.param(
        body(
            "<D:response><D:href>/a</D:href><D:propstat><D:prop/><D:status>200</D:status><D:status>200</D:status></D:propstat></D:response>"
        ),
        "propstat has more than one status",
        2,
        id="propstat-two-statuses",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>200</D:status><m:body xmlns:m="{ms.NAMESPACE}">{{oops</m:body></D:response>'
        ),
        "body is not valid JSON",
        2,
        id="bad-rest-body",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>200</D:status><m:body xmlns:m="{ms.NAMESPACE}">'
            + "[" * 100_000
            + "</m:body></D:response>"
        ),
        "not valid JSON",
        2,
        id="deep-json-rest-body",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>200</D:status><m:headers xmlns:m="{ms.NAMESPACE}"><m:header>1</m:header></m:headers></D:response>'
        ),
        "needs a name attribute",
        2,
        id="header-without-name",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>200</D:status><m:headers xmlns:m="{ms.NAMESPACE}"><m:header name="a b">1</m:header></m:headers></D:response>'
        ),
        "bad header field name",
        2,
        id="bad-header-name",
    ),
    pytest.param(
        body("<D:response><D:href>/a</D:href><D:status>301</D:status><D:location> </D:location></D:response>"),
        "empty location",
        2,
        id="empty-location",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>429</D:status><D:error><p:status xmlns:p="{ms.PROBLEM_NS}">x</p:status></D:error></D:response>'
        ),
        "'status' must be an int",
        2,
        id="problem-status-not-int",
    ),
]


SLOPPY_EXTRAS = [
    pytest.param(
        body("<D:sync-token>a</D:sync-token>\n<D:sync-token>b</D:sync-token>"),
        "more than one sync-token",
        3,
        id="two-sync-tokens",
    ),
    pytest.param(
        body(
            f'<D:response><D:href>/a</D:href><D:status>200</D:status><m:headers xmlns:m="{ms.NAMESPACE}">'
            "<m:other>1</m:other></m:headers></D:response>"
        ),
        "unexpected",
        2,
        id="unknown-child-in-headers",
    ),
]


@pytest.mark.parametrize(("data", "message", "line"), SLOPPY_EXTRAS)
def test_ambiguous_parts_are_errors_not_silently_dropped(data: bytes, message: str, line: int) -> None:
    with pytest.raises(ms.ParseError, match=message) as info:
        ms.from_xml(data)
    assert info.value.line == line
    with pytest.raises(ms.ParseError, match=message):
        list(ms.iter_xml(data))


@pytest.mark.parametrize(("data", "message", "line"), BAD)
def test_bad_bodies_raise_parse_error_saying_what_and_where(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(ms.ParseError, match=message) as info:
        ms.from_xml(data)
    assert isinstance(info.value, ValueError)
    assert info.value.line == line
    if line is not None:
        assert f"line {line}" in str(info.value)


def test_error_path_points_at_the_offending_element() -> None:
    data = body(ONE + ONE + "<D:response><D:href>/c</D:href><D:status>nope</D:status></D:response>")
    with pytest.raises(ms.ParseError) as info:
        ms.from_xml(data)
    assert info.value.path == "/D:multistatus/D:response[3]/D:status"


def test_wrong_input_types() -> None:
    with pytest.raises(TypeError, match="bytes, str or a binary file"):
        ms.from_xml(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="binary mode"):
        ms.from_xml(io.StringIO("<x/>"))  # type: ignore[arg-type]


def test_read_errors_become_parse_errors() -> None:
    class Broken(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise OSError("connection reset")

    with pytest.raises(ms.ParseError, match="connection reset"):
        ms.from_xml(Broken())


def test_str_input_with_a_foreign_encoding_declaration() -> None:
    text = body(ONE).decode().replace("utf-8", "iso-8859-1")
    assert ms.from_xml(text).responses[0].href == "/a"


def test_parse_error_pickles() -> None:
    import pickle

    err = ms.ParseError("bad", line=3, column=4, path="/x")
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.line, again.column, again.path, str(again)) == (
        "bad",
        3,
        4,
        "/x",
        "bad (at /x; line 3, column 4)",
    )


def test_parser_is_usable_from_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    data = body(ONE * 50)
    with ThreadPoolExecutor(4) as pool:
        docs = list(pool.map(lambda _: ms.from_xml(data), range(16)))
    assert all(d == docs[0] for d in docs)
    assert len(docs[0].responses) == 50


def test_no_network_access_is_attempted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sockets are disabled: a parser that fetched anything would fail differently."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for param in HOSTILE:
        with pytest.raises(ms.ParseError):
            ms.from_xml(param.values[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        pytest.param(b"<!DOCTYPE html>\n<html/>", "got an HTML page", 1, id="xhtml-with-doctype"),
        pytest.param(
            b"<!--" + b"x" * 5000 + b'-->\n<!DOCTYPE m>\n<D:multistatus xmlns:D="DAV:"/>',
            "document type declaration",
            1,  # (past the first 4 KiB the declaration is not looked for: line 1)
            id="doctype-after-a-long-comment",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n\n<!DOCTYPE m>\n<D:multistatus xmlns:D="DAV:"/>', "document type", 3, id="line-3"
        ),
    ],
)
def test_a_dtd_is_refused_where_it_is(data: bytes, message: str, line: int) -> None:
    with pytest.raises(ms.ParseError, match=message) as info:
        ms.from_xml(data)
    assert info.value.line == line


def test_a_stand_alone_error_document_must_have_an_error_root() -> None:
    with pytest.raises(ms.NotMultiStatus) as raised:
        ms.from_body(b'<D:error xmlns:D="DAV:"><D:lock-token-submitted/></D:error>', "application/xml", status=423)
    assert raised.value.error is not None
    assert raised.value.error.condition_names == ("{DAV:}lock-token-submitted",)
    # The public readers check the root before they call read_error; its own check is its contract.
    from multistatus._xml import read_error

    with pytest.raises(ms.ParseError, match="expected a DAV:error or problem document"):
        read_error(b'<D:multistatus xmlns:D="DAV:"/>')


def test_validation_error_pickles_with_every_violation() -> None:
    import pickle

    one = b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
    with pytest.raises(ms.ValidationError) as info:
        ms.from_xml(b"<D:multistatus xmlns:D='DAV:'>" + one * 3 + b"</D:multistatus>", strict=True)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is ms.ValidationError
    assert again.violations == info.value.violations
    assert [v.code for v in again.violations] == ["duplicate-href", "duplicate-href"]
    assert str(again) == str(info.value)
    assert "(and 1 more violation)" in str(again)


def test_comments_and_processing_instructions_between_elements_are_ignored() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/a", status=503, headers={"retry-after": "5"}),
            ms.Response("/b", propstats=[ms.PropStat([ms.Property("{DAV:}getetag", "x")], 200)]),
        ]
    )
    text = ms.to_xml(doc).decode()
    for tag in ("<D:response>", "<D:propstat>", "<ms:headers>"):
        assert tag in text
        text = text.replace(tag, tag + "<!-- note --><?app hint?>")
    assert ms.from_xml(text.encode()) == doc
    assert ms.from_xml(text.encode(), strict=True) == doc
    assert list(ms.iter_xml(text.encode())) == list(doc.responses)
