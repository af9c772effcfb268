"""Answering one ASGI request: the collector in ``scope``, rendering, sending, problems."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._collector import Results
from .._exceptions import LimitExceeded
from .._http import _serve
from .._http._options import DEFAULT_OPTIONS, ServeOptions
from .._http._reply import Reply
from .._model import MultiStatus

__all__ = ["get_results", "legacy_respond", "read_body", "respond_problem"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: ``scope`` key of the per-request :class:`~multistatus.Results` collector.
RESULTS_KEY = _serve.RESULTS_KEY
#: ``scope`` key of the :class:`~multistatus.asgi.MultiStatusMiddleware` serving the request.
MIDDLEWARE_KEY = "multistatus.middleware"
#: ``scope`` key of the :class:`~multistatus.ServeOptions` of that middleware.
OPTIONS_KEY = _serve.OPTIONS_KEY
#: ``scope`` key where :func:`respond` leaves the answer for the middleware to render.
RENDER_KEY = "multistatus.render"

logger = logging.getLogger("multistatus.asgi")


def scope_of(request: Any) -> Scope:
    """The ASGI scope of *request*: a scope itself, or anything with a ``.scope`` (Starlette, FastAPI)."""
    scope = getattr(request, "scope", request)
    if not isinstance(scope, MutableMapping):
        raise TypeError(f"expected an ASGI scope or a request with .scope, not {type(request).__name__}")
    return scope


def header(scope: Scope, name: str) -> str | None:
    """The value of the request header *name* (several fields joined by commas), or ``None``."""
    key = name.lower().encode("latin-1")
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == key]
    return ", ".join(values) if values else None


def served_options(scope: Scope) -> ServeOptions | None:
    options = scope.get(OPTIONS_KEY)
    return options if isinstance(options, ServeOptions) else None


def options_of(scope: Scope) -> ServeOptions:
    return served_options(scope) or DEFAULT_OPTIONS


def request_headers(scope: Scope) -> dict[str, Any]:
    return {
        "accept": header(scope, "accept"),
        "method": scope.get("method"),
        "content_type": header(scope, "content-type"),
    }


def is_head(scope: Scope) -> bool:
    return scope.get("method") == "HEAD"


def render(scope: Scope, doc: MultiStatus, options: ServeOptions) -> Reply:
    """The :func:`~multistatus.reply` to this request; 406 as a problem when strict negotiation fails."""
    return _serve.answer(exchange(scope), doc, options)


def exchange(scope: Scope) -> _serve.Exchange:
    """The request as the serving rules need it."""
    return _serve.Exchange(
        scope,
        header(scope, "accept"),
        header(scope, "prefer"),
        header(scope, "brief"),
        scope.get("method"),
        header(scope, "content-type"),
    )


def problem_for(scope: Scope, exc: BaseException | int, options: ServeOptions, **problem: Any) -> Reply:
    """A problem answer for a status or a request-level exception (never a traceback).

    :class:`~multistatus.MultiStatusError` gives its ``status_hint``, an HTTP
    exception of Starlette or werkzeug its code, a JSON decoding error 400;
    anything else 500 ``internal_error``.
    """
    default = problem.pop("default", None)
    if default is not None:
        options = options.replace(default=default)
    request = exchange(scope)
    if isinstance(exc, int):
        return _serve.problem(request, exc, options, **problem)
    found = _serve.failure_of(exc)
    if found is None:
        return _serve.internal_error(request, options)
    status, detail, extra = found
    problem.setdefault("detail", detail)
    return _serve.problem(request, status, options, headers=extra, **problem)


async def send_reply(send: Send, answer: Reply, *, head: bool = False) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    # HEAD: the same status and headers (Content-Length included), no body (RFC 9110 §9.3.2).
    await send({"type": "http.response.body", "body": b"" if head else answer.body, "more_body": False})


def get_results(request: Any, **options: Any) -> Results:
    """The per-request results collector, created on first use and kept in the ASGI scope.

    Args:
        request: the ASGI ``scope``, or a Starlette/FastAPI ``Request``.
        **options: passed to :class:`~multistatus.Results` when the collector is
            created (``description=``, ``sync_token=``); ignored afterwards.

    Returns:
        The same :class:`~multistatus.Results` for every call within one request.

    Example:
        >>> from multistatus.asgi import get_results
        >>> scope = {"type": "http", "method": "POST", "headers": []}
        >>> _ = get_results(scope).record_failure("/items/9", status=409, code="conflict")
        >>> len(get_results(scope))
        1
    """
    return _serve.results_in(scope_of(request), **options)


async def legacy_respond(scope: Scope, send: Send, doc: MultiStatus | None = None) -> None:
    """The earlier form of :func:`~multistatus.asgi.respond`, kept one release:
    ``await respond(scope, send, doc=None)``.

    Answer the request with *doc*, or with the collected results when *doc* is ``None``.

    Under :class:`~multistatus.asgi.MultiStatusMiddleware` the middleware renders the answer with
    its settings once the application returns (nothing is sent here);
    without it, the answer is rendered and sent here with the library defaults.

    Args:
        scope: the ASGI scope.
        send: the ``send`` callable the application got.
        doc: the document to send; the :func:`get_results` collector when ``None``.

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> from multistatus.asgi import respond
        >>> async def app(scope, receive, send):
        ...     await respond(scope, send, ms.MultiStatus([ms.Response("/a", status=200)]))
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> scope = {"type": "http", "method": "GET", "headers": [(b"accept", b"application/json")]}
        >>> asyncio.run(app(scope, None, send))
        >>> sent[0]["status"], dict(sent[0]["headers"])[b"content-type"]
        (207, b'application/json')
    """
    if served_options(scope) is not None:
        scope[RENDER_KEY] = doc if doc is not None else True
        return
    if doc is None:
        doc = get_results(scope).build()
    await send_reply(send, render(scope, doc, DEFAULT_OPTIONS), head=is_head(scope))


async def respond_problem(scope: Scope, send: Send, status: int, **problem: Any) -> None:
    """Answer a request-level failure with a problem document, never 207.

    The representation (``application/problem+json``, ``application/problem+xml``
    or ``DAV:error`` XML) is negotiated from the request; see
    :func:`~multistatus.problem_reply` for the keyword arguments.  It is sent
    at once; the middleware passes it through untouched.

    Args:
        scope: the ASGI scope.
        send: the ``send`` callable the application got.
        status: a 4xx or 5xx status code.
        **problem: passed to :func:`~multistatus.problem_reply`.

    Example:
        >>> import asyncio
        >>> from multistatus.asgi import respond_problem
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> scope = {"type": "http", "method": "POST", "headers": [(b"accept", b"application/json")]}
        >>> asyncio.run(respond_problem(scope, send, 400, detail="Send a JSON array."))
        >>> sent[0]["status"], sent[1]["body"]
        (400, b'{"title":"Bad Request","status":400,"detail":"Send a JSON array."}')
    """
    answer = problem_for(scope, status, options_of(scope), **problem)
    await send_reply(send, answer, head=is_head(scope))


async def read_body(scope: Scope, receive: Receive, *, max_bytes: int | None = None) -> bytes:
    """The request body, read from ``receive``, bounded by *max_bytes*.

    A ``Content-Length`` over the limit is refused before anything is read;
    a body that grows over it while it is read stops being read.

    Args:
        scope: the ASGI scope.
        receive: the ``receive`` callable the application got.
        max_bytes: the largest body accepted (``None``: no limit).

    Returns:
        The body bytes.

    Raises:
        LimitExceeded: the body is larger than *max_bytes* (a 413 problem under
            :class:`~multistatus.asgi.MultiStatusMiddleware`).

    Example:
        >>> import asyncio
        >>> from multistatus.asgi import read_body
        >>> messages = iter([{"type": "http.request", "body": b"[1,", "more_body": True},
        ...                  {"type": "http.request", "body": b"2]"}])
        >>> async def receive():
        ...     return next(messages)
        >>> asyncio.run(read_body({"type": "http", "headers": []}, receive, max_bytes=100))
        b'[1,2]'
    """
    declared = header(scope, "content-length")
    too_large = f"the request body is larger than {max_bytes} bytes"
    if max_bytes is not None and _serve.too_large(declared, max_bytes):
        raise LimitExceeded(too_large)
    body = bytearray()
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            break
        body += message.get("body", b"")
        if max_bytes is not None and len(body) > max_bytes:
            raise LimitExceeded(too_large)
        if not message.get("more_body"):
            break
    return bytes(body)
