"""ServeOptions and status policies: one settings object, policies as plug-ins, used by every edge.

One test reads ``multistatus._exceptions``: the exception tree is drawn in that
module's docstring, and the test checks the drawing against the public classes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from werkzeug.test import Client, EnvironBuilder

import multistatus as ms
from multistatus.wsgi import MultiStatusMiddleware, MultiStatusResponse, get_results, respond, respond_stream

OK = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=201)])
MIXED = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=422)])


def all_or_422(doc: ms.MultiStatus) -> int:
    return 200 if doc.summary.all_succeeded else 422


# -- the settings object ------------------------------------------------------------
@pytest.mark.parametrize(
    ("settings", "error", "match"),
    [
        pytest.param({"policy": "sometimes-207"}, ValueError, "unknown status policy", id="unknown-policy"),
        pytest.param({"policy": 207}, TypeError, "name or a callable", id="policy-not-callable"),
        pytest.param({"offers": "application/json"}, TypeError, "not a str", id="offers-str"),
        pytest.param({"offers": ()}, ValueError, "cannot be empty", id="offers-empty"),
        pytest.param({"offers": ("image/png",)}, ValueError, "cannot offer 'image/png'", id="offer-unknown"),
        pytest.param({"default": "text/plain"}, ValueError, "default 'text/plain'", id="default-unknown"),
    ],
)
def test_bad_settings_fail_at_construction(settings: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        ms.ServeOptions(**settings)


def test_options_are_frozen_and_replace_makes_a_copy() -> None:
    opts = ms.ServeOptions(policy="collapse-uniform", strict=True)
    with pytest.raises(AttributeError):
        opts.strict = False  # type: ignore[misc]
    copy = opts.replace(default="application/json", strict=None)  # None keeps the value
    assert (copy.default, copy.strict, copy.policy) == ("application/json", True, ms.policy_of("collapse-uniform"))
    assert opts.default is None
    with pytest.raises(TypeError, match="unknown serving option 'polcy'"):
        opts.replace(polcy="always-200")


def test_one_options_object_serves_reply_the_middleware_and_the_response_class() -> None:
    opts = ms.ServeOptions(policy=all_or_422, default="application/json")
    assert ms.reply(MIXED, options=opts).status == 422

    def app(environ: Any, start_response: Any) -> Any:
        get_results(environ).failed("/items/2", status=422, code="invalid")
        return respond(environ, start_response)

    r = Client(MultiStatusMiddleware(app, opts)).post("/items", json=[{}])
    assert (r.status_code, r.mimetype) == (422, "application/json")
    environ = EnvironBuilder(method="POST").get_environ()
    assert MultiStatusResponse(OK, environ, opts).status_code == 200
    # keyword settings go over the options object, everywhere the same way
    assert ms.reply(MIXED, options=opts, policy="always-207").status == 207
    with pytest.raises(TypeError, match="options must be a ServeOptions"):
        ms.reply(OK, options={"policy": "always-200"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unknown serving option"):
        MultiStatusMiddleware(app, polcy="always-200")


def test_the_response_class_takes_the_middlewares_options_unless_told_otherwise() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        get_results(environ).succeeded("/items/1", status=201)
        response = MultiStatusResponse.collected(environ)
        return response(environ, start_response)

    client = Client(MultiStatusMiddleware(app, policy="collapse-uniform", default="application/json"))
    r = client.post("/items", json=[{}])
    assert (r.status_code, r.mimetype) == (201, "application/json")


# -- policies ---------------------------------------------------------------------------
def test_built_in_policies_are_policy_values_named_in_policies() -> None:
    assert [ms.policy_of(name).name for name in ms.POLICIES] == list(ms.POLICIES)
    assert all(isinstance(ms.policy_of(name), ms.Policy) for name in ms.POLICIES)
    assert repr(ms.policy_of("always-207")) == "Policy('always-207')"
    assert ms.policy_of(all_or_422) is all_or_422


@pytest.mark.parametrize(
    ("policy", "doc", "method", "expected"),
    [
        pytest.param(all_or_422, MIXED, "POST", 422, id="function"),
        pytest.param(all_or_422, OK, "POST", 200, id="function-ok"),
        pytest.param(ms.Policy("teapot-free", lambda d: 503), OK, "POST", 503, id="policy-value"),
        pytest.param(all_or_422, MIXED, "PROPFIND", 207, id="property-methods-first"),
    ],
)
def test_custom_policies(policy: ms.StatusPolicy, doc: ms.MultiStatus, method: str, expected: int) -> None:
    assert ms.choose_status(doc, policy, method=method) == expected


@pytest.mark.parametrize(
    "code", [pytest.param(302, id="3xx"), pytest.param(100, id="1xx"), pytest.param("200", id="str")]
)
def test_a_policy_that_returns_an_unusable_code_is_an_error(code: object) -> None:
    with pytest.raises(ValueError, match=re.escape(f"returned {code!r}")):
        ms.choose_status(OK, lambda doc: code)  # type: ignore[arg-type,return-value]


def test_streamed_answers_use_the_policys_streaming_status() -> None:
    lenient = ms.Policy("gateway-safe", lambda doc: 200, streaming_status=200)

    def app(environ: Any, start_response: Any) -> Any:
        return respond_stream(environ, start_response, (ms.Response(f"/i/{i}", status=201) for i in range(3)))

    for policy, expected in ((lenient, 200), (all_or_422, 207), ("always-200", 200), ("collapse-uniform", 207)):
        r = Client(MultiStatusMiddleware(app, policy=policy, stream=True)).get(
            "/", headers={"Accept": "application/json"}
        )
        assert r.status_code == expected, policy
        assert len(json.loads(r.data)["responses"]) == 3


# -- the values a new user reaches for ---------------------------------------------------
def test_status_compares_and_hashes_like_its_code() -> None:
    import http

    assert ms.Status(422) == 422 == ms.Status(422, "Unprocessable")
    assert ms.Status(422) == http.HTTPStatus.UNPROCESSABLE_ENTITY
    assert ms.Status(422) != ms.Status(422, "Unprocessable")  # the reason phrases differ
    assert ms.Status(200) != True  # noqa: E712 - a bool is not a status code
    assert ms.Status(404) != "404"
    assert {ms.Status(404): "x"}[404] == "x"
    assert len({ms.Status(404), 404, ms.Status(404, "Nope")}) == 2


def test_response_code_is_an_int_in_every_form() -> None:
    found = ms.PropStat({"{DAV:}getetag": '"1"'})
    missing = ms.PropStat({"{DAV:}owner": None}, 404)
    assert ms.Response("/a", status=423).code == 423
    assert ms.Response("/a", propstats=[found]).code == 200
    assert ms.Response("/a", propstats=[found, missing]).code == 207
    assert ms.Response("/a", propstats=[missing, ms.PropStat({"{DAV:}x": None}, 404)]).code == 404
    assert ms.Response("/a").code == 207  # an href alone (WsgiDAV's propname answer)


# -- one exception tree ----------------------------------------------------------------
def test_the_exception_tree_drawing_matches_the_classes() -> None:
    from multistatus import _exceptions

    drawn = re.findall(r"(?:├──|└──|^\s{4})\s*([A-Z]\w+)", _exceptions.__doc__ or "", re.M)
    public = [
        name for name in ms.__all__ if isinstance(getattr(ms, name), type) and issubclass(getattr(ms, name), Exception)
    ]
    assert sorted(drawn) == sorted(public)
    for name in public:
        cls = getattr(ms, name)
        assert cls.__module__ == "multistatus"
        assert getattr(_exceptions, name) is cls  # every class lives in the one module
        assert issubclass(cls, ms.MultiStatusError)
