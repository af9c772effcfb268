"""The demo's WebDAV class 2, conditional requests and sync-collection, through a running server on 127.0.0.1.

Locks (RFC 4918 §6, §7, §9.10, §9.11): exclusive and shared, depth 0 and
infinity, refresh, expiry, unmapped URLs, 423 with the conditions RFC 4918
§16 names.  Conditional requests (RFC 9110 §13, RFC 4918 §10.4): each header
on each method that changes something, holding and not.  sync-collection
(RFC 6578): a client's second sync lists exactly what changed and what went.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import multistatus as ms
from multistatus import webdav
from tests.test_dav_trust import Server, serving

LOCKINFO = (
    b'<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:%s/></D:lockscope>'
    b"<D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:%s@example.com</D:href></D:owner></D:lockinfo>"
)
PROP = (
    '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:n xmlns:Z="urn:z">1</Z:n></D:prop></D:set></D:propertyupdate>'
)


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_bytes(b"hello")
    (root / "dir").mkdir()
    (root / "dir" / "b.txt").write_bytes(b"b")
    with serving(root) as server:
        yield server


def lock(dav: Server, path: str, scope: str = "exclusive", depth: str = "infinity", **headers: str) -> tuple[int, str]:
    status, fields, body = dav.send("LOCK", path, LOCKINFO % (scope.encode(), b"jane"), Depth=depth, **headers)
    token = (fields.get("Lock-Token") or "").strip("<>")
    if status in (200, 201):
        assert b"<D:lockdiscovery>" in body
        assert token.encode() in body
    return status, token


def conditions(body: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The condition names of a ``DAV:error`` body and the hrefs they hold."""
    error = webdav.parse_body(body, "{DAV:}error")
    found = [c for c in error.elements if c.tag.startswith("{DAV:}")]  # (not the problem details' title, detail)
    names = tuple(c.tag for c in found)
    hrefs = tuple(h.text for c in found for h in c.elements)
    return names, hrefs


def discovered(dav: Server, path: str) -> list[str]:
    """The lock tokens ``DAV:lockdiscovery`` of *path* lists."""
    body = b'<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>'
    status, doc = dav.propfind(path, "0", body)
    assert status == 207
    assert doc is not None
    prop = doc.responses[0].propstats[0].props[0]
    return [
        href.text
        for active in prop.children
        for part in active.elements
        if part.tag == "{DAV:}locktoken"
        for href in part.elements
    ]


# -- locks ------------------------------------------------------------------------------
def test_options_advertise_class_2_and_the_methods(dav: Server) -> None:
    status, fields, _ = dav.send("OPTIONS", "/dav/")
    assert status == 200
    assert fields["DAV"] == "1, 2"
    assert {"LOCK", "UNLOCK", "REPORT"} <= {m.strip() for m in fields["Allow"].split(",")}


def test_an_exclusive_lock_keeps_others_out_until_unlocked(dav: Server) -> None:
    status, token = lock(dav, "/dav/a.txt")
    assert status == 200
    assert token.startswith("urn:uuid:")
    assert discovered(dav, "/dav/a.txt") == [token]
    # Without the token: 423 lock-token-submitted naming the lock root (RFC 4918 §16).
    for method, body in (("PUT", b"x"), ("DELETE", None), ("PROPPATCH", PROP.encode())):
        status, _, data = dav.send(method, "/dav/a.txt", body)
        assert status == 423, method
        assert conditions(data) == (("{DAV:}lock-token-submitted",), ("/dav/a.txt",))
    status, _, data = dav.send("MOVE", "/dav/a.txt", Destination="/dav/moved.txt")
    assert status == 423
    # A second lock conflicts: 423 no-conflicting-lock.
    status, _, data = dav.send("LOCK", "/dav/a.txt", LOCKINFO % (b"shared", b"joe"))
    assert status == 423
    assert conditions(data) == (("{DAV:}no-conflicting-lock",), ("/dav/a.txt",))
    # With the token the owner writes; a wrong token does not.
    assert dav.send("PUT", "/dav/a.txt", b"mine", If=f"(<{token}>)")[0] == 204
    assert dav.send("PUT", "/dav/a.txt", b"no", If="(<urn:uuid:00000000-0000-0000-0000-000000000000>)")[0] == 412
    # UNLOCK needs a token that covers the resource.
    status, _, data = dav.send("UNLOCK", "/dav/dir/b.txt", Lock_Token=f"<{token}>")
    assert status == 409
    assert conditions(data)[0] == ("{DAV:}lock-token-matches-request-uri",)
    assert dav.send("UNLOCK", "/dav/a.txt", Lock_Token=f"<{token}>")[0] == 204
    assert discovered(dav, "/dav/a.txt") == []
    assert dav.send("PUT", "/dav/a.txt", b"free")[0] == 204
    assert (dav.root / "a.txt").read_bytes() == b"free"


def test_shared_locks_share_and_exclude_an_exclusive_one(dav: Server) -> None:
    first = lock(dav, "/dav/a.txt", "shared")[1]
    second = lock(dav, "/dav/a.txt", "shared")[1]
    assert first != second
    assert sorted(discovered(dav, "/dav/a.txt")) == sorted([first, second])
    assert lock(dav, "/dav/a.txt", "exclusive")[0] == 423
    assert dav.send("PUT", "/dav/a.txt", b"x")[0] == 423
    assert dav.send("PUT", "/dav/a.txt", b"x", If=f"(<{second}>)")[0] == 204


def test_a_depth_infinity_lock_covers_members_present_and_future(dav: Server) -> None:
    status, token = lock(dav, "/dav/dir/")
    assert status == 200
    assert discovered(dav, "/dav/dir/b.txt") == [token]
    status, _, data = dav.send("PUT", "/dav/dir/new.txt", b"n")
    assert status == 423
    assert conditions(data)[1] == ("/dav/dir/",)
    assert dav.send("PUT", "/dav/dir/new.txt", b"n", If=f"(<{token}>)")[0] == 201
    assert discovered(dav, "/dav/dir/new.txt") == [token]
    assert lock(dav, "/dav/dir/b.txt")[0] == 423  # (covered by the collection's exclusive lock)
    # A refresh through a member (indirect, RFC 4918 §9.10.2) keeps the same lock.
    status, fields, body = dav.send("LOCK", "/dav/dir/b.txt", If=f"(<{token}>)", Timeout="Second-100")
    assert status == 200
    assert "Lock-Token" not in fields
    assert token.encode() in body
    assert b"Second-100" in body or b"Second-99" in body
    # Deleting the collection needs the token; then its lock is gone with it.
    assert dav.send("DELETE", "/dav/dir/")[0] == 423
    assert dav.send("DELETE", "/dav/dir/", If=f"(<{token}>)")[0] == 204
    assert dav.send("MKCOL", "/dav/dir/")[0] == 201
    assert discovered(dav, "/dav/dir/") == []


def test_a_lock_on_a_member_blocks_deleting_or_moving_its_collection(dav: Server) -> None:
    token = lock(dav, "/dav/dir/b.txt")[1]
    assert lock(dav, "/dav/dir/", depth="infinity")[0] == 423  # (a member holds an exclusive lock)
    assert lock(dav, "/dav/dir/", depth="0")[0] == 200
    status, _, data = dav.send("MOVE", "/dav/dir/", Destination="/dav/elsewhere/")
    assert status == 423
    assert "/dav/dir/b.txt" in conditions(data)[1]
    # The member's token in a list tagged with its URL: still the collection's own lock in the way.
    status, _, data = dav.send("DELETE", "/dav/dir/", If=f"</dav/dir/b.txt> (<{token}>)")
    assert status == 423
    assert conditions(data)[1] == ("/dav/dir/",)
    # An untagged list is about the Request-URI, which that token does not lock: the If header fails.
    assert dav.send("DELETE", "/dav/dir/", If=f"(<{token}>)")[0] == 412


def test_a_depth_0_lock_protects_a_collections_membership(dav: Server) -> None:
    token = lock(dav, "/dav/dir/", depth="0")[1]
    assert dav.send("PUT", "/dav/dir/b.txt", b"changed")[0] == 204  # (a member's content is not membership)
    assert dav.send("PUT", "/dav/dir/c.txt", b"new")[0] == 423
    assert dav.send("DELETE", "/dav/dir/b.txt")[0] == 423
    assert dav.send("COPY", "/dav/a.txt", Destination="/dav/dir/a.txt")[0] == 423
    assert dav.send("COPY", "/dav/a.txt", Destination="/dav/dir/a.txt", If=f"</dav/dir/> (<{token}>)")[0] == 201


def test_locking_an_unmapped_url_makes_an_empty_resource(dav: Server) -> None:
    status, token = lock(dav, "/dav/new.txt")
    assert status == 201
    assert (dav.root / "new.txt").read_bytes() == b""
    assert dav.send("PUT", "/dav/new.txt", b"filled", If=f"(<{token}>)")[0] == 204
    assert dav.send("UNLOCK", "/dav/new.txt", Lock_Token=f"<{token}>")[0] == 204
    assert (dav.root / "new.txt").read_bytes() == b"filled"  # (UNLOCK leaves the resource)
    assert lock(dav, "/dav/missing/new.txt")[0] == 409


def test_a_refresh_must_name_a_lock_of_the_resource(dav: Server) -> None:
    assert dav.send("LOCK", "/dav/a.txt")[0] == 412
    assert dav.send("LOCK", "/dav/a.txt", If="(<urn:uuid:00000000-0000-0000-0000-000000000001>)")[0] == 412


def test_locks_expire(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_bytes(b"a")
    with serving(root) as dav:
        status, token = lock(dav, "/dav/a.txt", Timeout="Second-1")
        assert status == 200
        assert discovered(dav, "/dav/a.txt") == [token]
        deadline = time.monotonic() + 10
        while discovered(dav, "/dav/a.txt") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert discovered(dav, "/dav/a.txt") == []
        assert dav.send("PUT", "/dav/a.txt", b"after")[0] == 204


def test_locks_outlive_the_server_in_its_database(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_bytes(b"a")
    with serving(root) as dav:
        token = lock(dav, "/dav/a.txt")[1]
    with serving(root) as again:
        assert discovered(again, "/dav/a.txt") == [token]
        assert again.send("PUT", "/dav/a.txt", b"x")[0] == 423


def test_supportedlock_and_lockdiscovery_are_live_and_protected(dav: Server) -> None:
    status, doc = dav.propfind("/dav/", "1")
    assert status == 207
    assert doc is not None
    for response in doc:
        names = {p.name: p for ps in response.propstats if ps.status.code == 200 for p in ps.props}
        assert "{DAV:}lockdiscovery" in names
        entries = names["{DAV:}supportedlock"].children
        assert len(entries) == 2  # exclusive and shared write locks
    body = b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:lockdiscovery/></D:prop></D:set></D:propertyupdate>'
    status, _, data = dav.send("PROPPATCH", "/dav/a.txt", body)
    assert status == 207
    assert ms.from_xml(data).responses[0].propstats[0].status.code == 403


# -- conditional requests ----------------------------------------------------------------
def etag(dav: Server, path: str) -> str:
    status, fields, _ = dav.send("HEAD", path)
    assert status == 200
    return str(fields["ETag"])


def test_etags_are_strong_and_change_with_every_put(dav: Server) -> None:
    seen = {etag(dav, "/dav/a.txt")}
    for body in (b"one", b"two", b"two", b""):
        status, fields, _ = dav.send("PUT", "/dav/a.txt", body)
        assert status == 204
        assert fields["ETag"] == etag(dav, "/dav/a.txt")
        assert not fields["ETag"].startswith("W/")
        seen.add(fields["ETag"])
    assert len(seen) == 5


def _request(dav: Server, method: str) -> tuple[str, bytes | None, dict[str, str]]:
    """The target, body and headers of one request of *method* that succeeds when no condition stops it."""
    if method == "PUT":
        return "/dav/a.txt", b"new", {}
    if method in ("COPY", "MOVE"):
        return "/dav/a.txt", None, {"Destination": "/dav/copy.txt"}
    if method == "PROPPATCH":
        return "/dav/a.txt", PROP.encode(), {}
    if method == "LOCK":
        return "/dav/a.txt", LOCKINFO % (b"exclusive", b"jane"), {}
    return "/dav/a.txt", None, {}  # DELETE


CHANGING = ["PUT", "DELETE", "COPY", "MOVE", "PROPPATCH", "LOCK"]


@pytest.mark.parametrize("method", CHANGING)
@pytest.mark.parametrize(
    ("field", "value", "holds"),
    [
        pytest.param("If-Match", "{etag}", True, id="if-match-current"),
        pytest.param("If-Match", "*", True, id="if-match-any"),
        pytest.param("If-Match", '"nope"', False, id="if-match-other"),
        pytest.param("If-Match", "W/{etag}", False, id="if-match-weak"),
        pytest.param("If-None-Match", '"nope"', True, id="if-none-match-other"),
        pytest.param("If-None-Match", "{etag}", False, id="if-none-match-current"),
        pytest.param("If-None-Match", "*", False, id="if-none-match-any"),
        pytest.param("If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT", True, id="unmodified-since-later"),
        pytest.param("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT", False, id="unmodified-since-earlier"),
        pytest.param("If", "([{etag}])", True, id="if-etag"),
        pytest.param("If", '(["nope"])', False, id="if-other-etag"),
        pytest.param("If", '(Not ["nope"])', True, id="if-not-other-etag"),
        pytest.param("If", "(<urn:uuid:00000000-0000-0000-0000-000000000000>)", False, id="if-unknown-token"),
        pytest.param("If", "(Not <DAV:no-lock>)", True, id="if-not-no-lock"),
        pytest.param("If", "</dav/a.txt> ([{etag}])", True, id="if-tagged"),
        pytest.param("If", '</dav/a.txt> (["nope"])', False, id="if-tagged-other"),
    ],
)
def test_conditional_matrix(dav: Server, method: str, field: str, value: str, holds: bool) -> None:
    before = (dav.root / "a.txt").read_bytes()
    tag = etag(dav, "/dav/a.txt")
    path, body, headers = _request(dav, method)
    status, _, _ = dav.send(method, path, body, **headers, **{field.replace("-", "_"): value.format(etag=tag)})
    if holds:
        assert status in (200, 201, 204, 207), status
    else:
        assert status == 412
        assert (dav.root / "a.txt").read_bytes() == before
        assert not (dav.root / "copy.txt").exists()
        assert etag(dav, "/dav/a.txt") == tag


@pytest.mark.parametrize(
    ("field", "value", "holds"),
    [
        pytest.param("If-None-Match", "*", True, id="create-only-if-absent"),
        pytest.param("If-Match", "*", False, id="update-only-if-present"),
        pytest.param("If", "(<DAV:no-lock>)", False, id="if-no-lock"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "MKCOL"])
def test_conditions_on_an_unmapped_url(dav: Server, method: str, field: str, value: str, holds: bool) -> None:
    status, _, _ = dav.send(method, "/dav/fresh", b"x" if method == "PUT" else None, **{field.replace("-", "_"): value})
    assert status == (201 if holds else 412)
    assert (dav.root / "fresh").exists() is holds


def test_if_none_match_star_never_overwrites(dav: Server) -> None:
    assert dav.send("PUT", "/dav/a.txt", b"over", If_None_Match="*")[0] == 412
    assert (dav.root / "a.txt").read_bytes() == b"hello"


def test_get_and_head_answer_304_when_not_modified(dav: Server) -> None:
    tag = etag(dav, "/dav/a.txt")
    status, fields, body = dav.send("GET", "/dav/a.txt", If_None_Match=tag)
    assert (status, body, fields["ETag"]) == (304, b"", tag)
    assert dav.send("GET", "/dav/a.txt", If_None_Match='"other"')[0] == 200
    assert dav.send("GET", "/dav/a.txt", If_Match='"other"')[0] == 412


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param("http://elsewhere.example/dav/a.txt", id="another-server"),
        pytest.param("/dav/" + "n" * 300, id="a-name-too-long"),
        pytest.param("/elsewhere/a.txt", id="outside-the-folder"),
    ],
)
def test_an_if_list_tagged_with_a_resource_not_served_here_sees_an_unmapped_url(dav: Server, tag: str) -> None:
    # No lock and no entity tag there (RFC 4918 §10.4.4): a token never matches, its Not always does.
    assert dav.send("PUT", "/dav/a.txt", b"x", If=f"<{tag}> (<urn:uuid:1>)")[0] == 412
    assert (dav.root / "a.txt").read_bytes() == b"hello"
    assert dav.send("PUT", "/dav/a.txt", b"x", If=f"<{tag}> (Not <urn:uuid:1>)")[0] == 204


def test_a_malformed_if_header_is_400(dav: Server) -> None:
    assert dav.send("PUT", "/dav/a.txt", b"x", If="(<unterminated")[0] == 400
    assert (dav.root / "a.txt").read_bytes() == b"hello"


# -- sync-collection ----------------------------------------------------------------------
def sync(dav: Server, path: str, token: str | None, *, level: str = "1", limit: int | None = None) -> tuple[int, bytes]:
    parts = [
        '<D:sync-collection xmlns:D="DAV:">',
        f"<D:sync-token>{token}</D:sync-token>" if token else "<D:sync-token/>",
        f"<D:sync-level>{level}</D:sync-level>",
        f"<D:limit><D:nresults>{limit}</D:nresults></D:limit>" if limit is not None else "",
        "<D:prop><D:getetag/></D:prop></D:sync-collection>",
    ]
    status, _, data = dav.send("REPORT", path, "".join(parts).encode(), Depth="0")
    return status, data


def outcome(data: bytes) -> tuple[dict[str, int], str]:
    doc = ms.from_xml(data)
    assert doc.sync_token is not None
    return {r.href: r.status.code if r.status is not None else 200 for r in doc}, doc.sync_token


def test_a_second_sync_lists_exactly_what_changed_and_what_went(dav: Server) -> None:
    (dav.root / "c.txt").write_bytes(b"c")  # (made before the first sync, outside the server)
    status, data = sync(dav, "/dav/", None)
    assert status == 207
    first, token = outcome(data)
    assert first == {"/dav/a.txt": 200, "/dav/c.txt": 200, "/dav/dir/": 200}
    assert token.startswith("https://")  # a URI (RFC 6578 §3.2)
    assert dav.send("PUT", "/dav/a.txt", b"changed")[0] == 204
    assert dav.send("DELETE", "/dav/c.txt")[0] == 204
    assert dav.send("PUT", "/dav/d.txt", b"new")[0] == 201
    assert dav.send("PUT", "/dav/dir/b.txt", b"deeper")[0] == 204  # (not a member at level 1)
    assert dav.send("PUT", "/dav/gone.txt", b"brief")[0] == 201
    assert dav.send("MOVE", "/dav/gone.txt", Destination="/dav/dir/gone.txt")[0] == 201
    status, data = sync(dav, "/dav/", token)
    assert status == 207
    second, token2 = outcome(data)
    assert second == {"/dav/a.txt": 200, "/dav/c.txt": 404, "/dav/d.txt": 200, "/dav/gone.txt": 404}
    assert token2 != token
    assert outcome(sync(dav, "/dav/", token2)[1])[0] == {}  # nothing since
    # Level infinite sees below the members; the sub-collection has its own changes.
    deep = outcome(sync(dav, "/dav/", token, level="infinite")[1])[0]
    assert deep["/dav/dir/b.txt"] == 200
    assert deep["/dav/dir/gone.txt"] == 200
    assert outcome(sync(dav, "/dav/dir/", token)[1])[0] == {"/dav/dir/b.txt": 200, "/dav/dir/gone.txt": 200}


def test_a_sync_over_the_limit_is_truncated_with_507(dav: Server) -> None:
    token = outcome(sync(dav, "/dav/", None)[1])[1]
    for name in ("x", "y", "z"):
        assert dav.send("PUT", f"/dav/{name}.txt", b"1")[0] == 201
    status, data = sync(dav, "/dav/", token, limit=2)
    assert status == 207
    listed, partial = outcome(data)
    assert listed == {"/dav/x.txt": 200, "/dav/y.txt": 200, "/dav/": 507}
    doc = ms.from_xml(data)
    truncated = next(r for r in doc if r.href == "/dav/")
    assert truncated.error is not None
    assert truncated.error.condition_names == (webdav.NUMBER_OF_MATCHES_WITHIN_LIMITS,)
    assert outcome(sync(dav, "/dav/", partial)[1])[0] == {"/dav/z.txt": 200}  # the rest, from where it stopped
    status, data = sync(dav, "/dav/", None, limit=1)  # an initial sync that does not fit
    assert status == 507
    assert conditions(data)[0] == (webdav.NUMBER_OF_MATCHES_WITHIN_LIMITS,)


@pytest.mark.parametrize(
    "token",
    ["https://multistatus.invalid/sync/0000000000000000/1", "http://example.com/other", "https://x/sync/999999"],
)
def test_an_unknown_sync_token_is_403_valid_sync_token(dav: Server, token: str) -> None:
    status, data = sync(dav, "/dav/", token)
    assert status == 403
    assert conditions(data)[0] == (webdav.VALID_SYNC_TOKEN,)


def test_a_token_from_the_future_is_unknown(dav: Server) -> None:
    token = outcome(sync(dav, "/dav/", None)[1])[1]
    base, _, number = token.rpartition("/")
    assert sync(dav, "/dav/", f"{base}/{int(number) + 5}")[0] == 403


def test_reports_the_demo_does_not_answer(dav: Server) -> None:
    status, _, data = dav.send("REPORT", "/dav/", b'<D:expand-property xmlns:D="DAV:"/>', Depth="0")
    assert status == 403
    assert conditions(data)[0] == (webdav.SUPPORTED_REPORT,)
    multiget = (
        b'<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">'
        b"<D:prop><D:getetag/></D:prop><D:href>/dav/a.txt</D:href></C:calendar-multiget>"
    )
    assert dav.send("REPORT", "/dav/", multiget, Depth="0")[0] == 403
    status, _, _ = dav.send(
        "REPORT", "/dav/a.txt", b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/></D:sync-collection>'
    )
    assert status == 403  # (a sync-collection of a file)
    assert sync(dav, "/dav/", None)[0] == 207
    status, _, _ = dav.send(
        "REPORT", "/dav/", b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/></D:sync-collection>', Depth="1"
    )
    assert status == 400


def test_collections_carry_sync_token_and_supported_report_set_when_asked(dav: Server) -> None:
    ask = b'<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/><D:supported-report-set/></D:prop></D:propfind>'
    status, doc = dav.propfind("/dav/", "0", ask)
    assert status == 207
    assert doc is not None
    props = {p.name: p for p in doc.responses[0].propstats[0].props}
    token = outcome(sync(dav, "/dav/", None)[1])[1]
    assert props["{DAV:}sync-token"].text == token
    assert "sync-collection" in repr(props["{DAV:}supported-report-set"])
    status, doc = dav.propfind("/dav/", "0")  # allprop leaves them out (RFC 6578 §4)
    assert doc is not None
    assert "{DAV:}sync-token" not in doc.responses[0].propstats[0].names


def test_a_sync_token_in_the_if_header_guards_a_change_of_the_collection(dav: Server) -> None:
    # RFC 6578 §5 ("Servers MUST support use of DAV:sync-token values in If request headers"):
    # §5.1, a PUT made only if nothing changed since the last sync; §5.2, a MKCOL after another change.
    token = outcome(sync(dav, "/dav/", None)[1])[1]
    tagged = f"</dav/> (<{token}>)"
    assert dav.send("PUT", "/dav/new.txt", b"n", If=tagged)[0] == 201
    assert dav.send("MKCOL", "/dav/child/", If=tagged)[0] == 412  # the PUT changed the collection
    now = outcome(sync(dav, "/dav/", token)[1])[1]
    assert dav.send("MKCOL", "/dav/child/", If=f"</dav/> (<{now}>)")[0] == 201


def test_two_if_fields_joined_by_the_server_still_submit_the_token(dav: Server) -> None:
    status, token = lock(dav, "/dav/a.txt")
    assert status == 200
    conn = http.client.HTTPConnection("127.0.0.1", dav.port, timeout=60)
    try:  # (two If lines: werkzeug's server joins them with ",")
        conn.putrequest("PUT", "/dav/a.txt", skip_accept_encoding=True)
        conn.putheader("If", f"(<{token}>)")
        conn.putheader("If", "(Not <DAV:no-lock>)")
        conn.putheader("Content-Length", "3")
        conn.endheaders(b"new")
        assert conn.getresponse().status == 204
    finally:
        conn.close()
