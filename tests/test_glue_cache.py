"""The remembered request plans of reply() and the WSGI middleware answer as if decided afresh.

:func:`~multistatus.reply` (and the middleware, through it) remembers, per
options object and request header values, the representation, the preferences,
the status rule and the header fields.  These tests check every answer against
the same decision made from the public building blocks, in mixed orders, and
that the memory is bounded and never holds an error.

The memory itself is private (``multistatus._http._reply``) and cannot be seen
from outside, which is the point of it: the tests that check its bounds and
what it refuses to keep read it there, and ``negotiate_reply``, the seam the
streaming WSGI answer shares with :func:`~multistatus.reply`, is checked
against the public building blocks as well.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import pytest
from werkzeug.test import Client

import multistatus as ms
from multistatus._http import _reply
from multistatus._http._reply import negotiate_reply
from multistatus.wsgi import MultiStatusMiddleware, get_results, merge_headers, respond

DOCS = [
    ms.MultiStatus([ms.Response("/a", status=201, body={"x": 1}), ms.Response("/b", status=422)]),
    ms.MultiStatus([ms.Response("/a", status=423), ms.Response("/b", status=423)]),
    ms.MultiStatus(
        [ms.Response("/p", propstats=[ms.PropStat({"{DAV:}getetag": '"1"'}), ms.PropStat({"{DAV:}owner": None}, 404)])]
    ),
    ms.MultiStatus([ms.Response("/p", propstats=[ms.PropStat({"{DAV:}getetag": '"1"'})])]),
]


class Counting:
    """A status policy that cannot be hashed (it defines == only) and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __eq__(self, other: object) -> bool:
        return other is self

    __hash__ = None  # type: ignore[assignment]

    def __call__(self, doc: ms.MultiStatus) -> int:
        self.calls += 1
        return 200 if doc.summary.all_succeeded else 422


OPTIONS = [
    ms.ServeOptions(),
    ms.ServeOptions(default="application/json"),
    ms.ServeOptions(strict=True, offers=("application/json",)),
    ms.ServeOptions(policy="collapse-uniform"),
    ms.ServeOptions(policy="always-200", honor_prefer=False),
    ms.ServeOptions(policy="200-if-all-succeeded", offers=("application/xml", "text/html")),
    ms.ServeOptions(policy=Counting()),
    ms.ServeOptions(default="text/xml"),
]
ACCEPTS = [None, "*/*", "application/json", "text/xml", "text/html", "image/png", "application/json;q=0.5, */*;q=0.6"]
PREFERS = [None, "return=minimal", "return=representation", "wait=5"]
BRIEFS = [None, "t"]
METHODS = [None, "POST", "PROPFIND", "PROPPATCH", "proppatch", "DELETE", "REPORT"]
CONTENT_TYPES = [None, "application/json", "text/plain"]


def headers(
    media_type: str | None, prefs: ms.Preferences, opts: ms.ServeOptions, body: bytes | None
) -> tuple[Any, ...]:
    """The header fields docs/http.rst lists for an answer in *media_type* (``None``: a 204)."""
    fields: list[tuple[str, str]] = []
    if media_type is not None:
        charset = "; charset=utf-8" if media_type != "application/json" else ""
        fields += [("Content-Type", media_type + charset), ("Content-Length", str(len(body or b"")))]
    if media_type == "text/html":
        fields.append(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"))
    fields.append(("Vary", "Accept, Prefer, Brief" if opts.honor_prefer else "Accept"))
    if prefs.return_ is not None:
        fields.append(("Preference-Applied", f"return={prefs.return_}"))
    return (*fields, ("X-Content-Type-Options", "nosniff"))


def reference(doc: ms.MultiStatus, opts: ms.ServeOptions, **request: Any) -> tuple[Any, ...]:
    """What reply() answers, decided from the public building blocks every time."""
    accept, prefer, brief = request["accept"], request["prefer"], request["brief"]
    method, content_type = request["method"], request["content_type"]
    try:
        auto = ms.default_media_type(method, content_type) if opts.default is None else opts.default
        media_type = ms.negotiate(
            accept, offers=opts.offers, default=auto if auto in opts.offers else opts.offers[0], strict=opts.strict
        )
    except ms.NotAcceptable as exc:
        return ("NotAcceptable", exc.available)
    prefs = ms.parse_prefer(prefer, brief) if opts.honor_prefer else ms.Preferences()
    doc = ms.apply_prefer(doc, prefs, method=method)
    status = ms.choose_status(doc, opts.policy, method=method, prefs=prefs)
    if status == 204:
        return (204, headers(None, prefs, opts, None), b"")
    write = {"application/json": ms.to_json, "text/html": ms.to_html}.get(media_type, ms.to_xml)
    body = write(doc)
    return (status, headers(media_type, prefs, opts, body), body)


def answer(doc: ms.MultiStatus, opts: ms.ServeOptions, **request: Any) -> tuple[Any, ...]:
    try:
        r = ms.reply(doc, options=opts, **request)
    except ms.NotAcceptable as exc:
        return ("NotAcceptable", exc.available)
    return (r.status, r.headers, r.body)


def test_every_combination_answers_as_decided_afresh_twice_over() -> None:
    # Every combination of the options and the request header values (what a plan is remembered
    # by); the documents take turns, and the second round answers each plan for another document.
    combos = list(itertools.product(OPTIONS, ACCEPTS, PREFERS, BRIEFS, METHODS, CONTENT_TYPES))
    for round_ in range(2):  # the first round fills the memory, the second is answered from it
        for i, (opts, accept, prefer, brief, method, content_type) in enumerate(combos):
            if round_ == 0 and i % 3:
                continue
            doc = DOCS[(i + round_) % len(DOCS)]
            request = {"accept": accept, "prefer": prefer, "brief": brief, "method": method}
            request["content_type"] = content_type
            got = answer(doc, opts, **request)
            assert got == reference(doc, opts, **request), (round_, request)
            if opts.strict and got[0] == "NotAcceptable":
                continue
            media_type, prefs = negotiate_reply(opts, **request)
            assert media_type in opts.offers
            assert prefs == (ms.parse_prefer(prefer, brief) if opts.honor_prefer else ms.Preferences())


def test_preferences_are_shared_only_because_they_are_immutable() -> None:
    _, prefs = negotiate_reply(
        ms.ServeOptions(), accept=None, prefer="return=minimal, x=1", brief=None, method="POST", content_type=None
    )
    with pytest.raises(AttributeError):
        prefs.return_ = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        prefs.other["x"] = "2"  # type: ignore[index]


def test_the_policy_runs_for_every_answer_and_need_not_be_hashable() -> None:
    policy = Counting()
    opts = ms.ServeOptions(policy=policy)
    with pytest.raises(TypeError):
        hash(opts)
    for i in range(5):
        assert ms.reply(DOCS[0], options=opts, accept="application/json").status == 422
        assert ms.reply(DOCS[3], options=opts, accept="application/json").status == 200
        assert policy.calls == 2 * (i + 1)


def test_the_memory_is_bounded_and_skips_long_header_values() -> None:
    opts = ms.ServeOptions()
    for i in range(_reply.PLAN_MEMO_SIZE + 50):
        ms.reply(DOCS[0], options=opts, accept=f"application/json, x-test/t{i};q=0.1")
        assert len(_reply._PLANS) <= _reply.PLAN_MEMO_SIZE
    long = "application/json, " + ", ".join(f"x-test/long{i};q=0.1" for i in range(100))
    assert len(long) > _reply.PLAN_MEMO_LENGTH
    assert ms.reply(DOCS[0], options=opts, accept=long).header("content-type") == "application/json"
    assert not any(key[1] == long for key in _reply._PLANS)


def test_an_error_is_never_remembered() -> None:
    strict = ms.ServeOptions(strict=True, offers=("application/json",))
    for _ in range(3):
        with pytest.raises(ms.NotAcceptable):
            ms.reply(DOCS[0], options=strict, accept="image/png")
        assert not any(plan[0] is strict and key[1] == "image/png" for key, plan in _reply._PLANS.items())
    c = Client(MultiStatusMiddleware(lambda e, s: respond(e, s, DOCS[0]), strict))
    assert [c.get("/", headers={"Accept": "image/png"}).status_code for _ in range(3)] == [406] * 3
    with pytest.raises(AttributeError):  # a method that is no str: refused where choose_status refuses it
        ms.reply(DOCS[0], method=1, default="application/json")  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(AttributeError):
            ms.reply(DOCS[0], method=1, options=ms.ServeOptions(default="application/json"))  # type: ignore[arg-type]


def test_unhashable_header_values_are_decided_afresh() -> None:
    as_list = ms.reply(DOCS[0], prefer=["return=minimal"], accept="application/json")  # type: ignore[arg-type]
    as_str = ms.reply(DOCS[0], prefer="return=minimal", accept="application/json")
    assert as_list == as_str
    assert as_list.header("preference-applied") == "return=minimal"


def test_options_made_for_one_call_are_not_remembered() -> None:
    before = set(_reply._PLANS)
    for _ in range(3):
        assert ms.reply(DOCS[1], accept="application/json", policy="collapse-uniform").status == 423
    assert set(_reply._PLANS) <= before


def test_equal_options_made_anew_each_time() -> None:
    for i in range(20):  # an options object may reuse the id of one dropped before
        opts = ms.ServeOptions(default="application/json" if i % 2 else "application/xml")
        expected = "application/json" if i % 2 else "application/xml; charset=utf-8"
        assert ms.reply(DOCS[0], options=opts, method="POST").header("content-type") == expected


class Subclassed(ms.ServeOptions):
    """Options of a subclass: taken as they are, answered as the base class would be, not remembered."""


def test_options_of_a_subclass() -> None:
    opts = Subclassed(policy="collapse-uniform", default="application/json")
    c = Client(MultiStatusMiddleware(lambda e, s: respond(e, s, DOCS[1]), opts))
    for _ in range(3):
        r = c.post("/")
        assert (r.status_code, r.headers["Content-Type"]) == (423, "application/json")
        assert r.data == ms.reply(DOCS[1], options=opts).body == ms.to_json(DOCS[1])
    assert not any(plan[0] is opts for plan in _reply._PLANS.values())


def test_status_lines() -> None:
    assert ms.Reply(HTTPStatus.CREATED, (), b"").status_line == "201 Created"
    assert ms.Reply(201, (), b"").status_line == "201 Created"
    for code in range(1000, 2100):
        assert ms.Reply(code, (), b"").status_line == f"{code} Unknown"
    assert len(_reply._STATUS_LINES) <= 1000


def fields_app(extra: list[tuple[str, str]], wrap: bool) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).succeeded("/items/1", status=201)
        if wrap:

            def added(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                return start_response(status, [*headers, ("Set-Cookie", "s=1"), ("Vary", "Cookie")], exc_info)

            return respond(environ, added, headers=extra)
        return respond(environ, start_response, headers=extra)

    return app


@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize("extra", [[], [("ETag", '"7"')], [("Content-Type", "text/plain"), ("Vary", "Origin")]])
def test_the_applications_fields_are_merged_as_ever(extra: list[tuple[str, str]], wrap: bool) -> None:
    c = Client(MultiStatusMiddleware(fields_app(extra, wrap)))
    added = [("Set-Cookie", "s=1"), ("Vary", "Cookie")] if wrap else []
    for method in ("POST", "HEAD", "PROPFIND"):
        r = c.open("/", method=method, headers={"Accept": "application/json"})
        own = ms.reply(ms.MultiStatus([ms.Response("/items/1", status=201)]), accept="application/json", method=method)
        assert r.headers.to_wsgi_list() == list(merge_headers(own, [*extra, *added]).headers)
        assert r.data == (b"" if method == "HEAD" else own.body)
