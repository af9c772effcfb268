"""Requests per second through MultiStatusMiddleware vs the same app returning pre-rendered bytes.

Not a test: run ``python bench/bench_wsgi.py`` (with the package installed or on
``PYTHONPATH``).  The application records a
100-item batch (97 saved, 3 failed) per request.  Under the middleware it hands
the collector over with ``respond()`` and the middleware negotiates, applies
``Prefer`` and the policy, and serializes; the baseline app records the same
items and returns bytes rendered once before the run with the right headers.
Both are called directly as WSGI callables (no HTTP, no test client) so the
figure is the middleware's own cost per request, for JSON and for XML.
Runs are interleaved and the median of several repeats is compared, in the same
process.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.test import EnvironBuilder

import multistatus as ms
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

ITEMS = 100
REQUESTS = 200
REPEATS = 7


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


def baseline(accept: str) -> Callable[..., Iterable[bytes]]:
    results = ms.Results()
    record(results)
    answer = ms.reply(results.build(), accept=accept, method="POST", content_type="application/json")
    status, headers, body = answer.status_line, list(answer.headers), answer.body

    def prerendered(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        record(ms.Results())  # the application's own work is the same on both sides
        start_response(status, headers)
        return [body]

    return prerendered


def rate(wsgi: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> float:
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return None

    start = time.perf_counter()
    for _ in range(REQUESTS):
        env = dict(environ)
        b"".join(wsgi(env, start_response))
    return REQUESTS / (time.perf_counter() - start)


def main() -> int:
    middleware = MultiStatusMiddleware(app)
    print(f"{ITEMS}-item batch, {REQUESTS} requests x {REPEATS} repeats, direct WSGI calls")
    for accept in ("application/json", "application/xml"):
        environ = EnvironBuilder(
            "/items", method="POST", headers={"Accept": accept, "Content-Type": "application/json"}
        ).get_environ()
        plain = baseline(accept)
        ours, theirs = [], []
        for _ in range(REPEATS):
            theirs.append(rate(plain, environ))
            ours.append(rate(middleware, environ))
        mid, base = statistics.median(ours), statistics.median(theirs)
        print(
            f"{accept:17}  middleware {mid:8.0f} req/s   pre-rendered {base:8.0f} req/s   "
            f"ratio {base / mid:.2f}x slower"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
