"""multistatus.webdav: REPORT bodies (RFC 6578, RFC 4791, RFC 6352), MKCOL/MKCALENDAR bodies (RFC 5689) and answers."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus import webdav
from multistatus.webdav import (
    AddressbookQuery,
    CalendarQuery,
    CompFilter,
    Multiget,
    ParamFilter,
    PropFilter,
    PropFind,
    SyncCollection,
    TextMatch,
    TimeRange,
)

from .strategies import comp_filters, prop_filters

DATA = Path(__file__).parent / "data"
RFC = DATA / "webdav"
D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:caldav}"
CR = "{urn:ietf:params:xml:ns:carddav}"
BOX = PropFind("prop", (D + "getetag", "{urn:ns.example.com:boxschema}bigbox"))
ETAG = PropFind("prop", (D + "getetag",))


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def rfc(name: str) -> bytes:
    return (RFC / name).read_bytes()


# -- RFC 6578: sync-collection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rfc6578-3.8-initial-sync.xml", SyncCollection(None, "1", None, BOX)),
        ("rfc6578-3.9-sync-with-token.xml", SyncCollection("http://example.com/ns/sync/1234", "1", None, BOX)),
        ("rfc6578-3.10-initial-sync-truncated.xml", SyncCollection(None, "1", None, ETAG)),
        ("rfc6578-3.11-initial-sync-with-limit.xml", SyncCollection(None, "1", 1, ETAG)),
        ("rfc6578-3.12-sync-unsupported-limit.xml", SyncCollection("http://example.com/ns/sync/1232", "1", 100, ETAG)),
        ("rfc6578-3.13-initial-sync-infinite.xml", SyncCollection(None, "infinite", None, BOX)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_rfc6578_examples(name: str, expected: SyncCollection) -> None:
    assert webdav.parse_sync_collection(rfc(name)) == expected
    assert webdav.parse_report(rfc(name)) == expected


def test_rfc6578_answer_with_a_change_a_removal_and_truncation() -> None:
    box = ms.Element("{urn:ns.example.com:boxschema}BoxType", "Box type A")
    changed = ms.Response(
        "http://webdav.example.com/home/cyrusdaboo/test.doc",
        propstats=[
            ms.PropStat(
                [
                    ms.Property(D + "getetag", '"00001-abcd1"'),
                    ms.Property("{urn:ns.example.com:boxschema}bigbox", [box]),
                ],
                200,
            )
        ],
    )
    doc = webdav.sync_collection_response(
        "http://example.com/ns/sync/1238",
        [changed],
        ["http://webdav.example.com/home/cyrusdaboo/removed.doc"],
        truncated="http://webdav.example.com/home/cyrusdaboo/",
    )
    back = ms.from_xml(ms.to_xml(doc))
    assert back.sync_token == "http://example.com/ns/sync/1238"
    assert [(r.href, r.code) for r in back] == [
        ("http://webdav.example.com/home/cyrusdaboo/test.doc", 200),
        ("http://webdav.example.com/home/cyrusdaboo/removed.doc", 404),
        ("http://webdav.example.com/home/cyrusdaboo/", 507),
    ]
    assert back.responses[2].error is not None
    assert back.responses[2].error.condition_names == (webdav.NUMBER_OF_MATCHES_WITHIN_LIMITS,)
    assert back.responses[0].propstats[0].props[1].value == (box,)
    empty = webdav.sync_collection_response("urn:t:1")
    assert (empty.responses, empty.sync_token) == ((), "urn:t:1")


def test_a_real_client_sync_collection_with_an_empty_token_element() -> None:
    cases = json.loads((DATA / "radicale" / "manifest.json").read_text(encoding="utf-8"))["cases"]
    bodies = {
        c["name"] if "name" in c else c["case"]: c["request"]["body"]
        for c in cases
        if c["request"]["method"] == "REPORT"
    }
    assert webdav.parse_report(bodies["c15-report-sync-collection-initial"]).token is None  # type: ignore[attr-defined]
    with_token = webdav.parse_report(bodies["c16-report-sync-collection-with-token"])
    assert isinstance(with_token, SyncCollection)
    assert with_token.token is not None
    assert with_token.token.startswith("http://radicale.org/ns/sync/")
    for name, body in bodies.items():  # every REPORT Radicale's clients sent reads
        assert type(webdav.parse_report(body)).__name__ in {
            "SyncCollection",
            "Multiget",
            "CalendarQuery",
            "AddressbookQuery",
        }, name


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            b"<D:sync-collection xmlns:D='DAV:'><D:prop/></D:sync-collection>", "needs a DAV:sync-token", id="no-token"
        ),
        pytest.param(
            b"<D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:sync-level>2</D:sync-level></D:sync-collection>",
            "sync-level",
            id="bad-level",
        ),
        pytest.param(
            b"<D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:limit><D:nresults>0</D:nresults></D:limit></D:sync-collection>",
            "positive integer",
            id="zero-limit",
        ),
        pytest.param(
            b"<D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:limit><D:nresults>99999999999</D:nresults></D:limit>"
            b"</D:sync-collection>",
            "positive integer",
            id="huge-limit",
        ),
        pytest.param(
            b"<D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:limit/></D:sync-collection>",
            "nresults",
            id="empty-limit",
        ),
        pytest.param(b"<D:propfind xmlns:D='DAV:'/>", "DAV:sync-collection", id="other-root"),
        pytest.param(b"", "empty", id="empty"),
    ],
)
def test_bad_sync_collections_are_422(body: bytes, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_sync_collection(body)
    assert info.value.status_hint == 422
    assert message in str(info.value)


def test_sync_level_defaults_and_spellings() -> None:
    body = b"<D:sync-collection xmlns:D='DAV:'><D:sync-token> urn:t:1 </D:sync-token></D:sync-collection>"
    assert webdav.parse_sync_collection(body) == SyncCollection("urn:t:1", "1", None, PropFind("prop", ()))
    body = b"<D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:sync-level>infinity</D:sync-level><D:allprop/></D:sync-collection>"
    got = webdav.parse_sync_collection(body)
    assert (got.level, got.prop.kind) == ("infinite", "allprop")


# -- RFC 4791: CalDAV ----------------------------------------------------------------------------


def test_rfc4791_7_8_1_time_range_with_partial_calendar_data() -> None:
    query = webdav.parse_calendar_query(rfc("rfc4791-7.8.1-time-range.xml"))
    assert query.prop.names == (D + "getetag", C + "calendar-data")
    assert query.filter == CompFilter(
        "VCALENDAR",
        comp_filters=(CompFilter("VEVENT", time_range=TimeRange(utc("20060104T000000Z"), utc("20060105T000000Z"))),),
    )
    assert query.data is not None
    vcalendar = query.data.find(C + "comp")
    assert vcalendar is not None
    assert vcalendar.attributes["{}name"] == "VCALENDAR"
    vevent = next(e for e in vcalendar.elements if e.tag == C + "comp")
    assert [p.attributes["{}name"] for p in vevent.elements][:3] == ["SUMMARY", "UID", "DTSTART"]
    assert query.timezone is None


JAN_3_TO_5 = {"{}start": "20060103T000000Z", "{}end": "20060105T000000Z"}


@pytest.mark.parametrize(
    ("name", "asks"),
    [("rfc4791-7.8.2-limit-recurrence-set.xml", "limit-recurrence-set"), ("rfc4791-7.8.3-expand.xml", "expand")],
)
def test_rfc4791_7_8_2_and_7_8_3_recurrence_sets(name: str, asks: str) -> None:
    query = webdav.parse_calendar_query(rfc(name))
    assert query.prop == PropFind("prop", (C + "calendar-data",))
    assert query.data is not None
    assert list(query.data.elements) == [ms.Element(C + asks, attributes=JAN_3_TO_5)]
    assert query.filter == CompFilter(
        "VCALENDAR",
        comp_filters=(CompFilter("VEVENT", time_range=TimeRange(utc("20060103T000000Z"), utc("20060105T000000Z"))),),
    )


def test_rfc4791_7_8_4_free_busy() -> None:
    query = webdav.parse_calendar_query(rfc("rfc4791-7.8.4-freebusy.xml"))
    limit = ms.Element(
        C + "limit-freebusy-set", attributes={"{}start": "20060102T000000Z", "{}end": "20060103T000000Z"}
    )
    assert query.data is not None
    assert list(query.data.elements) == [limit]
    vfreebusy = query.filter.comp_filters[0]
    assert (vfreebusy.name, vfreebusy.time_range) == (
        "VFREEBUSY",
        TimeRange(utc("20060102T000000Z"), utc("20060103T000000Z")),
    )


def test_rfc4791_7_8_5_alarm_time_range_three_levels_deep() -> None:
    query = webdav.parse_calendar_query(rfc("rfc4791-7.8.5-alarm-time-range.xml"))
    valarm = query.filter.comp_filters[0].comp_filters[0]
    assert (valarm.name, valarm.time_range) == ("VALARM", TimeRange(utc("20060106T100000Z"), utc("20060107T100000Z")))
    assert query.prop.names == (D + "getetag", C + "calendar-data")
    assert query.data == ms.Element(C + "calendar-data")


def test_rfc4791_7_8_6_uid_with_octet_collation() -> None:
    vevent = webdav.parse_calendar_query(rfc("rfc4791-7.8.6-uid.xml")).filter.comp_filters[0]
    assert vevent.prop_filters == (
        PropFilter("UID", text_matches=(TextMatch("DC6C50A017428C5216A2F1CD@example.com", "i;octet"),)),
    )


def test_rfc4791_7_8_7_param_filter() -> None:
    attendee = webdav.parse_calendar_query(rfc("rfc4791-7.8.7-partstat.xml")).filter.comp_filters[0].prop_filters[0]
    assert attendee == PropFilter(
        "ATTENDEE",
        text_matches=(TextMatch("mailto:lisa@example.com"),),
        param_filters=(ParamFilter("PARTSTAT", text_match=TextMatch("NEEDS-ACTION")),),
    )


def test_rfc4791_7_8_8_events_only_dav_bound_on_prop() -> None:
    query = webdav.parse_calendar_query(rfc("rfc4791-7.8.8-events-only.xml"))
    assert query == CalendarQuery(
        CompFilter("VCALENDAR", comp_filters=(CompFilter("VEVENT"),)),
        PropFind("prop", (D + "getetag", C + "calendar-data")),
        ms.Element(C + "calendar-data"),
    )


def test_rfc4791_7_8_10_a_property_the_server_may_not_support_reads() -> None:
    # The server answers 403 CALDAV:supported-filter for X-ABC-GUID: its own decision, not the reader's.
    vevent = webdav.parse_calendar_query(rfc("rfc4791-7.8.10-unsupported-property.xml")).filter.comp_filters[0]
    assert vevent.prop_filters == (PropFilter("X-ABC-GUID", text_matches=(TextMatch("ABC"),)),)


def test_rfc4791_7_8_9_is_not_defined_and_negate() -> None:
    vtodo = webdav.parse_calendar_query(rfc("rfc4791-7.8.9-pending-todos.xml")).filter.comp_filters[0]
    assert vtodo.prop_filters == (
        PropFilter("COMPLETED", is_not_defined=True),
        PropFilter("STATUS", text_matches=(TextMatch("CANCELLED", negate=True),)),
    )


def test_rfc4791_7_9_1_calendar_multiget() -> None:
    multiget = webdav.parse_multiget(rfc("rfc4791-7.9.1-multiget.xml"))
    assert multiget == Multiget(
        C + "calendar-multiget",
        ("/bernard/work/abcd1.ics", "/bernard/work/mtg1.ics"),
        PropFind("prop", (D + "getetag", C + "calendar-data")),
        ms.Element(C + "calendar-data"),
    )
    assert webdav.parse_report(rfc("rfc4791-7.9.1-multiget.xml")) == multiget


def test_calendar_query_timezone_allprop_and_extensions_ignored() -> None:
    body = (
        b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x"><!-- a comment --><D:allprop/>'
        b'<C:filter><C:comp-filter name="VCALENDAR"><X:future/><C:comp-filter name="VEVENT"><C:is-not-defined/>'
        b'</C:comp-filter><C:prop-filter name="DTSTART"><C:time-range end="20060105T000000Z"/></C:prop-filter>'
        b"</C:comp-filter></C:filter><C:timezone>BEGIN:VCALENDAR</C:timezone></C:calendar-query>"
    )
    query = webdav.parse_calendar_query(body)
    assert query == CalendarQuery(
        CompFilter(
            "VCALENDAR",
            prop_filters=(PropFilter("DTSTART", time_range=TimeRange(None, utc("20060105T000000Z"))),),
            comp_filters=(CompFilter("VEVENT", is_not_defined=True),),
        ),
        PropFind("allprop", ()),
        None,
        "BEGIN:VCALENDAR",
    )


Q = '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">{}</C:calendar-query>'
VEVENT = '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">{}</C:comp-filter></C:comp-filter></C:filter>'


@pytest.mark.parametrize(
    ("inner", "status", "message"),
    [
        pytest.param("<D:prop/>", 422, "needs one CALDAV:filter", id="no-filter"),
        pytest.param("<C:filter/>", 422, "holds one CALDAV:comp-filter", id="empty-filter"),
        pytest.param("<C:filter><C:comp-filter/></C:filter>", 422, "needs a name", id="no-name"),
        pytest.param(VEVENT.format('<C:time-range start="2006-01-04"/>'), 403, "UTC date-time", id="bad-date"),
        pytest.param(VEVENT.format('<C:time-range start="20060104T000000"/>'), 403, "UTC date-time", id="local-time"),
        pytest.param(VEVENT.format('<C:time-range start="20061304T000000Z"/>'), 403, "UTC date-time", id="month-13"),
        pytest.param(VEVENT.format("<C:time-range/>"), 403, "start or an end", id="open"),
        pytest.param(
            VEVENT.format('<C:time-range start="20060105T000000Z" end="20060104T000000Z"/>'),
            403,
            "ends before",
            id="backwards",
        ),
        pytest.param(
            VEVENT.format(
                '<C:prop-filter name="X"><C:text-match>a</C:text-match><C:text-match>b</C:text-match></C:prop-filter>'
            ),
            422,
            "at most one text-match",
            id="two-text-matches",
        ),
        pytest.param(
            VEVENT.format(
                '<C:prop-filter name="X"><C:text-match negate-condition="maybe">a</C:text-match></C:prop-filter>'
            ),
            422,
            "negate-condition",
            id="bad-negate",
        ),
        pytest.param("<D:prop/><D:allprop/>" + VEVENT.format(""), 422, "more than one", id="prop-and-allprop"),
    ],
)
def test_bad_calendar_queries(inner: str, status: int, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_calendar_query(Q.format(inner))
    assert info.value.status_hint == status
    assert message in str(info.value)
    if status == 403:
        assert isinstance(info.value, ms.ConditionFailed)
        assert info.value.condition == webdav.VALID_FILTER
        assert "C:time-range" in str(info.value)  # where


def test_deep_comp_filters_end_in_the_limit() -> None:
    nested = '<C:comp-filter name="X">' * 60 + "</C:comp-filter>" * 60
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_calendar_query(Q.format(f"<C:filter>{nested}</C:filter>"), limits=ms.Limits(max_depth=20))
    too_deep = '<C:comp-filter name="X">' * 300 + "</C:comp-filter>" * 300
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_calendar_query(Q.format(f"<C:filter>{too_deep}</C:filter>"))


# -- RFC 6352: CardDAV -------------------------------------------------------------------------

CARD_PROP = PropFind("prop", (D + "getetag", CR + "address-data"))


def test_rfc6352_8_6_3_query_equals() -> None:
    query = webdav.parse_addressbook_query(rfc("rfc6352-8.6.3-query.xml"))
    assert query.filters == (
        PropFilter("NICKNAME", text_matches=(TextMatch("me", "i;unicode-casemap", False, "equals"),), test="anyof"),
    )
    assert (query.test, query.limit, query.prop) == ("anyof", None, CARD_PROP)
    assert query.data is not None
    assert [e.attributes["{}name"] for e in query.data.elements] == ["VERSION", "UID", "NICKNAME", "EMAIL", "FN"]


def test_rfc6352_8_6_4_multiple_filters_anyof() -> None:
    query = webdav.parse_addressbook_query(rfc("rfc6352-8.6.4-multiple-filters.xml"))
    daboo = (TextMatch("daboo", "i;unicode-casemap", False, "contains"),)
    assert query.filters == (
        PropFilter("FN", text_matches=daboo, test="anyof"),
        PropFilter("EMAIL", text_matches=daboo, test="anyof"),
    )
    assert query.test == "anyof"


def test_rfc6352_8_6_5_limit() -> None:
    query = webdav.parse_addressbook_query(rfc("rfc6352-8.6.5-limit.xml"))
    assert query == AddressbookQuery(
        (PropFilter("FN", text_matches=(TextMatch("daboo", "i;unicode-casemap", False, "contains"),), test="anyof"),),
        "anyof",
        2,
        PropFind("prop", (D + "getetag",)),
        None,
    )
    assert webdav.parse_report(rfc("rfc6352-8.6.5-limit.xml")) == query


def test_rfc6352_8_7_1_addressbook_multiget() -> None:
    multiget = webdav.parse_multiget(rfc("rfc6352-8.7.1-multiget.xml"))
    assert (multiget.report, multiget.hrefs, multiget.prop) == (
        CR + "addressbook-multiget",
        ("/home/bernard/addressbook/vcf102.vcf", "/home/bernard/addressbook/vcf1.vcf"),
        CARD_PROP,
    )
    assert multiget.data is not None
    assert [e.attributes["{}name"] for e in multiget.data.elements] == ["VERSION", "UID", "NICKNAME", "EMAIL", "FN"]


def test_rfc6352_8_7_2_addressbook_multiget_of_vcard_4() -> None:
    multiget = webdav.parse_multiget(rfc("rfc6352-8.7.2-multiget-vcard4.xml"))
    assert multiget == Multiget(
        CR + "addressbook-multiget",
        ("/home/bernard/addressbook/vcf3.vcf",),
        CARD_PROP,
        ms.Element(CR + "address-data", attributes={"{}content-type": "text/vcard", "{}version": "4.0"}),
    )
    assert webdav.parse_report(rfc("rfc6352-8.7.2-multiget-vcard4.xml")) == multiget


def test_carddav_prop_filter_test_param_filter_and_empty_filter() -> None:
    body = (
        b'<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter test="allof">'
        b'<C:prop-filter name="TEL" test="allof"><C:text-match match-type="starts-with">+33</C:text-match>'
        b'<C:text-match match-type="ends-with" negate-condition="yes">0</C:text-match>'
        b'<C:param-filter name="TYPE"><C:text-match match-type="equals">work</C:text-match></C:param-filter>'
        b'<C:param-filter name="PREF"><C:is-not-defined/></C:param-filter></C:prop-filter>'
        b"</C:filter></C:addressbook-query>"
    )
    query = webdav.parse_addressbook_query(body)
    assert query == AddressbookQuery(
        (
            PropFilter(
                "TEL",
                text_matches=(
                    TextMatch("+33", "i;unicode-casemap", False, "starts-with"),
                    TextMatch("0", "i;unicode-casemap", True, "ends-with"),
                ),
                param_filters=(
                    ParamFilter("TYPE", text_match=TextMatch("work", "i;unicode-casemap", False, "equals")),
                    ParamFilter("PREF", is_not_defined=True),
                ),
                test="allof",
            ),
        ),
        "allof",
    )
    everything = b'<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter/></C:addressbook-query>'
    assert webdav.parse_addressbook_query(everything) == AddressbookQuery()


A = '<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">{}</C:addressbook-query>'


@pytest.mark.parametrize(
    ("inner", "status", "message"),
    [
        pytest.param("<D:prop/>", 422, "needs one CARDDAV:filter", id="no-filter"),
        pytest.param('<C:filter test="some"/>', 422, "anyof or allof", id="bad-test"),
        pytest.param(
            '<C:filter><C:prop-filter name="FN" test="x"/></C:filter>', 422, "anyof or allof", id="bad-prop-test"
        ),
        pytest.param(
            '<C:filter><C:prop-filter name="FN"><C:text-match match-type="regex">a</C:text-match></C:prop-filter></C:filter>',
            403,
            "match-type",
            id="bad-match-type",
        ),
        pytest.param(
            "<C:filter/><C:limit><C:nresults>x</C:nresults></C:limit>", 422, "positive integer", id="bad-nresults"
        ),
        pytest.param('<C:filter><C:prop-filter name=""/></C:filter>', 422, "needs a name", id="empty-name"),
    ],
)
def test_bad_addressbook_queries(inner: str, status: int, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_addressbook_query(A.format(inner))
    assert info.value.status_hint == status
    assert message in str(info.value)
    if status == 403:
        assert isinstance(info.value, ms.ConditionFailed)
        assert info.value.condition == webdav.CARDDAV_SUPPORTED_FILTER


@pytest.mark.parametrize(
    "body",
    [
        b'<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop xmlns:D="DAV:"/></C:calendar-multiget>',
        b'<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav"><D:href xmlns:D="DAV:"> </D:href></C:calendar-multiget>',
        b'<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>',
    ],
    ids=["no-href", "blank-href", "not-a-multiget"],
)
def test_bad_multigets(body: bytes) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_multiget(body)
    assert info.value.status_hint == 422


# -- parse_report: dispatch, extensions, unknown reports, hostile bodies -----------------------------


def test_unknown_reports_are_supported_report_failures() -> None:
    with pytest.raises(ms.ConditionFailed) as info:
        webdav.parse_report(b'<D:expand-property xmlns:D="DAV:"/>')
    assert (info.value.status_hint, info.value.condition) == (403, webdav.SUPPORTED_REPORT)
    assert "{DAV:}expand-property" in str(info.value)
    reply = webdav.error_reply(info.value.status_hint, info.value.condition, detail=str(info.value))
    assert reply.status == 403
    assert b"<D:supported-report/>" in reply.body


def test_extensions_read_their_own_reports_and_may_replace_a_built_in_one() -> None:
    seen: list[ms.Element] = []

    def mine(el: ms.Element) -> str:
        seen.append(el)
        return "mine"

    body = b'<X:top xmlns:X="urn:x" n="3"><X:by>size</X:by></X:top>'
    assert webdav.parse_report(body, extensions={"{urn:x}top": mine}) == "mine"
    assert seen[0] == webdav.parse_body(body)
    assert webdav.parse_report(rfc("rfc6578-3.8-initial-sync.xml"), extensions={D + "sync-collection": mine}) == "mine"
    with pytest.raises(ms.LimitExceeded):  # the same nesting rule for extensions
        webdav.parse_report(
            "<X:top xmlns:X='urn:x'>" + "<a>" * 70 + "</a>" * 70 + "</X:top>", extensions={"{urn:x}top": mine}
        )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        pytest.param(b"", ms.ParseError, id="empty"),
        pytest.param(b"<D:sync-collection xmlns:D='DAV:'>", ms.ParseError, id="malformed"),
        pytest.param(
            b'<!DOCTYPE x SYSTEM "http://evil/x.dtd"><D:sync-collection xmlns:D="DAV:"/>', ms.ParseError, id="dtd"
        ),
        pytest.param(
            b'<!DOCTYPE l [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><D:sync-collection xmlns:D="DAV:">'
            b"<D:sync-token>&b;</D:sync-token></D:sync-collection>",
            ms.ParseError,
            id="billion-laughs",
        ),
        pytest.param(b"<a>" * 300 + b"</a>" * 300, ms.LimitExceeded, id="deep"),
    ],
)
def test_hostile_report_bodies_end_in_the_library_error(body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        webdav.parse_report(body)


def test_a_huge_report_body_is_refused_by_its_size() -> None:
    body = (
        b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:prop>'
        + b"<D:getetag/>" * 100_000
        + b"</D:prop></D:sync-collection>"
    )
    assert len(webdav.parse_report(body).prop.names) == 1  # type: ignore[attr-defined]
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_report(body, limits=ms.Limits(max_bytes=100_000))


# -- RFC 5689 extended MKCOL and RFC 4791 MKCALENDAR ---------------------------------------------


def test_rfc5689_extended_mkcol_and_its_failure_answer() -> None:
    request = webdav.parse_mkcol(rfc("rfc5689-3.4-extended-mkcol.xml"))
    assert request is not None
    assert request.method == "MKCOL"
    assert request.resourcetype == (D + "collection", "{http://example.com/ns/}special-resource")
    assert [p.name for p in request] == [D + "resourcetype", D + "displayname"]
    assert request.props[1].value == "Special Resource"
    refused = webdav.mkcol_reply(request, {D + "resourcetype": (403, ms.Error([webdav.VALID_RESOURCETYPE]))})
    assert refused.status == 403
    root = webdav.parse_body(refused.body, D + "mkcol-response")
    statuses = [ps.find(D + "status").text for ps in root.elements]  # type: ignore[union-attr]
    assert statuses == ["HTTP/1.1 403 Forbidden", "HTTP/1.1 424 Failed Dependency"]
    assert root.elements[0].find(D + "error") == ms.Element(D + "error", [ms.Element(webdav.VALID_RESOURCETYPE)])
    made = webdav.mkcol_reply(request, headers=[("Location", "/dav/new/")])
    assert (made.status, made.header("Location")) == (201, "/dav/new/")
    assert b"HTTP/1.1 200 OK" in made.body
    # Only failed dependencies (the server refused for a reason outside the properties): 424, not StopIteration.
    held_back = webdav.mkcol_reply(request, {D + "resourcetype": 424, D + "displayname": 424})
    assert held_back.status == 424


def test_rfc4791_mkcalendar_keeps_values_and_cdata_text() -> None:
    request = webdav.parse_mkcalendar(rfc("rfc4791-5.3.1.2-mkcalendar.xml"))
    assert request is not None
    assert request.names == (
        D + "displayname",
        C + "calendar-description",
        C + "supported-calendar-component-set",
        C + "calendar-timezone",
    )
    assert (request.props[1].value, request.props[1].lang) == ("Calendar restricted to events.", "en")
    assert request.props[0].value == "Lisa's Events"
    assert str(request.props[3].value).startswith("BEGIN:VCALENDAR\nPRODID:")
    assert "(US & Canada)" in str(request.props[3].value)
    assert request.resourcetype == ()
    answer = webdav.mkcol_reply(request)
    assert webdav.parse_body(answer.body).tag == C + "mkcalendar-response"


@pytest.mark.parametrize(
    ("parse", "body", "status"),
    [
        pytest.param(webdav.parse_mkcol, b"<D:propertyupdate xmlns:D='DAV:'/>", 415, id="mkcol-other-root"),
        pytest.param(webdav.parse_mkcol, b"<D:mkcol xmlns:D='DAV:'/>", 422, id="mkcol-no-set"),
        pytest.param(webdav.parse_mkcol, b"<D:mkcol xmlns:D='DAV:'><D:set/></D:mkcol>", 422, id="mkcol-set-no-prop"),
        pytest.param(webdav.parse_mkcol, b"<D:mkcol xmlns:D='DAV:'>", 400, id="mkcol-malformed"),
        pytest.param(webdav.parse_mkcalendar, b"<D:mkcol xmlns:D='DAV:'/>", 422, id="mkcalendar-other-root"),
        pytest.param(
            webdav.parse_mkcalendar,
            b"<C:mkcalendar xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:set><D:prop/></D:set><D:set><D:prop/></D:set>"
            b"</C:mkcalendar>",
            422,
            id="mkcalendar-two-sets",
        ),
    ],
)
def test_bad_mkcol_bodies(parse: object, body: bytes, status: int) -> None:
    with pytest.raises(ms.ParseError) as info:
        parse(body)  # type: ignore[operator]
    assert info.value.status_hint == status


def test_empty_mkcol_bodies_are_plain() -> None:
    assert webdav.parse_mkcol(b"") is None
    assert webdav.parse_mkcalendar(b" \n") is None


def test_extension_elements_inside_filters_and_limits_are_ignored() -> None:
    body = (
        b'<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR">'
        b'<C:future/><C:prop-filter name="X"><C:future/><C:param-filter name="P"><C:future/></C:param-filter>'
        b"</C:prop-filter></C:comp-filter></C:filter></C:calendar-query>"
    )
    query = webdav.parse_calendar_query(body)
    assert query.filter == CompFilter("VCALENDAR", prop_filters=(PropFilter("X", param_filters=(ParamFilter("P"),)),))
    card = A.format(
        '<C:filter><C:prop-filter name="FN"><C:time-range start="20060104T000000Z"/></C:prop-filter></C:filter>'
    )
    assert webdav.parse_addressbook_query(card).filters == (PropFilter("FN", test="anyof"),)  # no time-range in CardDAV
    sync = b"<D:sync-collection xmlns:D='DAV:' xmlns:X='urn:x'><D:sync-token/><D:limit><X:hint/><D:nresults>5</D:nresults></D:limit></D:sync-collection>"
    assert webdav.parse_sync_collection(sync).limit == 5


# -- Hypothesis: every filter the values can hold is read back as written ----------------------------


def _stamp(when: datetime | None) -> str | None:
    return None if when is None else when.strftime("%Y%m%dT%H%M%SZ")


def _text_el(ns: str, match: TextMatch, carddav: bool) -> ms.Element:
    attributes = {"{}collation": match.collation, "{}negate-condition": "yes" if match.negate else "no"}
    if carddav:
        attributes["{}match-type"] = match.match_type
    return ms.Element(ns + "text-match", match.text, attributes)


def _time_el(ns: str, span: TimeRange) -> ms.Element:
    attributes = {k: v for k, v in (("{}start", _stamp(span.start)), ("{}end", _stamp(span.end))) if v is not None}
    return ms.Element(ns + "time-range", attributes=attributes)


def _prop_filter_el(ns: str, f: PropFilter, carddav: bool) -> ms.Element:
    children: list[ms.Element] = []
    if f.is_not_defined:
        children.append(ms.Element(ns + "is-not-defined"))
    if f.time_range is not None:
        children.append(_time_el(ns, f.time_range))
    children += [_text_el(ns, t, carddav) for t in f.text_matches]
    for p in f.param_filters:
        inner = [ms.Element(ns + "is-not-defined")] if p.is_not_defined else []
        inner += [_text_el(ns, p.text_match, carddav)] if p.text_match is not None else []
        children.append(ms.Element(ns + "param-filter", inner, {"{}name": p.name}))
    attributes = {"{}name": f.name, **({"{}test": f.test} if carddav else {})}
    return ms.Element(ns + "prop-filter", children, attributes)


def _comp_filter_el(f: CompFilter) -> ms.Element:
    children = [ms.Element(C + "is-not-defined")] if f.is_not_defined else []
    children += [_time_el(C, f.time_range)] if f.time_range is not None else []
    children += [_prop_filter_el(C, p, False) for p in f.prop_filters]
    children += [_comp_filter_el(c) for c in f.comp_filters]
    return ms.Element(C + "comp-filter", children, {"{}name": f.name})


@given(comp_filters())
def test_calendar_filters_read_back_as_written(tree: CompFilter) -> None:
    body = ms.Element(C + "calendar-query", [ms.Element(C + "filter", [_comp_filter_el(tree)])])
    assert webdav.parse_calendar_query(webdav.write_body(body)).filter == tree


@given(st.lists(prop_filters(True), max_size=3), st.sampled_from(["anyof", "allof"]), st.none() | st.integers(1, 10**6))
def test_addressbook_filters_read_back_as_written(filters: list[PropFilter], test: str, limit: int | None) -> None:
    parts = [ms.Element(CR + "filter", [_prop_filter_el(CR, f, True) for f in filters], {"{}test": test})]
    if limit is not None:
        parts.append(ms.Element(CR + "limit", [ms.Element(CR + "nresults", str(limit))]))
    query = webdav.parse_addressbook_query(webdav.write_body(ms.Element(CR + "addressbook-query", parts)))
    assert query == AddressbookQuery(tuple(filters), test, limit)  # type: ignore[arg-type]


def test_condition_failed_pickles_with_its_condition() -> None:
    import pickle

    with pytest.raises(ms.ConditionFailed) as info:
        webdav.parse_report(b'<D:acl-principal-prop-set xmlns:D="DAV:"/>')
    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), again.condition, str(again)) == (ms.ConditionFailed, webdav.SUPPORTED_REPORT, str(info.value))
    assert isinstance(again, ValueError)
