"""The sans-I/O idempotency decision (multistatus/_idempotency): keys, fingerprints, outcomes, replays.

The stores behind it are tested against real databases in test_idempotency_stores.py.
"""

from __future__ import annotations

import contextlib
import json
import time
import tracemalloc

import pytest

import multistatus as ms
from multistatus._idempotency._answer import decode_response, encode_response
from multistatus._idempotency._key import check_item_key, store_key
from multistatus.idempotency import (
    NOT_KEPT,
    Answer,
    Idempotency,
    InFlight,
    InvalidKey,
    MemoryStore,
    Mismatch,
    Missing,
    Refusal,
    Replay,
    Run,
    Store,
    claim_items,
    fingerprint,
    item_fingerprint,
    parse_key,
)

UUID = "8e03978e-40d5-43e8-bc93-6894a57f9324"
DOC = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=409)])


# -- the key --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key"),
    [
        pytest.param(f'"{UUID}"', UUID, id="quoted-uuid"),
        pytest.param(UUID, UUID, id="bare-uuid"),
        pytest.param(f' \t"{UUID}"\t ', UUID, id="quoted-with-ows"),
        pytest.param("  order-17 ", "order-17", id="bare-with-ows"),
        pytest.param(r'"a\"b\\c"', 'a"b\\c', id="quoted-escapes"),
        pytest.param('"' + "k" * 255 + '"', "k" * 255, id="quoted-255"),
        pytest.param("k" * 255, "k" * 255, id="bare-255"),
        pytest.param("!~", "!~", id="visible-ascii-ends"),
        pytest.param('a"b', 'a"b', id="bare-with-a-quote-inside"),
    ],
)
def test_a_good_key_is_read_quoted_or_bare(value: str, key: str) -> None:
    assert parse_key(value) == key


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("", "cannot be empty", id="empty"),
        pytest.param("   ", "cannot be empty", id="only-spaces"),
        pytest.param('""', "cannot be empty", id="quoted-empty"),
        pytest.param("k" * 256, "at most 255 characters; this one is 256", id="bare-too-long"),
        pytest.param('"' + "k" * 256 + '"', "this one is 256", id="quoted-too-long"),
        pytest.param("k" * 100_000, "this one is 100000", id="far-too-long"),
        pytest.param("clé", "has 'é' at 2", id="non-ascii"),
        pytest.param('"clé"', "not a Structured Field string", id="quoted-non-ascii"),
        pytest.param("a\x00b", "has '\\x00' at 1", id="nul"),
        pytest.param("a\x7fb", "has '\\x7f' at 1", id="del"),
        pytest.param('"a\tb"', "not a Structured Field string", id="quoted-tab"),
        pytest.param("a b", "has ' ' at 1", id="bare-space"),
        pytest.param('"a b"', "has ' ' at 1", id="quoted-space"),
        pytest.param('"abc', "not a Structured Field string", id="unclosed-quote"),
        pytest.param('"abc";p=1', "not a Structured Field string", id="parameters"),
        pytest.param(r'"a\nb"', "not a Structured Field string", id="bad-escape"),
        pytest.param("k1, k2", "has ' ' at 3", id="two-fields-joined"),
    ],
)
def test_a_bad_key_is_refused_with_the_reason(value: str, message: str) -> None:
    with pytest.raises(ValueError, match="Idempotency-Key") as info:
        parse_key(value)
    assert message in str(info.value)


def test_a_key_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="bytes"):
        parse_key(b"k")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(17, "a string, not int", id="number"),
        pytest.param("", "cannot be empty", id="empty"),
        pytest.param("k" * 600, "this one is 600", id="far-too-long"),
        pytest.param('"k"', None, id="quotes-are-part-of-an-item-key"),
    ],
)
def test_item_keys_follow_the_bare_rule(value: object, message: str | None) -> None:
    if message is None:
        assert check_item_key(value, "idempotency_key") == value
    else:
        with pytest.raises(ValueError, match=message):
            check_item_key(value, "idempotency_key")


def _best_time(fn: object, value: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(20):
            with contextlib.suppress(ValueError):
                fn(value)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda n: "k" * n, id="bare"),
        pytest.param(lambda n: '"' + "k" * n, id="unclosed-quote"),
        pytest.param(lambda n: '"' + "\\" * n, id="backslashes"),
        pytest.param(lambda n: " " * n + "k", id="leading-spaces"),
    ],
)
def test_the_key_reader_takes_bounded_time_and_memory_for_hostile_values(make: object) -> None:
    """A value longer than any key is refused before it is read: 100x the input is not 100x the time."""
    small, large = make(10_000), make(1_000_000)  # type: ignore[operator]
    ratio = _best_time(parse_key, large) / _best_time(parse_key, small)
    assert ratio < 10, ratio
    tracemalloc.start()
    with pytest.raises(ValueError, match="at most 255"):
        parse_key(large)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64_000, peak


def test_store_keys_keep_scopes_apart() -> None:
    """Scope and key cannot be re-cut into another pair: one tenant never meets another's key."""
    assert store_key("r", "a", "b:c") != store_key("r", "a:b", "c")
    assert store_key("r", "", "k") != store_key("i", "", "k")


# -- fingerprints ---------------------------------------------------------------------


def test_the_fingerprint_covers_method_target_body_and_content_type() -> None:
    base = fingerprint("POST", "/batch?x=1", b"[1]", "application/json")
    assert base == fingerprint("post", "/batch?x=1", b"[1]", "application/json; ".strip("; "))
    assert base == fingerprint("POST", "/batch?x=1", b"[1]", "Application/JSON")
    for other in [
        fingerprint("PATCH", "/batch?x=1", b"[1]", "application/json"),
        fingerprint("POST", "/batch?x=2", b"[1]", "application/json"),
        fingerprint("POST", "/batch?x=1", b"[2]", "application/json"),
        fingerprint("POST", "/batch?x=1", b"[1]", "text/plain"),
        fingerprint("POST", "/batch?x=1", b"[1]", None),
    ]:
        assert other != base


def test_the_parts_are_framed_so_that_moving_bytes_between_them_changes_it() -> None:
    assert fingerprint("POST", "/ab", b"c") != fingerprint("POST", "/a", b"bc")


def test_only_the_chosen_headers_count() -> None:
    one = fingerprint("POST", "/b", b"", None, {"Accept-Language": "de", "X-Trace": "1"}, include=["accept-language"])
    two = fingerprint(
        "POST", "/b", b"", None, [("accept-language", "de"), ("X-Trace", "2")], include=["Accept-Language"]
    )
    three = fingerprint("POST", "/b", b"", None, {"Accept-Language": "fr"}, include=["Accept-Language"])
    assert one == two != three
    assert fingerprint("POST", "/b", b"", None, {"X-Trace": "1"}) == fingerprint("POST", "/b")


def test_repeated_header_fields_count_in_order() -> None:
    a = fingerprint("POST", "/b", headers=[("X-A", "1"), ("X-A", "2")], include=["x-a"])
    b = fingerprint("POST", "/b", headers=[("X-A", "2"), ("X-A", "1")], include=["x-a"])
    assert a != b


def test_an_item_fingerprint_ignores_member_order_and_its_key() -> None:
    assert item_fingerprint({"a": 1, "b": [1, 2], "k": "x"}, "k") == item_fingerprint({"b": [1, 2], "a": 1}, "k")
    assert item_fingerprint({"a": 1}) != item_fingerprint({"a": 1.5})


# -- answers --------------------------------------------------------------------------


def test_set_cookie_and_the_rendered_fields_are_never_kept() -> None:
    headers = [("Set-Cookie", "s=1"), ("set-cookie", "t=2"), ("Content-Type", "application/json"), ("ETag", '"1"')]
    headers += [("Location", "/items/1"), ("Vary", "Accept"), ("Content-Length", "3")]
    answer = Answer.of(DOC, status=207, headers=headers)
    assert answer.headers == (("ETag", '"1"'), ("Location", "/items/1"))
    assert "set-cookie" in NOT_KEPT
    assert b"s=1" not in answer.encode()


def test_an_answer_survives_its_stored_form() -> None:
    for answer in [
        Answer.of(DOC, status=207, headers={"ETag": '"1"'}),
        Answer.of(ms.Error(problem={"title": "Too big", "status": 413, "code": "big"}), status=413),
        Answer.of(None, status=204, headers=[("Location", "/x")]),
    ]:
        assert Answer.decode(answer.encode()) == answer
    assert Answer.of(DOC, status=207).doc == DOC
    assert Answer(204).doc is None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"status": 99}, "100 to 599", id="status-low"),
        pytest.param({"status": True}, "100 to 599", id="status-bool"),
        pytest.param({"status": 200, "document": b"{}", "problem": b"{}"}, "not both", id="both"),
        pytest.param({"status": 200, "headers": (("X-A", "1\r\nX-B: 2"),)}, "control character", id="header-injection"),
        pytest.param({"status": 200, "headers": (("Bad Name", "1"),)}, "bad header field name", id="header-name"),
    ],
)
def test_a_bad_answer_is_refused(kwargs: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Answer(**kwargs)  # type: ignore[arg-type]


def test_answers_of_other_kinds_are_type_errors() -> None:
    with pytest.raises(TypeError, match="not dict"):
        Answer.of({"a": 1}, status=200)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pairs"):
        Answer(200, headers=("X-A",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"not json\n", id="not-json"),
        pytest.param(b'{"status":200}\n', id="no-members"),
        pytest.param(b'{"status":200,"headers":[],"form":"other"}\n', id="unknown-form"),
        pytest.param(b'{"status":200,"headers":[],"form":"empty"}', id="no-line-end"),
        pytest.param(b'{"status":200,"headers":[1],"form":"empty"}\n', id="bad-header"),
    ],
)
def test_a_damaged_stored_answer_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a stored answer"):
        Answer.decode(data)


# -- the decision ---------------------------------------------------------------------


@pytest.fixture
def idem() -> Idempotency:
    return Idempotency(MemoryStore(), lease=30.0, policy="https://api.example/idempotency")


def test_run_then_replay_then_refusals(idem: Idempotency) -> None:
    first = idem.begin("POST", "/batch", key=f'"{UUID}"', body=b"[1]", content_type="application/json")
    assert isinstance(first, Run)
    assert first.claimed
    assert first.owner
    assert len(first.fingerprint) == 64
    inflight = idem.begin("POST", "/batch", key=UUID, body=b"[1]", content_type="application/json")
    assert isinstance(inflight, InFlight)
    assert inflight.retry_after == 30
    assert isinstance(idem.begin("POST", "/batch", key=UUID, body=b"[2]", content_type="application/json"), Mismatch)
    assert first.complete(Answer.of(DOC, status=207, headers=[("Set-Cookie", "s=1"), ("ETag", '"9"')]))
    again = idem.begin("POST", "/batch", key=UUID, body=b"[1]", content_type="application/json")
    assert isinstance(again, Replay)
    assert (again.status, again.headers, again.doc) == (207, (("ETag", '"9"'),), DOC)
    assert again.document == ms.to_json(DOC)
    assert isinstance(idem.begin("POST", "/batch", key=UUID, body=b"[2]"), Mismatch)


def test_a_replay_is_rendered_for_the_new_request(idem: Idempotency) -> None:
    """The first request asked for JSON; the retry asks for XML and gets the same results in XML."""
    run = idem.begin("POST", "/batch", key="k", body=b"[]")
    assert isinstance(run, Run)
    first = ms.reply(DOC, accept="application/json")
    run.complete(Answer.of(DOC, status=first.status, headers=[("Set-Cookie", "s=1"), ("Location", "/batch/1")]))
    replay = idem.begin("POST", "/batch", key="k", body=b"[]")
    assert isinstance(replay, Replay)
    r = replay.reply(accept="application/xml")
    assert r.status == 207
    assert r.header("content-type") == "application/xml; charset=utf-8"
    assert ms.from_xml(r.body) == DOC
    assert r.header("Idempotent-Replayed") == "true"
    assert r.header("Location") == "/batch/1"
    assert r.header("Set-Cookie") is None
    minimal = replay.reply(accept="application/json", prefer="return=minimal")
    assert minimal.header("Preference-Applied") == "return=minimal"
    assert minimal.body == ms.reply(DOC, accept="application/json", prefer="return=minimal").body
    assert (
        replay.reply(options=ms.ServeOptions(default="application/json")).header("content-type") == "application/json"
    )


def test_a_stored_problem_is_replayed_as_a_problem(idem: Idempotency) -> None:
    run = idem.begin("POST", "/batch", key="p", body=b"x")
    assert isinstance(run, Run)
    error = ms.Error(["{DAV:}lock-token-submitted"], {"title": "Locked", "status": 423, "detail": "d", "code": "c"})
    run.complete(Answer.of(error, status=423, headers={"Retry-After": "5"}))
    replay = idem.begin("POST", "/batch", key="p", body=b"x")
    assert isinstance(replay, Replay)
    as_json = replay.reply(accept="application/problem+json")
    assert as_json.status == 423
    assert json.loads(as_json.body) == {"title": "Locked", "status": 423, "detail": "d", "code": "c",
                                        "conditions": [["{DAV:}lock-token-submitted"]]}  # fmt: skip
    assert as_json.header("Retry-After") == "5"
    assert as_json.header("Idempotent-Replayed") == "true"
    as_xml = replay.reply(accept="application/problem+xml")
    assert as_xml.header("content-type") == "application/problem+xml; charset=utf-8"
    dav = replay.reply(options=ms.ServeOptions(default="text/xml"))
    assert b"lock-token-submitted" in dav.body
    assert dav.header("content-type").startswith("text/xml")


def test_an_answer_without_a_body_is_replayed_with_its_status(idem: Idempotency) -> None:
    run = idem.begin("PATCH", "/items/1", key="e")
    assert isinstance(run, Run)
    run.complete(Answer.of(None, status=204, headers={"ETag": '"2"'}))
    replay = idem.begin("PATCH", "/items/1", key="e")
    assert isinstance(replay, Replay)
    assert replay.reply() == ms.Reply(204, (("ETag", '"2"'), ("Idempotent-Replayed", "true")), b"")
    assert replay.doc is None
    assert replay.document is None


def test_requests_without_a_key_or_of_other_methods_run_unclaimed(idem: Idempotency) -> None:
    for outcome in [idem.begin("POST", "/batch", key=None), idem.begin("GET", "/batch", key="not checked")]:
        assert isinstance(outcome, Run)
        assert not outcome.claimed
        assert not outcome.complete(Answer(200))
        assert not outcome.release()
        assert not outcome.extend()


def test_a_required_key_that_is_missing_is_400(idem: Idempotency) -> None:
    strict = Idempotency(MemoryStore(), required=True, methods=frozenset({"post"}))
    assert isinstance(strict.begin("POST", "/batch", key=None), Missing)
    assert isinstance(strict.begin("PUT", "/batch", key=None), Run)


def test_a_malformed_key_is_400_not_422(idem: Idempotency) -> None:
    refused = idem.begin("POST", "/batch", key="k" * 300)
    assert isinstance(refused, InvalidKey)
    assert refused.status == 400
    assert "300" in refused.detail


def test_scopes_never_share_answers(idem: Idempotency) -> None:
    run = idem.begin("POST", "/batch", key="k", scope="alice")
    assert isinstance(run, Run)
    run.complete(Answer.of(DOC, status=207))
    assert isinstance(idem.begin("POST", "/batch", key="k", scope="bob"), Run)
    assert isinstance(idem.begin("POST", "/batch", key="k", scope="alice"), Replay)


def test_release_lets_the_next_retry_run_and_extend_keeps_the_claim() -> None:
    now = [1000.0]
    idem = Idempotency(MemoryStore(clock=lambda: now[0]), lease=10)
    run = idem.begin("POST", "/b", key="k")
    assert isinstance(run, Run)
    now[0] += 8
    assert run.extend()
    now[0] += 8  # (past the first lease, within the extended one)
    assert isinstance(idem.begin("POST", "/b", key="k"), InFlight)
    assert run.extend(lease=1.5)
    assert idem.begin("POST", "/b", key="k").retry_after == 2  # type: ignore[union-attr]
    assert run.release()
    assert not run.release()
    assert isinstance(idem.begin("POST", "/b", key="k"), Run)


@pytest.mark.parametrize("lease", [0, -1, "30"])
def test_a_lease_is_a_positive_number(lease: object) -> None:
    with pytest.raises(ValueError, match="positive number of seconds"):
        Idempotency(MemoryStore(), lease=lease)  # type: ignore[arg-type]


# -- the refusals, as problems --------------------------------------------------------

DRAFT_WORDING = {
    Missing: (400, "Idempotency-Key is missing", "requires correct usage of Idempotency Key"),
    Mismatch: (422, "Idempotency-Key is already used", "MUST not be reused across different payloads"),
    InFlight: (409, "A request is outstanding for this Idempotency-Key", "is being processed or is outstanding"),
    InvalidKey: (400, "Idempotency-Key is invalid", "visible ASCII"),
}


@pytest.mark.parametrize("kind", list(DRAFT_WORDING), ids=lambda k: k.__name__)
def test_refusals_are_problem_json_with_the_drafts_wording(kind: type[Refusal]) -> None:
    status, title, phrase = DRAFT_WORDING[kind]
    refusal = kind(type="https://api.example/idempotency")
    r = refusal.reply(accept="application/json")
    assert r.status == status
    assert r.header("content-type") == "application/problem+json"
    body = json.loads(r.body)
    assert (body["type"], body["title"], body["status"]) == ("https://api.example/idempotency", title, status)
    assert phrase in body["detail"]
    assert r.header("Link") == '<https://api.example/idempotency>; rel="describedby"'
    assert (r.header("Retry-After") is not None) == (status == 409)


@pytest.mark.parametrize("kind", list(DRAFT_WORDING), ids=lambda k: k.__name__)
def test_refusals_are_problem_xml_when_asked(kind: type[Refusal]) -> None:
    status, title, _ = DRAFT_WORDING[kind]
    r = kind().reply(accept="application/problem+xml", method="POST")
    assert r.status == status
    assert r.header("content-type") == "application/problem+xml; charset=utf-8"
    assert f"<P:title>{title}</P:title>".encode() in r.body
    assert r.header("Link") is None
    dav = kind().reply(default="application/xml")
    assert dav.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<D:error')


def test_a_refusal_as_an_item_response_carries_the_problem_in_both_forms() -> None:
    r = Mismatch(type="https://api.example/idem").response("/items/4", id="4")
    doc = ms.MultiStatus([r, InFlight(wait=7).response("/items/5")])
    assert ms.from_json(ms.to_json(doc)) == doc == ms.from_xml(ms.to_xml(doc))
    assert r.error is not None
    assert r.error.problem["type"] == "https://api.example/idem"
    assert doc.responses[1].headers == {"retry-after": "7"}


# -- per-item keys --------------------------------------------------------------------


def test_item_responses_are_marked_replayed_in_both_representations() -> None:
    item = ms.Response("/items/1", status=201, id="1", headers={"etag": '"1"'}, body={"saved": True})
    replayed = decode_response(encode_response(item))
    assert replayed.headers == {"etag": '"1"'}
    assert replayed.replayed
    assert not item.replayed
    assert replayed.body == {"saved": True}
    doc = ms.MultiStatus([replayed])
    assert ms.from_xml(ms.to_xml(doc)) == doc == ms.from_json(ms.to_json(doc))
    assert b'"replayed":true' in ms.to_json(doc)
    assert b"<ms:replayed/>" in ms.to_xml(doc)


def test_items_with_keys_run_once_and_replay_after() -> None:
    store = MemoryStore()
    items = [{"idempotency_key": "a", "v": 1}, {"v": 2}, {"idempotency_key": "b", "v": 3}]
    first = claim_items(items, store)
    assert first.run == (0, 1, 2)
    assert set(first.keys) == {0, 2}
    kept = first.complete({i: ms.Response(f"/items/{i}", status=201) for i in first.run})
    assert kept == {0: True, 2: True}
    second = claim_items([*items, {"idempotency_key": "c", "v": 4}], store)
    assert second.run == (1, 3)
    assert sorted(second.replayed) == [0, 2]
    assert second.replayed[2].href == "/items/2"
    changed = claim_items([{"idempotency_key": "a", "v": 9}], store)
    assert isinstance(changed.refused[0], Mismatch)
    assert isinstance(claim_items([{"idempotency_key": "c", "v": 4}], store).refused[0], InFlight)


def test_unfinished_items_are_released_or_kept_claimed() -> None:
    store = MemoryStore()
    items = [{"idempotency_key": k} for k in "abc"]
    claims = claim_items(items, store)
    assert claims.complete({0: ms.Response("/a", status=201)}, release_rest=False) == {0: True}
    assert claim_items(items, store).run == ()  # b and c: still in flight
    assert claims.complete({1: ms.Response("/b", status=201)}) == {1: True}  # c released
    assert claim_items(items, store).run == (2,)


def test_a_failed_batch_releases_all_its_items() -> None:
    store = MemoryStore()
    items = [{"idempotency_key": k} for k in "ab"] + [{"x": 1}]
    claim_items(items, store).release()
    assert claim_items(items, store).run == (0, 1, 2)
    claim_items([{"x": 1}], store).release()  # (nothing claimed: no store call)


def test_items_repeating_a_key_in_one_batch_and_bad_item_keys_are_refused() -> None:
    items = [{"k": "a", "v": 1}, {"k": "a", "v": 1}, {"k": "a", "v": 2}, {"k": 5}, {"k": "x y"}]
    claims = claim_items(items, MemoryStore(), member="k", policy="https://api.example/i")
    assert claims.run == (0,)
    assert [type(claims.refused[i]).__name__ for i in range(1, 5)] == [
        "InFlight",
        "Mismatch",
        "InvalidKey",
        "InvalidKey",
    ]
    assert claims.refused[3].detail == "item 3: the member 'k' is a string, not int"
    assert claims.refused[4].type == "https://api.example/i"


def test_an_item_repeated_in_its_batch_gets_the_first_ones_answer_once_it_is_kept() -> None:
    """The repeat is refused while the first runs (409), and replayed with the first's answer on
    the batch's resend, instead of 409 on every resend."""
    store = MemoryStore()
    items = [{"k": "a", "v": 1}, {"k": "a", "v": 1}, {"k": "b"}]
    first = claim_items(items, store, member="k")
    assert (first.run, type(first.refused[1]).__name__) == ((0, 2), "InFlight")
    first.complete({0: ms.Response("/items/a", status=201), 2: ms.Response("/items/b", status=201)})
    again = claim_items(items, store, member="k")
    assert (again.run, dict(again.refused)) == ((), {})
    assert [again.replayed[i].href for i in range(3)] == ["/items/a", "/items/a", "/items/b"]


def test_an_item_key_is_bound_to_its_endpoint() -> None:
    store = MemoryStore()
    items = [{"idempotency_key": "a", "n": 1}]
    claim_items(items, store, target="POST /orders").complete({0: ms.Response("/orders/1", status=201)})
    assert claim_items(items, store, target="POST /orders").replayed[0].href == "/orders/1"
    assert type(claim_items(items, store, target="POST /refunds").refused[0]).__name__ == "Mismatch"


def test_items_of_different_scopes_do_not_meet() -> None:
    store = MemoryStore()
    items = [{"idempotency_key": "a"}]
    claim_items(items, store, scope="t1").complete({0: ms.Response("/a", status=201)})
    assert claim_items(items, store, scope="t2").run == (0,)


def test_the_memory_store_is_a_store() -> None:
    assert isinstance(MemoryStore(), Store)
