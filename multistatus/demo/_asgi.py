"""The demo's batch endpoint as an ASGI application (``uvicorn --factory multistatus.demo:make_asgi_app``)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from .._http._batch import read_batch
from .._http._negotiation import JSON
from .._http._policy import POLICIES
from .._limits import Limits
from ..asgi import MultiStatusMiddleware, get_results, read_body, respond, respond_problem
from ..asgi._render import ASGIApp, Receive, Scope, Send, header
from ..jobs import Jobs, TaskRunner, monitor_asgi
from ._batch import MAX_BODY, MAX_DELAY, MAX_ITEMS, SAMPLE_ITEMS, _delay, item_name, process_items
from ._jobs import MONITORS, demo_jobs, job_payload
from ._server import curl_commands

__all__ = ["make_asgi_app"]

_LIMITS = Limits(max_bytes=MAX_BODY, max_responses=MAX_ITEMS)


def _batch_app(jobs: Jobs) -> ASGIApp:
    """``/batch`` for one status policy: answered at once, or as a job on ``Prefer: respond-async``."""

    async def batch(scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        delay = _delay(parse_qs(scope.get("query_string", b"").decode("latin-1")).get("delay", [None])[-1])
        if delay is None:
            detail = f"delay is the seconds each item takes, a decimal number from 0 to {MAX_DELAY:g}"
            await respond_problem(scope, send, 400, detail=detail)
            return
        if method == "GET":
            items: list[Any] = list(SAMPLE_ITEMS)  # a dry run for people with a browser
        elif method == "POST":
            items = read_batch(await read_body(scope, receive, max_bytes=MAX_BODY), limits=_LIMITS, member=None)
            if jobs.wants_job(header(scope, "prefer"), len(items)):
                started = jobs.start(job_payload(items, delay), len(items))
                headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in started.headers]
                await send({"type": "http.response.start", "status": started.status, "headers": headers})
                await send({"type": "http.response.body", "body": started.body})
                return
        else:
            await respond_problem(scope, send, 405, headers=[("Allow", "GET, POST")])
            return
        await asyncio.to_thread(process_items, get_results(scope), items, delay=delay)  # (the loop stays free)
        await respond(scope, send)

    return batch


def make_asgi_app() -> ASGIApp:
    """The demo's batch endpoint over ASGI: ``/batch`` (``?policy=``), and ``/`` with instructions.

    It answers like the WSGI demo (:func:`make_app`): a JSON array of items
    in, a negotiated multistatus out (JSON by default), malformed bodies as
    400 problems, bodies over 64 KiB as 413; ``Prefer: respond-async`` runs a
    batch as a job (asyncio tasks, :class:`~multistatus.jobs.TaskRunner`), its
    monitor at ``/batch/jobs/...``; ``?delay=`` slows each item.  Serve it with
    ``uvicorn --factory multistatus.demo:make_asgi_app``.

    Returns:
        An ASGI application.

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> from multistatus.demo import make_asgi_app
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> scope = {"type": "http", "method": "GET", "path": "/batch", "query_string": b"", "headers": []}
        >>> asyncio.run(make_asgi_app()(scope, None, send))
        >>> sent[0]["status"], ms.from_json(sent[1]["body"]).summary.succeeded
        (207, 7)
    """
    runner = TaskRunner()
    jobs = demo_jobs(POLICIES, process_items, item_name, runner=runner)
    batches = {
        policy: MultiStatusMiddleware(_batch_app(jobs[policy]), policy=policy, default=JSON) for policy in POLICIES
    }
    monitors = {policy: monitor_asgi(jobs[policy]) for policy in POLICIES}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await runner.wait()
            await send({"type": "lifespan.shutdown.complete"})
            return
        path = scope.get("path", "")
        policy = path[len(MONITORS) :].partition("/")[0] if path.startswith(MONITORS) else None
        if policy in monitors:
            await monitors[policy](scope, receive, send)
        elif path == "/batch":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            policy = query.get("policy", ["always-207"])[-1]
            if policy not in batches:
                detail = f"unknown policy; use one of {', '.join(POLICIES)}"
                await respond_problem(scope, send, 400, detail=detail, default=JSON)
                return
            await batches[policy](scope, receive, send)
        elif path == "/":
            host = header(scope, "host") or "127.0.0.1:8000"
            text = "multistatus demo\n\n" + "\n".join(curl_commands(f"http://{host}")) + "\n"
            data = text.encode("utf-8")
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(data)).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": data})
        else:
            await respond_problem(scope, send, 404, detail="try / for instructions")

    return app
