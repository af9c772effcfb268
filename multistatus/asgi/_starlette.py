"""Starlette and FastAPI: a response built from a reply, and their errors as problem documents.

Starlette is imported inside the functions that need it: ``multistatus.asgi``
itself is pure ASGI and works without it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .._exceptions import MultiStatusError
from .._http._options import ServeOptions, options_from
from .._http._reply import Reply
from .._model import MultiStatus
from .._model._document import document_of
from ._middleware import MultiStatusMiddleware
from ._render import get_results, options_of, problem_for, render, scope_of

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from .._idempotency import Idempotency

__all__ = ["exception_handlers", "install", "problem_response", "response"]

Handler = Callable[["Request", Exception], Awaitable["Response"]]


def starlette_response(answer: Reply) -> Response:
    """A Starlette ``Response`` sending *answer* (its header fields as they are)."""
    from starlette.responses import Response

    out = Response(answer.body, status_code=answer.status)
    out.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    return out


def response(
    request: Request, doc: MultiStatus | None = None, options: ServeOptions | None = None, **settings: Any
) -> Response:
    """A Starlette (and FastAPI) ``Response`` answering *request* with *doc* or the collected results.

    The representation, status and headers are chosen from the request's
    ``Accept``, ``Prefer``, ``Brief``, method and ``Content-Type``.  Settings
    not given here come from a surrounding :class:`~multistatus.asgi.MultiStatusMiddleware`,
    else the library defaults.

    Args:
        request: the Starlette ``Request``.
        doc: the document to send; the results recorded with
            :func:`get_results` for this request when ``None``.
        options: the :class:`~multistatus.ServeOptions`; the middleware's (else
            the defaults) when ``None``.
        **settings: single settings of :class:`~multistatus.ServeOptions`, applied over those.

    Returns:
        A ``starlette.responses.Response``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.asgi import response
        >>> from starlette.requests import Request
        >>> request = Request({"type": "http", "method": "POST", "headers": [(b"accept", b"text/html")]})
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=422)])
        >>> r = response(request, doc)
        >>> r.status_code, r.headers["content-type"]
        (207, 'text/html; charset=utf-8')
    """
    scope = scope_of(request)
    if doc is None:
        doc = get_results(scope).build()
    else:
        doc = document_of(doc, "response()")
    chosen = options_from(options, settings, base=options_of(scope))
    return starlette_response(render(scope, doc, chosen))


def problem_response(request: Request, failure: int | BaseException, **problem: Any) -> Response:
    """A Starlette ``Response`` with a problem document, in the representation the request negotiates.

    Args:
        request: the Starlette ``Request``.
        failure: a 4xx or 5xx status, or the exception to answer: a
            :class:`~multistatus.MultiStatusError` (its ``status_hint``), a
            Starlette ``HTTPException`` (its code and headers), a JSON
            decoding error (400); anything else is 500 ``internal_error``.
        **problem: passed to :func:`~multistatus.problem_reply` (``detail=``, ``code=`` ...).

    Returns:
        A ``starlette.responses.Response``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.asgi import problem_response
        >>> from starlette.requests import Request
        >>> request = Request({"type": "http", "method": "POST", "headers": [(b"accept", b"application/xml")]})
        >>> r = problem_response(request, ms.LimitExceeded("too large"))
        >>> r.status_code, r.headers["content-type"]
        (413, 'application/xml; charset=utf-8')
    """
    scope = scope_of(request)
    return starlette_response(problem_for(scope, failure, options_of(scope), **problem))


async def _problem_handler(request: Request, exc: Exception) -> Response:
    errors = getattr(exc, "errors", None)
    if type(exc).__module__.startswith("fastapi.") and callable(errors):  # RequestValidationError
        found = [e for e in errors() if isinstance(e, dict)]
        invalid = [e for e in found if e.get("type") == "json_invalid"]
        if invalid:
            where = (invalid[0].get("ctx") or {}).get("error")
            return problem_response(request, 400, detail=f"the request body is not JSON: {where or 'malformed'}")
        text = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in found)
        return problem_response(request, 422, detail=text or None)
    return problem_response(request, exc)


def exception_handlers() -> dict[Any, Handler]:
    """Exception handlers for Starlette and FastAPI that answer with problem documents.

    Starlette's and FastAPI's ``HTTPException``, :class:`~multistatus.MultiStatusError`
    (a :func:`~multistatus.read_batch` failure: 400, 413), ``json.JSONDecodeError``
    (``await request.json()`` on a malformed body: 400) and FastAPI's
    ``RequestValidationError`` (400 for malformed JSON, else 422) become a
    problem document in the negotiated representation, instead of plain text
    or the framework's own JSON.  Pass them to ``Starlette(exception_handlers=...)``
    or let :func:`install` add them.

    Returns:
        A mapping of exception classes to handlers.

    Example:
        >>> from multistatus.asgi import exception_handlers
        >>> sorted(cls.__name__ for cls in exception_handlers())
        ['HTTPException', 'JSONDecodeError', 'MultiStatusError', 'RequestValidationError']
    """
    from starlette.exceptions import HTTPException

    handlers: dict[Any, Handler] = {
        HTTPException: _problem_handler,
        MultiStatusError: _problem_handler,
        json.JSONDecodeError: _problem_handler,
    }
    try:
        from fastapi.exceptions import RequestValidationError
    except ImportError:  # pragma: no cover - Starlette without FastAPI
        pass
    else:
        handlers[RequestValidationError] = _problem_handler
    return handlers


def install(
    app: Any, options: ServeOptions | None = None, *, idempotency: Idempotency | None = None, **settings: Any
) -> Any:
    """Serve multistatus answers from a Starlette or FastAPI application, errors as problems.

    Adds :class:`~multistatus.asgi.MultiStatusMiddleware` (with *options* and *settings*) and
    the :func:`exception_handlers`, and makes the routes answer a
    :class:`~multistatus.MultiStatus` (or :class:`~multistatus.Results`) they
    return with the negotiated 207 (Starlette routes present now, FastAPI
    routes declared on *app* from now on).  Views read items with
    :func:`read_batch` and return :func:`respond` or the document.

    Args:
        app: the ``Starlette`` or ``FastAPI`` application (before it starts).
        options: the :class:`~multistatus.ServeOptions`.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings of the
            middleware (``Idempotency-Key`` and per-item keys); ``None``: off.
        **settings: single settings of :class:`~multistatus.ServeOptions`.

    Returns:
        *app*.

    Example:
        >>> from starlette.applications import Starlette
        >>> from multistatus.asgi import install
        >>> app = install(Starlette(), policy="200-if-all-succeeded")
        >>> [m.cls.__name__ for m in app.user_middleware]
        ['MultiStatusMiddleware']
    """
    from ._routes import adopt

    app.add_middleware(MultiStatusMiddleware, options=options_from(options, settings), idempotency=idempotency)
    for cls, handler in exception_handlers().items():
        app.add_exception_handler(cls, handler)
    adopt(app)
    return app
