"""The four verbs of every adapter, for ASGI: ``respond``, ``problem``, ``read_batch``, ``get_results``.

The request is a Starlette or FastAPI ``Request`` (anything with ``.scope``),
or a bare ASGI ``scope``; the answers are Starlette responses for the former
and :class:`ASGIResponse` objects for the latter, both ASGI applications.
The rules are the sans-I/O ones of :mod:`multistatus._http._serve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, overload

from .._collector import Results
from .._http import _serve
from .._http._options import ServeOptions
from .._http._reply import Reply
from .._model import MultiStatus
from ._render import Receive, Scope, Send, exchange, header, legacy_respond, options_of, read_body, scope_of

if TYPE_CHECKING:
    from collections.abc import Coroutine

__all__ = ["ASGIResponse", "problem", "read_batch", "respond"]

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


class ASGIResponse:
    """An answer made for a bare ASGI scope, itself an ASGI application: ``await answer(scope, receive, send)``.

    Attributes:
        status_code: the HTTP status.
        headers: the header fields, as ``(name, value)`` pairs.
        body: the body bytes (sent empty to ``HEAD``).

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> from multistatus.asgi import respond
        >>> scope = {"type": "http", "method": "POST", "headers": [(b"accept", b"application/json")]}
        >>> answer = respond(scope, ms.MultiStatus([ms.Response("/a", status=201)]))
        >>> answer.status_code, dict(answer.headers)["Content-Type"]
        (207, 'application/json')
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> asyncio.run(answer(scope, None, send))
        >>> sent[0]["status"]
        207
    """

    __slots__ = ("body", "headers", "status_code")

    def __init__(self, answer: Reply) -> None:
        self.status_code = answer.status
        self.headers = answer.headers
        self.body = answer.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fields = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers]
        await send({"type": "http.response.start", "status": self.status_code, "headers": fields})
        body = b"" if scope.get("method") == "HEAD" else self.body  # (RFC 9110 §9.3.2)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def __repr__(self) -> str:
        return f"<ASGIResponse {self.status_code}>"


def _out(request: Any, answer: Reply) -> Any:
    """The answer in the form the request calls for: Starlette's ``Response``, else an :class:`ASGIResponse`."""
    if isinstance(request, MutableMapping):
        return ASGIResponse(answer)
    from ._starlette import starlette_response

    return starlette_response(answer)


@overload
def respond(
    request: Any,
    doc: MultiStatus | Results | None = None,
    *,
    options: ServeOptions | None = None,
    headers: Headers = None,
) -> Any: ...


@overload
def respond(
    request: Any, doc: Send, legacy_doc: MultiStatus | Results | None = None, /
) -> Coroutine[Any, Any, None]: ...


def respond(
    request: Any,
    doc: Any = None,
    *legacy: Any,
    options: ServeOptions | None = None,
    headers: Headers = None,
) -> Any:
    """The negotiated answer to this request: *doc*, or the results collected when ``None``.

    The representation, status and header fields are chosen from the
    request's ``Accept``, ``Prefer``, ``Brief``, method and ``Content-Type``,
    with *options*, else those of the surrounding
    :class:`~multistatus.asgi.MultiStatusMiddleware` (:func:`install`), else
    the library defaults.

    The earlier form ``await respond(scope, send, doc=None)`` is kept for one release.

    Args:
        request: a Starlette/FastAPI ``Request``, or an ASGI scope.
        doc: a :class:`~multistatus.MultiStatus` or :class:`~multistatus.Results`;
            the :func:`get_results` collector when ``None``.
        options: the :class:`~multistatus.ServeOptions` of this answer.
        headers: more header fields (name/value pairs or a mapping); ``Vary``
            is merged, ``Content-Type``, ``Content-Length`` and
            ``Preference-Applied`` stay the library's.

    Returns:
        A Starlette ``Response`` for a ``Request``, an :class:`ASGIResponse`
        for a scope: both ASGI applications.

    Raises:
        TypeError: *doc* is neither a document nor a collector.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.asgi import respond
        >>> from starlette.requests import Request
        >>> request = Request({"type": "http", "method": "POST", "headers": [(b"accept", b"text/html")]})
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=422)])
        >>> r = respond(request, doc, headers={"ETag": '"7"'})
        >>> r.status_code, r.headers["content-type"], r.headers["etag"]
        (207, 'text/html; charset=utf-8', '"7"')
    """
    if callable(doc) and not isinstance(doc, (MultiStatus, Results)):  # await respond(scope, send, doc)
        return legacy_respond(scope_of(request), doc, *legacy)
    if legacy:
        raise TypeError("respond() takes the request and a document; options and headers are keywords")
    scope = scope_of(request)
    chosen = options_of(scope) if options is None else _serve.chosen_options(scope, options)
    return _out(request, _serve.answer(exchange(scope), doc, chosen, headers, keep=True))


def problem(
    request: Any,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Headers = None,
    **members: Any,
) -> Any:
    """A problem document answering this request, in the representation it negotiates, never 207.

    ``application/problem+json``, ``application/problem+xml``, a ``DAV:error``
    document for XML and WebDAV clients, or an HTML page for browsers; with no
    preference, JSON for a JSON batch (:func:`read_batch` was called) and the
    endpoint's default otherwise.

    Args:
        request: a Starlette/FastAPI ``Request``, or an ASGI scope.
        status: a 4xx or 5xx status code.
        title: a short summary; the reason phrase when ``None``.
        detail: what happened, safe to show to the client.
        headers: more header fields (pairs or a mapping), e.g. ``{"Retry-After": "30"}``.
        **members: RFC 9457 extension members (``code="rate_limited"``),
            ``type=`` and ``conditions=`` (``DAV:error`` condition names).

    Returns:
        A Starlette ``Response`` for a ``Request``, an :class:`ASGIResponse` for a scope.

    Raises:
        ValueError: *status* is not a 4xx or 5xx code.

    Example:
        >>> from multistatus.asgi import problem
        >>> from starlette.requests import Request
        >>> request = Request({"type": "http", "method": "POST", "headers": [(b"accept", b"application/xml")]})
        >>> r = problem(request, 409, detail="Item 7 changed.", code="conflict")
        >>> r.status_code, r.headers["content-type"]
        (409, 'application/xml; charset=utf-8')
    """
    scope = scope_of(request)
    reply = _serve.problem(
        exchange(scope), status, options_of(scope), title=title, detail=detail, headers=headers, **members
    )
    return _out(request, reply)


async def read_batch(
    request: Any,
    *,
    item: Any = None,
    max_items: int = _serve.MAX_ITEMS,
    max_bytes: int = _serve.MAX_BYTES,
    min_items: int = 1,
    href: str = "{id}",
    receive: Receive | None = None,
) -> list[Any]:
    """The items of this request's JSON batch body, each refused one recorded as its own 422.

    The ASGI twin of :func:`multistatus.wsgi.read_batch`, awaited: the same
    checks and the same problems once the app is set up with :func:`install`
    (415 for a ``Content-Type`` that is not JSON, 400 for malformed JSON and
    too few items, 413 for too many items or bytes; see :doc:`/http`).  The
    body is read at most *max_bytes* + 1 bytes far; a Starlette ``Request``
    keeps it (``await request.body()`` still works).

    Args:
        request: a Starlette/FastAPI ``Request``, or an ASGI scope (then pass *receive*).
        item: a pydantic model or a callable checking each item; a refused
            item is recorded in :func:`get_results` as a 422 whose problem
            lists the errors as JSON pointers, and left out of the list.
        max_items: the most items a batch may hold (10,000).
        max_bytes: the largest body (16 MiB).
        min_items: the fewest items (1: an empty batch is refused).
        href: the href of a refused item (``{id}``: its ``id`` member or position).
        receive: the ASGI ``receive`` callable, for a bare scope.

    Returns:
        The items (as *item* returned them, when given), in order.

    Raises:
        UnsupportedMediaType: the body is not JSON by its ``Content-Type`` (415).
        ParseError: malformed JSON, not a batch, or too few items (400).
        LimitExceeded: too many items or bytes (413).
        TypeError: a bare scope without *receive*.

    Example:
        >>> import asyncio
        >>> from multistatus.asgi import read_batch
        >>> from starlette.requests import Request
        >>> async def receive():
        ...     return {"type": "http.request", "body": b'[{"id": "1"}, {"id": "2"}]'}
        >>> request = Request({"type": "http", "method": "POST", "headers": []}, receive)
        >>> asyncio.run(read_batch(request))
        [{'id': '1'}, {'id': '2'}]
    """
    scope = scope_of(request)
    ex = exchange(scope)
    _serve.begin_batch(ex, max_items, max_bytes, min_items, header(scope, "content-length"))
    body = getattr(request, "_body", None)  # a Starlette Request whose body was read already
    if not isinstance(body, bytes):
        if receive is None:
            receive = getattr(request, "receive", None)
        if receive is None:
            raise TypeError("read_batch() of a bare ASGI scope needs receive=")
        body = await read_body(scope, receive, max_bytes=max_bytes)
        if not isinstance(request, MutableMapping):
            request._body = body  # so that await request.body() gives it again
    return _serve.read_items(
        ex, body, item=item, max_items=max_items, max_bytes=max_bytes, min_items=min_items, href=href
    )
