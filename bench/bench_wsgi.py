"""Requests per second through MultiStatusMiddleware vs the same app answering with its own bytes.

Not a test: run ``python bench/bench_wsgi.py`` (with the package installed or on
``PYTHONPATH``).  Every application answers a 100-item batch (97 created, 3
failed) per request; all are called directly as WSGI callables (no HTTP, no
test client), for JSON and for XML:

``middleware``
    records the items in the per-request collector (``get_results``) and hands
    it over with ``respond()``; the middleware negotiates, applies ``Prefer``
    and the status policy, serializes and sets the header fields.
``hand-built``
    what a developer writes without the library: its own list of per-item
    dicts, the body built with ``json.dumps`` (the same JSON shape as the
    library's, summary included) or with lxml ``Element``/``SubElement`` and
    ``tostring`` (the same ``DAV:multistatus``), plus the header fields, per
    request.  No negotiation: the JSON app always sends JSON, the XML app XML.
``pre-rendered``
    records the same items in a collector (the application's work is the same
    as under the middleware) and returns bytes rendered once before the run.

Before timing, the script checks that all three send the same document, status
and ``Content-Type``.  Rounds are interleaved (each round times the three apps
in turn); the ratios are middleware req/s over baseline req/s per round, and the
table shows their medians against the goals of issue 5 (middleware >= 0.85x of
hand-built and >= 0.75x of pre-rendered).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree
from werkzeug.test import EnvironBuilder

import multistatus as ms
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

ITEMS = 100
REQUESTS = 200
ROUNDS = 9
GOAL_HAND = 0.85
GOAL_PRE = 0.75

WSGIApp = Callable[..., Iterable[bytes]]


def record(results: ms.Results) -> None:
    for i in range(ITEMS):
        href = f"/items/{i}"
        if i % 40 == 7:
            results.failed(href, status=422, id=str(i), code="invalid", message="name is required")
        else:
            results.succeeded(href, status=201, id=str(i), location=href)


def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    record(get_results(environ))
    return respond(environ, start_response)


def prerendered(accept: str) -> WSGIApp:
    results = ms.Results()
    record(results)
    answer = ms.reply(results.build(), accept=accept, method="POST", content_type="application/json")
    status, headers, body = answer.status_line, list(answer.headers), answer.body

    def prerendered_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        record(ms.Results())  # the application's own work is the same on both sides
        start_response(status, headers)
        return [body]

    return prerendered_app


# -- what a developer writes without the library ----------------------------------------


def handbuilt_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for i in range(ITEMS):
        href = f"/items/{i}"
        if i % 40 == 7:
            items.append(
                {"id": str(i), "href": href, "status": 422, "error": {"code": "invalid", "message": "name is required"}}
            )
        else:
            items.append({"id": str(i), "href": href, "status": 201, "location": href})
    return items


def handbuilt_json(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    items = handbuilt_items()
    by_status: dict[int, int] = {}
    for item in items:
        by_status[item["status"]] = by_status.get(item["status"], 0) + 1
    succeeded = sum(n for code, n in by_status.items() if 200 <= code < 300)
    summary = {
        "total": len(items),
        "succeeded": succeeded,
        "failed": len(items) - succeeded,
        "partial": 0,
        "other": 0,
        "byStatus": {str(code): n for code, n in sorted(by_status.items())},
        "truncated": False,
    }
    body = json.dumps({"responses": items, "summary": summary}, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(
        "207 Multi-Status",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Vary", "Accept"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]


_D, _MS, _P = "{DAV:}", f"{{{ms.NAMESPACE}}}", f"{{{ms.PROBLEM_NS}}}"
_NSMAP = {"D": "DAV:", "ms": ms.NAMESPACE, "P": ms.PROBLEM_NS}
_LINES = {201: "HTTP/1.1 201 Created", 422: "HTTP/1.1 422 Unprocessable Content"}


def handbuilt_xml(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    items = handbuilt_items()
    sub = etree.SubElement
    root = etree.Element(_D + "multistatus", nsmap=_NSMAP)
    for item in items:
        response = sub(root, _D + "response")
        sub(response, _D + "href").text = item["href"]
        sub(response, _D + "status").text = _LINES[item["status"]]
        if "error" in item:
            error = sub(response, _D + "error")
            for key, value in item["error"].items():
                sub(error, _P + key).text = value
        else:
            sub(sub(response, _D + "location"), _D + "href").text = item["location"]
        sub(response, _MS + "id").text = item["id"]
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    start_response(
        "207 Multi-Status",
        [
            ("Content-Type", "application/xml; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Vary", "Accept"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]


# -- measuring ------------------------------------------------------------------------


def call(wsgi: WSGIApp, environ: dict[str, Any]) -> tuple[str, dict[str, str], bytes]:
    got: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        got[:] = [status, dict(headers)]

    body = b"".join(wsgi(dict(environ), start_response))
    return got[0], got[1], body


def check_same(accept: str, environ: dict[str, Any], apps: dict[str, WSGIApp]) -> None:
    """All apps send the same status, Content-Type and document (else the comparison is void)."""
    read = ms.from_json if accept == "application/json" else ms.from_xml
    answers = {name: call(wsgi, environ) for name, wsgi in apps.items()}
    status, headers, body = answers["middleware"]
    for name, (other_status, other_headers, other_body) in answers.items():
        same = (
            other_status == status
            and other_headers["Content-Type"] == headers["Content-Type"]
            and int(other_headers["Content-Length"]) == len(other_body)
            and read(other_body) == read(body)
        )
        if not same:
            raise SystemExit(f"{accept}: {name} does not send what the middleware sends")


def rate(wsgi: WSGIApp, environ: dict[str, Any]) -> float:
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return None

    start = time.perf_counter()
    for _ in range(REQUESTS):
        env = dict(environ)
        b"".join(wsgi(env, start_response))
    return REQUESTS / (time.perf_counter() - start)


def main() -> int:
    middleware = MultiStatusMiddleware(app)
    print(f"{ITEMS}-item batch, {REQUESTS} requests x {ROUNDS} interleaved rounds, direct WSGI calls")
    print(
        f"{'media type':17} {'middleware':>11} {'hand-built':>11} {'pre-rendered':>13}"
        f" {'mw/hand':>8} {'goal':>5} {'mw/pre':>8} {'goal':>5}"
    )
    handbuilt = {"application/json": handbuilt_json, "application/xml": handbuilt_xml}
    met = True
    for accept in ("application/json", "application/xml"):
        environ = EnvironBuilder(
            "/items", method="POST", headers={"Accept": accept, "Content-Type": "application/json"}
        ).get_environ()
        apps = {"middleware": middleware, "hand-built": handbuilt[accept], "pre-rendered": prerendered(accept)}
        check_same(accept, environ, apps)
        rates: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(ROUNDS):
            for name, wsgi in apps.items():
                rates[name].append(rate(wsgi, environ))
        ours = rates["middleware"]
        to_hand = statistics.median(m / h for m, h in zip(ours, rates["hand-built"], strict=True))
        to_pre = statistics.median(m / p for m, p in zip(ours, rates["pre-rendered"], strict=True))
        met = met and to_hand >= GOAL_HAND and to_pre >= GOAL_PRE
        print(
            f"{accept:17} {statistics.median(ours):7.0f} r/s {statistics.median(rates['hand-built']):7.0f} r/s"
            f" {statistics.median(rates['pre-rendered']):9.0f} r/s"
            f" {to_hand:7.2f}x {'met' if to_hand >= GOAL_HAND else 'no':>5}"
            f" {to_pre:7.2f}x {'met' if to_pre >= GOAL_PRE else 'no':>5}"
        )
    print(
        f"goals: middleware >= {GOAL_HAND}x hand-built and >= {GOAL_PRE}x pre-rendered (req/s ratios, medians):"
        f" {'all met' if met else 'not all met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
