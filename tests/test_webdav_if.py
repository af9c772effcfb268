"""multistatus.webdav: the If header (RFC 4918 §10.4) and conditional requests (RFC 9110 §13)."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus import webdav
from multistatus.webdav import IfCondition, IfHeader, IfList, ResourceState

from .strategies import if_headers, render_if

T1 = "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"
T2 = "urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092"


# -- RFC 4918 §10.4.6 - §10.4.11, parsed and evaluated ---------------------------------


def test_rfc4918_10_4_6_no_tag_list() -> None:
    header = webdav.parse_if(f'(<{T1}>\r\n    ["I am an ETag"])\r\n    (["I am another ETag"])')
    assert header == IfHeader(
        (
            IfList(None, (IfCondition("token", T1), IfCondition("etag", '"I am an ETag"'))),
            IfList(None, (IfCondition("etag", '"I am another ETag"'),)),
        )
    )
    assert not header.tagged
    assert header.tokens == (T1,)
    # (locked with T1 AND etag "I am an ETag") OR etag "I am another ETag"
    assert header.evaluate(ResourceState(etag='"I am an ETag"', lock_tokens=[T1]))
    assert header.evaluate(ResourceState(etag='"I am another ETag"'))
    assert not header.evaluate(ResourceState(etag='"I am an ETag"'))  # not locked with T1
    assert not header.evaluate(ResourceState(etag='"other"', lock_tokens=[T1]))


def test_rfc4918_10_4_7_not_in_a_no_tag_list() -> None:
    header = webdav.parse_if(f"(Not <{T1}>\r\n    <{T2}>)")
    assert header.lists[0].conditions == (IfCondition("token", T1, negated=True), IfCondition("token", T2))
    assert header.tokens == (T1, T2)
    assert header.evaluate(ResourceState(lock_tokens=[T2]))
    assert not header.evaluate(ResourceState(lock_tokens=[T1, T2]))
    assert not header.evaluate(ResourceState())


def test_rfc4918_10_4_8_always_true_and_the_token_still_submitted() -> None:
    header = webdav.parse_if(f"(<{T1}>)\r\n    (Not <DAV:no-lock>)")
    for state in (ResourceState(), ResourceState(lock_tokens=[T1]), ResourceState(exists=False)):
        assert header.evaluate(state)
    assert header.tokens == (T1, "DAV:no-lock")
    verdict = webdav.evaluate_conditions("PUT", {"If": f"(<{T1}>) (Not <DAV:no-lock>)"}, ResourceState())
    assert verdict.proceed
    assert T1 in verdict.tokens


def test_rfc4918_10_4_9_tagged_list_in_copy() -> None:
    # COPY /resource1, Destination: /resource2.  "Either it must be locked with a lock token of
    # urn:uuid:181d4fae-... and have a weak entity tag W/"A weak ETag" or it must have a strong
    # entity tag "strong ETag"": the first list holds for a weak tag, so tags compare weakly (§10.4.4).
    header = webdav.parse_if(f'</resource1>\r\n    (<{T1}>\r\n    [W/"A weak ETag"]) (["strong ETag"])')
    assert header == IfHeader(
        (
            IfList("/resource1", (IfCondition("token", T1), IfCondition("etag", 'W/"A weak ETag"'))),
            IfList("/resource1", (IfCondition("etag", '"strong ETag"'),)),
        )
    )
    assert header.tagged
    assert header.tokens == (T1,)
    weak = ResourceState(etag='W/"A weak ETag"', lock_tokens=[T1])
    strong = ResourceState(etag='"strong ETag"')
    for resource1 in (weak, strong):
        assert header.evaluate(ResourceState(), {"/resource1": resource1}.get)
    for resource1 in (ResourceState(etag='W/"A weak ETag"'), ResourceState(etag='"other"', lock_tokens=[T1]), None):
        assert not header.evaluate(ResourceState(), {"/resource1": resource1}.get)
    verdict = webdav.evaluate_conditions("COPY", {"If": f'</resource1> (<{T1}> [W/"A weak ETag"])'}, weak)
    assert verdict.status == 412  # the tag names /resource1, which lookup does not know here: unmapped
    verdict = webdav.evaluate_conditions(
        "COPY", {"If": f'</resource1> (<{T1}> [W/"A weak ETag"])'}, weak, lookup={"/resource1": weak}.get
    )
    assert (verdict.proceed, verdict.tokens) == (True, (T1,))


def test_rfc4918_10_4_10_matching_lock_tokens_with_collection_locks() -> None:
    # DELETE /specs/rfc2518.doc, the lock being a depth-infinity lock on /specs/.
    header = webdav.parse_if(f"<http://www.example.com/specs/>\r\n    (<{T1}>)")
    assert header.tagged
    assert header.lists[0].resource == "http://www.example.com/specs/"
    states = {"/specs/": ResourceState(lock_tokens=[T1]), "/specs/rfc2518.doc": ResourceState(lock_tokens=[T1])}
    asked: list[str] = []

    def lookup(tag: str) -> ResourceState | None:
        asked.append(tag)
        return states.get(webdav.parse_destination(tag, "http://www.example.com/specs/rfc2518.doc").path)

    assert header.evaluate(states["/specs/rfc2518.doc"], lookup)
    assert asked == ["http://www.example.com/specs/"]
    assert not header.evaluate(ResourceState(), lambda tag: ResourceState(lock_tokens=[T2]))
    assert not header.evaluate(ResourceState(lock_tokens=[T1]))  # no lookup: the tagged resource is unmapped


def test_rfc4918_10_4_11_matching_etags_on_unmapped_urls() -> None:
    unmapped = {"/specs/rfc2518.doc": None}
    assert not webdav.parse_if('</specs/rfc2518.doc> (["4217"])').evaluate(ResourceState(), unmapped.get)
    assert webdav.parse_if('</specs/rfc2518.doc> (Not ["4217"])').evaluate(ResourceState(), unmapped.get)


@pytest.mark.parametrize(("current", "status"), [("http://example.com/ns/sync/12345", None), ("urn:t:later", 412)])
def test_rfc6578_5_sync_tokens_in_the_if_header(current: str, status: int | None) -> None:
    # RFC 6578 §5.1 (PUT, 201) and §5.2 (MKCOL after another change, 412): the collection's current
    # sync token is one of its state tokens.
    collection = {"/home/cyrusdaboo/collection/": ResourceState(lock_tokens=[current])}
    value = "</home/cyrusdaboo/collection/>\r\n  (<http://example.com/ns/sync/12345>)"
    verdict = webdav.evaluate_conditions("PUT", {"If": value}, ResourceState(exists=False), lookup=collection.get)
    assert verdict.status == status


def test_tagged_lists_each_apply_to_their_own_resource() -> None:
    header = webdav.parse_if(f'</a> (<{T1}>) (["x"]) </b> (<{T2}>)')
    assert [lst.resource for lst in header.lists] == ["/a", "/a", "/b"]
    calls: list[str] = []

    def lookup(tag: str) -> ResourceState | None:
        calls.append(tag)
        return {"/b": ResourceState(lock_tokens=[T2])}.get(tag)

    assert header.evaluate(ResourceState(), lookup)
    assert calls == ["/a", "/b"]  # each resource looked up once


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="blank"),
        pytest.param("(", "not closed", id="open"),
        pytest.param("()", "no condition", id="empty-list"),
        pytest.param("(<urn:x>", "not closed", id="unclosed"),
        pytest.param("<urn:x", "'<' is not closed", id="tag-unclosed"),
        pytest.param("(<urn:x)", "'<' is not closed", id="token-unclosed"),
        pytest.param("(<no scheme>)", "not an absolute URI", id="token-not-uri"),
        pytest.param("(<>)", "not an absolute URI", id="token-empty"),
        pytest.param("(urn:x)", "expected a state token", id="token-bare"),
        pytest.param('(["x")', "not closed with ']'", id="etag-unclosed"),
        pytest.param("([x])", "expected an entity tag", id="etag-unquoted"),
        pytest.param("(Not)", "after 'Not'", id="not-alone"),
        pytest.param("(Nothing <urn:x>)", "after 'Not'", id="not-word"),
        pytest.param("(Not", "not closed", id="not-at-end"),
        pytest.param("(<urn:x>) </a> (<urn:y>)", "do not mix", id="untagged-then-tagged"),
        pytest.param("</a> (<urn:x>) (<urn:y>) x", "expected '(' or '<'", id="junk"),
        pytest.param("</a>", "needs a list", id="tag-alone"),
        pytest.param("</a> </b> (<urn:x>)", "needs a list", id="two-tags"),
        pytest.param("<> (<urn:x>)", "is not a URI", id="tag-empty"),
        pytest.param("</a b> (<urn:x>)", "is not a URI", id="tag-space"),
    ],
)
def test_malformed_if_headers_say_what_and_where(value: str, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_if(value)
    assert message in str(info.value)
    assert info.value.status_hint == 400
    if value.strip():
        assert "character" in str(info.value)


def test_if_header_parsing_is_linear_on_a_long_header() -> None:
    many = '(<urn:x> ["e"]) ' * 20_000
    assert len(webdav.parse_if(many).lists) == 20_000
    with pytest.raises(ms.ParseError):
        webdav.parse_if("(" + "Not " * 50_000)
    with pytest.raises(ms.ParseError):
        webdav.parse_if("(<" + "a" * 200_000)


@given(if_headers())
def test_if_headers_read_back_what_was_written(header: IfHeader) -> None:
    assert webdav.parse_if(render_if(header)) == header


@given(if_headers(), st.sets(st.sampled_from(["urn:a", "urn:b", "DAV:no-lock"])), st.sampled_from([None, '"1"', '"2"']))
def test_if_evaluation_is_any_list_all_conditions(header: IfHeader, tokens: set[str], etag: str | None) -> None:
    state = ResourceState(etag=etag, lock_tokens=tokens)

    def holds(c: IfCondition, s: ResourceState) -> bool:
        found = c.value in s.lock_tokens if c.kind == "token" else webdav.weak_match(c.value, s.etag)
        return found != c.negated

    unmapped = ResourceState(exists=False)
    expected = any(
        all(holds(c, state if lst.resource is None else unmapped) for c in lst.conditions) for lst in header.lists
    )
    assert header.evaluate(state) == expected


# -- entity tags and dates ------------------------------------------------------------


def test_etag_comparisons() -> None:
    assert webdav.strong_match('"a"', '"a"')
    assert not webdav.strong_match('W/"a"', 'W/"a"')
    assert not webdav.strong_match(None, '"a"')
    assert not webdav.weak_match('"a"', None)
    assert webdav.weak_match('W/"a"', '"a"')
    assert not webdav.weak_match('"a"', '"b"')


def test_strong_etags_change_with_content(tmp_path: object) -> None:
    assert webdav.strong_etag(b"a") != webdav.strong_etag(b"b")
    assert webdav.strong_etag(iter([b"ab", b"c"])) == webdav.strong_etag(memoryview(b"abc"))
    ResourceState(etag=webdav.strong_etag(b"x"))  # a valid entity tag


def test_stat_etags_change_with_a_write(tmp_path: pytest.TempPathFactory) -> None:
    import os
    from pathlib import Path

    path = Path(str(tmp_path)) / "f"
    path.write_bytes(b"one")
    first = webdav.stat_etag(os.stat(path))
    path.write_bytes(b"three")
    assert webdav.stat_etag(os.stat(path)) != first
    ResourceState(etag=first)


@pytest.mark.parametrize(
    "value",
    ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"],
    ids=["imf-fixdate", "rfc850", "asctime"],
)
def test_the_three_http_date_forms(value: str) -> None:
    assert webdav.parse_http_date(value) == 784111777


@pytest.mark.parametrize(
    "value",
    [None, "", "yesterday", "x" * 100, "Sun, 06 Nov 99999 08:49:37 GMT", "Sun, 06 Nov 9999999999999 08:49:37 GMT"],
)
def test_what_is_not_an_http_date_is_none(value: str | None) -> None:
    assert webdav.parse_http_date(value) is None


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", id="a-list"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT, x", id="trailing-junk"),
        pytest.param("Sun, 06 Nov 1994 25:49:37 GMT", id="hour-25"),
        pytest.param("Sun, 31 Feb 1994 08:49:37 GMT", id="february-31"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 +0100", id="numeric-zone"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 EST", id="other-zone"),
        pytest.param("Sun, 06 Nov 1994 08:49:37", id="no-zone"),
        pytest.param("Sun, 06 Nov 1994 08:49 GMT", id="no-seconds"),
        pytest.param("Sun, 06 Nov 94 08:49:37 GMT", id="imf-two-digit-year"),
        pytest.param("sun, 06 nov 1994 08:49:37 gmt", id="lower-case"),
        pytest.param("Sun,  06 Nov 1994 08:49:37 GMT", id="two-spaces"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT ", id="trailing-space"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT\r\nX: y", id="line-break"),
        pytest.param("Sun, ٠٦ Nov 1994 08:49:37 GMT", id="arabic-digits"),
        pytest.param("Sun, 06 Nov 1994 08:49:61 GMT", id="second-61"),
    ],
)
def test_only_the_three_forms_exactly_are_http_dates(value: str) -> None:
    # RFC 9110 §5.6.7, §13.1.3, §13.1.4: anything else (a list of dates included) is not a date, and
    # the field is ignored.
    assert webdav.parse_http_date(value) is None


def test_two_date_fields_are_a_list_and_ignored() -> None:
    state = ResourceState(etag='"v2"', last_modified=784111777)
    two = [
        ("If-Modified-Since", "Mon, 07 Nov 1994 08:49:37 GMT"),
        ("If-Modified-Since", "Sat, 05 Nov 1994 08:49:37 GMT"),
    ]
    assert webdav.evaluate_conditions("GET", two, state).proceed
    two = [
        ("If-Unmodified-Since", "Sat, 05 Nov 1994 08:49:37 GMT"),
        ("If-Unmodified-Since", "Mon, 07 Nov 1994 08:49:37 GMT"),
    ]
    assert webdav.evaluate_conditions("PUT", two, state).proceed


def test_a_two_digit_year_more_than_50_years_ahead_is_in_the_past() -> None:
    assert webdav.parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777  # (2094: 1994)
    now = datetime.now(timezone.utc).year
    ahead = (now + 10) % 100
    got = webdav.parse_http_date(f"Monday, 01-Jan-{ahead:02d} 00:00:00 GMT")
    assert got is not None
    assert datetime.fromtimestamp(got, timezone.utc).year == now + 10
    assert webdav.parse_http_date("Sun, 06 Nov 1994 08:49:60 GMT") == 784111799  # (a leap second: :59)


def test_resource_state_checks_its_values() -> None:
    with pytest.raises(ms.ParseError):
        ResourceState(etag="unquoted")
    with pytest.raises(ms.ParseError):
        ResourceState(etag='"a" "b"')
    with pytest.raises(ValueError, match="aware"):
        ResourceState(last_modified=datetime(2020, 1, 1))
    aware = datetime(1994, 11, 6, 8, 49, 37, 900_000, tzinfo=timezone.utc)
    assert ResourceState(last_modified=aware).last_modified == 784111777


# -- RFC 9110 §13.2.2: each header x method x match / no match -----------------------------

OLD = "Sat, 05 Nov 1994 08:49:37 GMT"  # before the resource's modification
NEW = "Mon, 07 Nov 1994 08:49:37 GMT"  # after it
STATE = ResourceState(etag='"v2"', last_modified=784111777)
METHODS = ["GET", "HEAD", "PUT", "DELETE", "COPY", "MOVE", "PROPPATCH", "MKCOL", "LOCK", "PROPFIND"]
SAFE = {"GET", "HEAD"}

# (header, value, resource state, whether the condition holds)
CASES = [
    ("If-Match", '"v2"', STATE, True),
    ("If-Match", '"v1", "v2"', STATE, True),
    ("If-Match", '"v1"', STATE, False),
    ("If-Match", 'W/"v2"', STATE, False),  # strong comparison
    ("If-Match", "*", STATE, True),
    ("If-Match", "*", ResourceState(exists=False), False),
    ("If-None-Match", '"v1"', STATE, True),
    ("If-None-Match", 'W/"v2"', STATE, False),  # weak comparison
    ("If-None-Match", "*", STATE, False),
    ("If-None-Match", "*", ResourceState(exists=False), True),
    ("If-Unmodified-Since", NEW, STATE, True),
    ("If-Unmodified-Since", OLD, STATE, False),
    ("If-Unmodified-Since", "not a date", STATE, True),  # ignored
    ("If-Modified-Since", OLD, STATE, True),
    ("If-Modified-Since", NEW, STATE, False),
    ("If-Modified-Since", "not a date", STATE, True),  # ignored
    ("If", '(["v2"])', STATE, True),
    ("If", '(["v1"])', STATE, False),
    ("If", '([W/"v2"])', STATE, True),  # weak comparison (RFC 4918 §10.4.4, §10.4.9)
    ("If", '([W/"v1"])', STATE, False),
    ("If", '(["v2"])', ResourceState(etag='W/"v2"'), True),
    ("If", f"(<{T1}>)", ResourceState(lock_tokens=[T1]), True),
    ("If", f"(<{T1}>)", STATE, False),
    ("If", "(Not <DAV:no-lock>)", STATE, True),
]


def _expected(header: str, holds: bool, method: str) -> int | None:
    if holds:
        return None
    if header == "If-Modified-Since":
        return 304 if method in SAFE else None  # only GET and HEAD
    if header == "If-None-Match" and method in SAFE:
        return 304
    return 412


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("header", "value", "state", "holds"),
    [
        pytest.param(*case, id=f"{case[0]}:{case[1]}:{'match' if case[3] else 'no-match'}-{i}")
        for i, case in enumerate(CASES)
    ],
)
def test_the_conditional_matrix(method: str, header: str, value: str, state: ResourceState, holds: bool) -> None:
    verdict = webdav.evaluate_conditions(method, {header: value}, state)
    assert verdict.status == _expected(header, holds, method)
    assert verdict.field == (None if verdict.status is None else header)
    assert verdict.proceed == (verdict.status is None)


def test_if_with_a_matching_quoted_etag() -> None:
    assert webdav.evaluate_conditions("PUT", {"If": '(["v2"])'}, ResourceState(etag='"v2"')).proceed
    assert webdav.evaluate_conditions("PUT", {"If": '(Not ["v2"])'}, ResourceState(etag='"v2"')).status == 412


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "CONNECT"])
def test_methods_that_select_nothing_ignore_the_http_fields(method: str) -> None:
    assert webdav.evaluate_conditions(method, {"If-Match": '"nope"'}, STATE).proceed
    assert webdav.evaluate_conditions(method, {"If": '(["nope"])'}, STATE).status == 412


def test_the_evaluation_order_of_rfc9110() -> None:
    # If-Match decides before If-None-Match; If-Unmodified-Since is ignored beside If-Match.
    both = {"If-Match": '"v2"', "If-Unmodified-Since": OLD, "If-None-Match": '"v2"'}
    assert webdav.evaluate_conditions("PUT", both, STATE).field == "If-None-Match"
    assert webdav.evaluate_conditions("PUT", {**both, "If-Match": '"v1"'}, STATE).field == "If-Match"
    # If-Modified-Since is ignored beside If-None-Match.
    assert webdav.evaluate_conditions("GET", {"If-None-Match": '"v1"', "If-Modified-Since": NEW}, STATE).proceed
    # The If header first: 412 even where If-None-Match would give 304.
    verdict = webdav.evaluate_conditions("GET", {"If": '(["x"])', "If-None-Match": '"v2"'}, STATE)
    assert (verdict.status, verdict.field) == (412, "If")
    # Dates are ignored for a resource without a modification time.
    assert webdav.evaluate_conditions("GET", {"If-Modified-Since": NEW}, ResourceState(etag='"x"')).proceed
    assert webdav.evaluate_conditions("PUT", {"If-Unmodified-Since": OLD}, ResourceState(exists=False)).proceed


def test_header_names_any_case_pairs_and_repeats() -> None:
    pairs = [("if-match", '"v1"'), ("IF-MATCH", '"v2"'), ("Content-Type", "text/plain")]
    assert webdav.evaluate_conditions("PUT", pairs, STATE).proceed  # joined: "v1", "v2"
    split_if = [("If", f"(<{T1}>)"), ("If", "(Not <DAV:no-lock>)")]
    verdict = webdav.evaluate_conditions("PUT", split_if, STATE)
    assert verdict.proceed
    assert verdict.tokens == (T1, "DAV:no-lock")
    assert webdav.evaluate_conditions("PUT", {}, STATE) == webdav.Evaluation()


@pytest.mark.parametrize(
    ("name", "value"),
    [("If-Match", ""), ("If-Match", "v1"), ("If-None-Match", '"a" "b"'), ("If-None-Match", '"a", x'), ("If", "x")],
)
def test_malformed_conditional_fields_are_parse_errors(name: str, value: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.evaluate_conditions("PUT", {name: value}, STATE)
    assert info.value.status_hint == 400
    assert name in str(info.value)


def test_etag_lists_allow_empty_elements() -> None:
    assert webdav.evaluate_conditions("PUT", {"If-Match": ' , "v2" ,, '}, STATE).proceed


@pytest.mark.parametrize(("a", "b"), list(itertools.product(['"v2"', 'W/"v2"'], repeat=2)))
def test_if_none_match_on_get_compares_weakly(a: str, b: str) -> None:
    assert webdav.evaluate_conditions("GET", {"If-None-Match": a}, ResourceState(etag=b)).status == 304


def test_resource_tags_may_hold_raw_non_ascii_paths_state_tokens_may_not() -> None:
    # A tag is only looked up (some clients send raw UTF-8 paths, read as Latin-1 by WSGI);
    # a state token may go back into a Lock-Token header, so it is visible ASCII or refused.
    header = webdav.parse_if(f"</dav/caf\xc3\xa9/> (<{T1}>)")
    assert header.lists[0].resource == "/dav/caf\xc3\xa9/"
    with pytest.raises(ms.ParseError, match="not an absolute URI"):
        webdav.parse_if("</dav/> (<urn:caf\xc3\xa9>)")


def test_if_fields_a_wsgi_server_joined_with_a_comma() -> None:
    # werkzeug's and gunicorn's servers join repeated fields with ",": two If fields arrive as one.
    joined = f"(<{T1}>),(Not <DAV:no-lock>)"
    assert webdav.parse_if(joined) == webdav.parse_if(f"(<{T1}>) (Not <DAV:no-lock>)")
    assert webdav.parse_if(f'</a> (<{T1}>), </b> (["x"])').lists[1].resource == "/b"
    verdict = webdav.evaluate_conditions("PUT", {"If": joined}, ResourceState())
    assert (verdict.proceed, verdict.tokens) == (True, (T1, "DAV:no-lock"))
    for bad in (f"(<{T1}>,<{T2}>)", f"(<{T1}>) , </a> (<{T2}>)", ",", f"</a>, (<{T1}>)"):
        with pytest.raises(ms.ParseError):
            webdav.parse_if(bad)
