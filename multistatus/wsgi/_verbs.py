"""The four verbs of every adapter, for WSGI: ``respond``, ``problem``, ``read_batch``, ``get_results``.

The request is the WSGI ``environ`` (or a werkzeug/Flask ``Request``); the
answers are werkzeug responses, which are WSGI applications themselves:
``return respond(environ)(environ, start_response)``.  The rules are the
sans-I/O ones of :mod:`multistatus._http._serve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, overload

from .._collector import Results
from .._http import _serve
from .._http._options import ServeOptions
from .._model import MultiStatus
from ._middleware import MultiStatusResponse, problem_response_of
from ._render import exchange, for_request, get_results, legacy_respond, options_of

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from werkzeug.wrappers import Response

__all__ = ["get_results", "problem", "read_batch", "respond"]

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


def environ_of(request: Any) -> WSGIEnvironment:
    """The WSGI environ of *request*: an environ itself, or a werkzeug/Flask ``Request``."""
    environ = getattr(request, "environ", request)
    if not isinstance(environ, dict):
        raise TypeError(f"expected a WSGI environ or a werkzeug Request, not {type(request).__name__}")
    return environ


def options_for(environ: WSGIEnvironment, options: ServeOptions | None) -> ServeOptions:
    """*options* (else the middleware's, else the defaults), with the WebDAV default applied."""
    return for_request(environ, _serve.chosen_options(environ, options) if options is not None else options_of(environ))


@overload
def respond(
    request: Any,
    doc: MultiStatus | Results | None = None,
    *,
    options: ServeOptions | None = None,
    headers: Headers = None,
) -> MultiStatusResponse: ...


@overload
def respond(
    request: Any, doc: StartResponse, legacy_doc: MultiStatus | Results | None = None, /, *, headers: Headers = None
) -> Iterable[bytes]: ...


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
    :class:`~multistatus.wsgi.MultiStatusMiddleware`, else the library
    defaults.  The answer is a werkzeug response, itself a WSGI application.

    The earlier form ``respond(environ, start_response, doc=None, *, headers=())``,
    which returns the WSGI body iterable, is kept for one release.

    Args:
        request: the WSGI environ, or a werkzeug/Flask ``Request``.
        doc: a :class:`~multistatus.MultiStatus` or :class:`~multistatus.Results`;
            the :func:`get_results` collector when ``None``.
        options: the :class:`~multistatus.ServeOptions` of this answer.
        headers: more header fields (name/value pairs or a mapping), e.g.
            ``{"ETag": '"v7"'}``; ``Vary`` is merged, ``Content-Type``,
            ``Content-Length`` and ``Preference-Applied`` stay the library's.

    Returns:
        A :class:`~multistatus.wsgi.MultiStatusResponse`.

    Raises:
        TypeError: *doc* is neither a document nor a collector.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import respond
        >>> def app(environ, start_response):
        ...     doc = ms.MultiStatus([ms.Response("/a", status=200)])
        ...     return respond(environ, doc, headers={"ETag": '"7"'})(environ, start_response)
        >>> from werkzeug.test import Client
        >>> r = Client(app).get("/", headers={"Accept": "application/json"})
        >>> r.status, r.headers["Content-Type"], r.headers["ETag"]
        ('207 Multi-Status', 'application/json', '"7"')
    """
    if callable(doc) and not isinstance(doc, (MultiStatus, Results)):  # respond(environ, start_response, ...)
        return legacy_respond(environ_of(request), doc, *legacy, headers=_serve.header_pairs(headers))
    if legacy:
        raise TypeError("respond() takes the request and a document; options and headers are keywords")
    environ = environ_of(request)
    chosen = options_for(environ, options)
    answer = _serve.answer(exchange(environ), doc, chosen, headers, keep=True)
    return MultiStatusResponse.of(answer, doc if isinstance(doc, MultiStatus) else None)


def problem(
    request: Any,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Headers = None,
    **members: Any,
) -> Response:
    """A problem document answering this request, in the representation it negotiates, never 207.

    ``application/problem+json``, ``application/problem+xml``, a ``DAV:error``
    document for XML and WebDAV clients, or an HTML page for browsers; with no
    preference, JSON for a JSON batch (:func:`read_batch` was called) and the
    endpoint's default otherwise.

    Args:
        request: the WSGI environ, or a werkzeug/Flask ``Request``.
        status: a 4xx or 5xx status code.
        title: a short summary; the reason phrase when ``None``.
        detail: what happened, safe to show to the client.
        headers: more header fields (pairs or a mapping), e.g. ``{"Retry-After": "30"}``.
        **members: RFC 9457 extension members (``code="rate_limited"``),
            ``type=`` and ``conditions=`` (``DAV:error`` condition names).

    Returns:
        A werkzeug ``Response`` (a WSGI application).

    Raises:
        ValueError: *status* is not a 4xx or 5xx code.

    Example:
        >>> from multistatus.wsgi import problem
        >>> def app(environ, start_response):
        ...     return problem(environ, 409, detail="Item 7 changed.", code="conflict")(environ, start_response)
        >>> from werkzeug.test import Client
        >>> r = Client(app).post("/items", headers={"Accept": "application/json"})
        >>> r.status_code, r.headers["Content-Type"], r.json["code"]
        (409, 'application/problem+json', 'conflict')
    """
    environ = environ_of(request)
    chosen = options_for(environ, None)
    reply = _serve.problem(exchange(environ), status, chosen, title=title, detail=detail, headers=headers, **members)
    return problem_response_of(reply)


def read_batch(
    request: Any,
    *,
    item: Any = None,
    max_items: int = _serve.MAX_ITEMS,
    max_bytes: int = _serve.MAX_BYTES,
    min_items: int = 1,
    href: str = "{id}",
) -> list[Any]:
    """The items of this request's JSON batch body, each refused one recorded as its own 422.

    The body is a JSON array, or an object with an ``items`` array (see
    :func:`multistatus.read_batch`); a ``Content-Length`` over *max_bytes*
    is refused before anything is read.  Under
    :class:`~multistatus.wsgi.MultiStatusMiddleware` each mistake is answered
    with a problem, JSON unless the client asks otherwise (see the table in
    :doc:`/http`): 415 for a ``Content-Type`` that is not JSON (no
    ``Content-Type`` is read as JSON), 400 for malformed JSON (naming the
    position) and for fewer than *min_items* items, 413 for more than
    *max_items* items or *max_bytes* bytes.

    Args:
        request: the WSGI environ, or a werkzeug/Flask ``Request``.
        item: a pydantic model or a callable checking each item; a refused
            item is recorded in :func:`get_results` as a 422 whose problem
            lists the errors as JSON pointers, and left out of the list.
        max_items: the most items a batch may hold (10,000).
        max_bytes: the largest body (16 MiB).
        min_items: the fewest items (1: an empty batch is refused).
        href: the href of a refused item (``{id}``: its ``id`` member or position).

    Returns:
        The items (as *item* returned them, when given), in order.

    Raises:
        UnsupportedMediaType: the body is not JSON by its ``Content-Type`` (415).
        ParseError: malformed JSON, not a batch, or too few items (400).
        LimitExceeded: too many items or bytes (413).

    Example:
        >>> from multistatus.wsgi import MultiStatusMiddleware, get_results, read_batch, respond
        >>> def app(environ, start_response):
        ...     for item in read_batch(environ):
        ...         get_results(environ).record_success(f"/items/{item['id']}", status=201, id=item["id"])
        ...     return respond(environ)(environ, start_response)
        >>> from werkzeug.test import Client
        >>> client = Client(MultiStatusMiddleware(app))
        >>> client.post("/items", json=[{"id": "1"}]).status_code
        207
        >>> r = client.post("/items", data="[1,", content_type="application/json")
        >>> r.status_code, r.headers["Content-Type"], r.json["detail"]
        (400, 'application/problem+json', 'the request body is not JSON: Expecting value (line 1, column 4)')
    """
    environ = environ_of(request)
    cached = getattr(request, "_cached_data", None)  # a werkzeug Request whose body was read already
    if isinstance(cached, bytes):
        body: Any = cached
    elif request is not environ and hasattr(request, "stream"):
        body = request.stream  # (bounded by the request's max_content_length)
    else:
        from werkzeug.wsgi import get_input_stream

        body = get_input_stream(environ)  # bounded by Content-Length; none without one
    return _serve.read_items(
        exchange(environ),
        body,
        item=item,
        max_items=max_items,
        max_bytes=max_bytes,
        min_items=min_items,
        href=href,
        length=environ.get("CONTENT_LENGTH"),
    )
