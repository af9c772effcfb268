"""multistatus.webdav, class 2: LOCK bodies, Timeout, Lock-Token, lock values and their XML; parse_body."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given

import multistatus as ms
from multistatus import webdav
from multistatus.webdav import ActiveLock, LockInfo

from .strategies import elements

DATA = Path(__file__).parent / "data"
D = "{DAV:}"

# RFC 4918 §9.10.7, the request body of "Simple Lock Request".
RFC_LOCKINFO = b"""<?xml version="1.0" encoding="utf-8" ?>
     <D:lockinfo xmlns:D='DAV:'>
       <D:lockscope><D:exclusive/></D:lockscope>
       <D:locktype><D:write/></D:locktype>
       <D:owner>
         <D:href>http://example.org/~ejw/contact.html</D:href>
       </D:owner>
     </D:lockinfo>"""
RFC_TOKEN = "urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4"


def test_rfc4918_simple_lock_request_and_its_answer() -> None:
    info = webdav.parse_lockinfo(RFC_LOCKINFO)
    assert info is not None
    assert (info.scope, info.type) == ("exclusive", "write")
    assert info.owner is not None
    assert info.owner.tag == D + "owner"
    assert info.owner.find(D + "href").text == "http://example.org/~ejw/contact.html"  # type: ignore[union-attr]
    assert webdav.parse_timeout("Infinite, Second-4100000000") == 604800  # the RFC's server granted a week
    lock = ActiveLock(RFC_TOKEN, "http://example.com/workspace/webdav/proposal.doc", timeout=604800, owner=info.owner)
    answer = webdav.lock_reply(lock)
    assert answer.status == 200
    assert answer.header("Lock-Token") == f"<{RFC_TOKEN}>"
    assert answer.header("Content-Type") == "text/xml; charset=utf-8"
    prop = webdav.parse_body(answer.body, D + "prop")
    (activelock,) = prop.find(D + "lockdiscovery").elements  # type: ignore[union-attr]
    assert [e.tag for e in activelock.elements] == [
        D + n for n in ("lockscope", "locktype", "depth", "owner", "timeout", "locktoken", "lockroot")
    ]
    assert activelock.find(D + "owner") == info.owner  # the owner exactly as the client sent it
    assert activelock.find(D + "timeout").text == "Second-604800"  # type: ignore[union-attr]
    assert activelock.find(D + "locktoken").find(D + "href").text == RFC_TOKEN  # type: ignore[union-attr]
    assert activelock.find(D + "depth").text == "infinity"  # type: ignore[union-attr]


def test_our_activelock_has_what_apache_sends() -> None:
    apache = webdav.parse_body((DATA / "apache2" / "20-lock-member.xml").read_bytes(), D + "prop")
    theirs = apache.find(D + "lockdiscovery").find(D + "activelock")  # type: ignore[union-attr]
    owner = theirs.find(D + "owner")  # type: ignore[union-attr]
    token = theirs.find(D + "locktoken").find(D + "href").text.strip()  # type: ignore[union-attr]
    ours = ActiveLock(token, "/dav/locktest/member", timeout=3600, owner=owner).element()
    assert {e.tag for e in theirs.elements} <= {e.tag for e in ours.elements}  # type: ignore[union-attr]
    for tag in ("locktype", "lockscope", "owner", "timeout"):
        assert ours.find(D + tag) == theirs.find(D + tag)  # type: ignore[union-attr]


def test_refresh_and_created_answers() -> None:
    lock = ActiveLock(RFC_TOKEN, "/dav/new.txt", scope="shared", depth="0")
    assert webdav.lock_reply(lock, refreshed=True).header("Lock-Token") is None
    created = webdav.lock_reply(lock, created=True, headers=[("X-Extra", "1")])
    assert created.status == 201
    assert created.header("X-Extra") == "1"
    with pytest.raises(ValueError, match="header"):
        webdav.lock_reply(lock, headers=[("X", "a\r\nSet-Cookie: x")])


def test_an_empty_lock_body_is_a_refresh() -> None:
    assert webdav.parse_lockinfo(b"") is None
    assert webdav.parse_lockinfo(io.BytesIO(b"  \n")) is None


def test_owner_keeps_text_elements_attributes_and_the_language_in_scope() -> None:
    body = (
        b'<D:lockinfo xmlns:D="DAV:" xml:lang="de"><D:lockscope><D:shared/></D:lockscope>'
        b'<D:locktype><D:write/></D:locktype><D:owner x:id="7" xmlns:x="urn:x">Gr\xc3\xbc\xc3\x9fe <x:b>fett</x:b> '
        b"</D:owner><D:future-extension/></D:lockinfo>"
    )
    info = webdav.parse_lockinfo(body)
    assert info == LockInfo(
        "shared",
        ms.Element(
            D + "owner",
            ["Grüße ", ms.Element("{urn:x}b", "fett"), " "],
            {"{urn:x}id": "7", "{http://www.w3.org/XML/1998/namespace}lang": "de"},
        ),
    )
    assert ActiveLock("urn:x:1", "/a", owner=info.owner).element().find(D + "owner") == info.owner


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        pytest.param(b"<lockinfo xmlns='DAV:'>", 400, "malformed", id="malformed"),
        pytest.param(b"<!DOCTYPE x [<!ENTITY e 'x'>]><lockinfo xmlns='DAV:'/>", 400, "DTD", id="dtd"),
        pytest.param(b"<propfind xmlns='DAV:'/>", 422, "DAV:lockinfo", id="not-lockinfo"),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><locktype><write/></locktype></lockinfo>", 422, "lockscope", id="no-scope"
        ),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><lockscope><exclusive/></lockscope></lockinfo>", 422, "locktype", id="no-type"
        ),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><lockscope><exclusive/><shared/></lockscope><locktype><write/></locktype></lockinfo>",
            422,
            "DAV:exclusive or DAV:shared",
            id="two-scopes-in-one",
        ),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><lockscope><exclusive/></lockscope><lockscope><shared/></lockscope></lockinfo>",
            422,
            "more than one DAV:lockscope",
            id="two-lockscopes",
        ),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><lockscope><exclusive/></lockscope><locktype><read/></locktype></lockinfo>",
            422,
            "DAV:write",
            id="read-lock",
        ),
        pytest.param(
            b"<lockinfo xmlns='DAV:'><lockscope><exclusive/></lockscope>"
            b"<locktype><write/></locktype><locktype><write/></locktype></lockinfo>",
            422,
            "more than one DAV:locktype",
            id="two-locktypes",
        ),
        pytest.param(b"<lockinfo xmlns='DAV:'><lockscope/></lockinfo>", 422, "nothing", id="empty-scope"),
    ],
)
def test_bad_lock_bodies_say_what_and_where(body: bytes, status: int, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_lockinfo(body)
    assert info.value.status_hint == status
    assert message in str(info.value)


def test_hostile_lock_bodies_end_in_the_library_error() -> None:
    deep = b"<lockinfo xmlns='DAV:'><owner>" + b"<a>" * 100 + b"</a>" * 100 + b"</owner></lockinfo>"
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_lockinfo(deep)
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_lockinfo(RFC_LOCKINFO, limits=ms.Limits(max_bytes=64))
    laughs = b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><lockinfo xmlns="DAV:">&b;</lockinfo>'
    with pytest.raises(ms.ParseError, match="DTD"):
        webdav.parse_lockinfo(laughs)


@pytest.mark.parametrize(
    ("value", "granted"),
    [
        (None, 3600),
        ("Second-600", 600),
        ("second-600", 600),
        ("Infinite", 604800),
        ("Second-4294967295", 604800),
        (" , Second-10 , Infinite", 10),
        ("Second-00000000000000000600", 600),  # (1*DIGIT: leading zeros are digits too)
    ],
)
def test_timeout_policy(value: str | None, granted: int) -> None:
    assert webdav.parse_timeout(value) == granted


def test_timeout_without_a_cap_and_default() -> None:
    assert webdav.parse_timeout("Infinite", maximum=None) is None
    assert webdav.parse_timeout("Second-99999999", maximum=None) == 99999999
    assert webdav.parse_timeout(None, default=None) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        " , ",
        "Second-",
        "Second-x",
        "Minute-5",
        "Second-4294967296",
        "Second-" + "9" * 5000,
        "Second-" + "0" * 5000 + "4294967296",
        "Second-٣",
        "Second-+5",
        "Second-5_0",
    ],
)
def test_bad_timeouts(value: str) -> None:
    with pytest.raises(ms.ParseError):
        webdav.parse_timeout(value)


def test_lock_token_and_depth_headers() -> None:
    assert webdav.parse_lock_token(f"<{RFC_TOKEN}>") == RFC_TOKEN
    for bad in (None, "", RFC_TOKEN, "<>", "<no scheme>", "<urn:a b>", "<urn:x>>", *(f"<{t}>" for t in NOT_ASCII)):
        with pytest.raises(ms.ParseError):
            webdav.parse_lock_token(bad)
    assert webdav.parse_lock_depth(None) == "infinity"
    assert webdav.parse_lock_depth("0") == "0"
    with pytest.raises(ms.ParseError):
        webdav.parse_lock_depth("1")


def test_new_lock_tokens_are_unique_urns() -> None:
    tokens = {webdav.new_lock_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(webdav.parse_lock_token(f"<{t}>") == t for t in tokens)


#: Tokens with what no URI holds: a C1 control (NEL), Latin-1 and other non-ASCII letters, a
#: line separator.  In a Lock-Token header they would break the line or not encode at all.
NOT_ASCII = ["urn:x\x85", "urn:caf\xe9", "urn:x\u2028y", "urn:\u0130", "urn:x\x9b"]


@pytest.mark.parametrize("token", NOT_ASCII)
def test_a_token_that_is_not_visible_ascii_never_reaches_a_header(token: str) -> None:
    with pytest.raises(ValueError, match="not an absolute URI"):
        webdav.lock_reply(ActiveLock(token, "/a"))
    with pytest.raises(ms.ParseError, match="not an absolute URI"):
        webdav.parse_if(f"(<{token}>)")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"token": "not a uri"},
        {"scope": "read"},
        {"depth": "1"},
        {"timeout": -1},
        {"timeout": 1.5},
        {"owner": ms.Element("{urn:x}owner")},
    ],
)
def test_active_locks_are_valid_once_built(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"token": "urn:uuid:1", "root": "/a"}
    args.update(kwargs)
    with pytest.raises(ValueError, match="ActiveLock"):
        ActiveLock(**args)  # type: ignore[arg-type]


def test_lock_properties() -> None:
    assert webdav.lockdiscovery([]) == ms.Property(D + "lockdiscovery", "")  # an empty element
    two = webdav.lockdiscovery(
        [ActiveLock("urn:a:1", "/a", scope="shared"), ActiveLock("urn:a:2", "/", scope="shared")]
    )
    assert len(two.value) == 2  # type: ignore[arg-type]
    assert [e.find(D + "lockscope").elements[0].tag for e in webdav.supportedlock(["exclusive"]).value] == [  # type: ignore[union-attr]
        D + "exclusive"
    ]
    with pytest.raises(ValueError, match="scope"):
        webdav.supportedlock(["read"])  # type: ignore[list-item]
    # the properties go into a PROPFIND answer like any live property
    response = webdav.propfind_response(
        "/a",
        webdav.parse_propfind(b"<propfind xmlns='DAV:'><prop><lockdiscovery/><supportedlock/></prop></propfind>"),
        webdav.Properties({D + "lockdiscovery": lambda: two, D + "supportedlock": webdav.supportedlock}),
    )
    assert response.propstats[0].props == (two, webdav.supportedlock())


def test_lock_conflicts_and_submitted_tokens() -> None:
    shared = [ActiveLock("urn:a:1", "/c/", scope="shared"), ActiveLock("urn:a:2", "/c/x", scope="shared")]
    exclusive = [ActiveLock("urn:a:3", "/c/")]
    assert webdav.lock_conflict("shared", shared) is None
    assert webdav.lock_conflict("exclusive", shared) == shared[0]
    assert webdav.lock_conflict("shared", exclusive) == exclusive[0]
    assert webdav.lock_conflict("exclusive", []) is None
    assert webdav.locks_without_token(shared, ["urn:a:2"]) == ()
    assert webdav.locks_without_token(shared, {"urn:other"}) == tuple(shared)
    assert webdav.locks_without_token([], []) == ()


# -- parse_body and write_body: the public door to the hardened parser --------------------


def test_parse_body_checks_the_root() -> None:
    assert webdav.parse_body(b"<a xmlns='urn:x'/>", ["{urn:x}b", "{urn:x}a"]).tag == "{urn:x}a"
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_body(b"<a/>", ("{urn:x}b", "{urn:x}c"))
    assert info.value.status_hint == 422
    assert "{urn:x}b or {urn:x}c" in str(info.value)
    with pytest.raises(ms.ParseError, match=r"expected \{urn:x\}b"):
        webdav.parse_body(b" ", "{urn:x}b")
    with pytest.raises(ms.ParseError, match="expected an XML document"):
        webdav.parse_body(io.BytesIO(b""))
    assert webdav.parse_body("<a>é</a>").text == "é"


def test_parse_body_is_the_hardened_parser_with_the_one_nesting_rule() -> None:
    nesting = 64  # what a value may hold, as everywhere in the library
    at_limit = "<a>" * nesting + "</a>" * nesting
    assert webdav.parse_body(at_limit).tag == "{}a"
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_body("<a>" * (nesting + 1) + "</a>" * (nesting + 1))
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_body("<a>" * 300 + "</a>" * 300)
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_body("<a><b><c/></b></a>", limits=ms.Limits(max_depth=2))
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_body(b"<a/>" + b" " * 100, limits=ms.Limits(max_bytes=50))
    with pytest.raises(ms.ParseError, match="DTD"):
        webdav.parse_body(b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>')
    with pytest.raises(TypeError):
        webdav.write_body("<a/>")  # type: ignore[arg-type]


@given(elements())
def test_write_body_and_parse_body_round_trip(element: ms.Element) -> None:
    assert webdav.parse_body(webdav.write_body(element)) == element


@pytest.mark.parametrize(
    ("root", "depth", "href", "covered"),
    [
        ("/dav/c/", "infinity", "/dav/c", True),
        ("/dav/c/", "infinity", "/dav/c/a/b.txt", True),
        ("/dav/c/", "infinity", "http://h/dav/c/x", True),
        ("http://h/dav/c/", "infinity", "http://other/dav/c/x", False),
        ("/dav/c/", "infinity", "/dav/cd", False),
        ("/dav/c/", "0", "/dav/c/x", False),
        ("/dav/c/", "0", "/dav/c", True),
        ("/dav/caf%c3%a9/", "infinity", "/dav/caf%C3%A9/x", True),
        ("/", "infinity", "/anything", True),
    ],
)
def test_what_a_lock_covers(root: str, depth: str, href: str, covered: bool) -> None:
    assert ActiveLock("urn:a:1", root, depth=depth).covers(href) is covered  # type: ignore[arg-type]


def test_the_locks_a_new_lock_or_a_change_overlaps() -> None:
    held = [
        ActiveLock("urn:a:1", "/dav/", depth="0"),
        ActiveLock("urn:a:2", "/dav/c/x.txt", depth="0"),
        ActiveLock("urn:a:3", "/dav/d/", depth="infinity"),
    ]
    tokens = lambda found: [lock.token for lock in found]  # noqa: E731
    assert tokens(webdav.locks_overlapping(held, "/dav/c/", "infinity")) == ["urn:a:2"]
    assert tokens(webdav.locks_overlapping(held, "/dav/c/")) == []
    assert tokens(webdav.locks_overlapping(held, "/dav/", "infinity")) == ["urn:a:1", "urn:a:2", "urn:a:3"]
    assert tokens(webdav.locks_overlapping(held, "/dav/d/e/f")) == ["urn:a:3"]
