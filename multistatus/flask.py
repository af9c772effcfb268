"""Flask: the middleware, problem documents for Flask's own errors, and a response for a view.

Flask is imported inside the functions: ``multistatus`` does not depend on it.

.. code-block:: python

    from flask import Flask, request
    import multistatus as ms
    from multistatus import flask as msflask

    app = Flask(__name__)
    msflask.init_app(app, policy="200-if-all-succeeded")

    @app.post("/items")
    def create():
        results = msflask.get_results()
        for item in ms.read_batch(request.get_data(), content_type=request.content_type):
            ...  # results.record_success(...) / results.record_failure(...)
        return msflask.respond()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._collector import Results
from ._exceptions import MultiStatusError
from ._http._options import ServeOptions, options_from
from ._http._serve import MAX_BYTES, MAX_ITEMS
from ._model import MultiStatus
from .wsgi import MultiStatusMiddleware, MultiStatusResponse
from .wsgi import get_results as _get_results
from .wsgi import problem as _problem
from .wsgi import read_batch as _read_batch
from .wsgi import respond as _respond
from .wsgi._render import options_of

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.exceptions import HTTPException
    from werkzeug.wrappers import Response

    import multistatus.wsgi

    from ._idempotency import Idempotency

__all__ = ["get_results", "init_app", "problem", "problem_response", "read_batch", "respond"]

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


def _current(request: Any) -> Any:
    """*request*, or Flask's current request when ``None`` (the earlier forms)."""
    if request is not None:
        return request
    from flask import request as current

    return current._get_current_object()  # type: ignore[attr-defined]


def init_app(
    app: Flask, options: ServeOptions | None = None, *, idempotency: Idempotency | None = None, **settings: Any
) -> multistatus.wsgi.MultiStatusMiddleware:
    """Serve multistatus answers from a Flask application, its errors as problem documents.

    Wraps ``app.wsgi_app`` in :class:`~multistatus.wsgi.MultiStatusMiddleware`,
    and registers error handlers so that Flask's own HTTP errors (the
    ``BadRequest`` of ``request.get_json()`` on a malformed body, 404, 405,
    413 ``RequestEntityTooLarge`` ...) and :class:`~multistatus.MultiStatusError`
    (a :func:`read_batch` failure: 400, 413, 415) are answered with a problem
    document in the negotiated representation, never Flask's HTML page.
    ``PROPAGATE_EXCEPTIONS`` is set so that any other exception reaches the
    middleware: a 500 problem with no traceback, or the items recorded so far
    with a note.

    Args:
        app: the Flask application.
        options: the :class:`~multistatus.ServeOptions`.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings of the
            middleware (``Idempotency-Key`` and per-item keys); ``None``: off.
        **settings: single settings of :class:`~multistatus.ServeOptions` (``policy=`` ...).

    Returns:
        The middleware.

    Example:
        >>> from flask import Flask
        >>> from multistatus import flask as msflask
        >>> app = Flask("example")
        >>> _ = msflask.init_app(app, default="application/json")
        >>> r = app.test_client().get("/nowhere", headers={"Accept": "application/xml"})
        >>> r.status_code, r.content_type
        (404, 'application/xml; charset=utf-8')
    """
    middleware = MultiStatusMiddleware(app.wsgi_app, options_from(options, settings), idempotency=idempotency)
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.config["PROPAGATE_EXCEPTIONS"] = True
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, problem_response)
    app.register_error_handler(MultiStatusError, problem_response)
    return middleware


def get_results(request: Any = None, **options: Any) -> Results:
    """The results collector of this Flask request (see :func:`multistatus.wsgi.get_results`).

    Args:
        request: Flask's ``request`` (the current request when omitted, the
            earlier form, kept one release).
        **options: passed to :class:`~multistatus.Results` when the collector is created.

    Returns:
        The same :class:`~multistatus.Results` for every call within one request.

    Example:
        >>> from flask import Flask, request
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", method="POST"):
        ...     _ = msflask.get_results(request).record_success("/items/1", status=201)
        ...     len(msflask.get_results(request))
        1
    """
    return _get_results(_current(request), **options)


def respond(
    request: Any = None,
    doc: MultiStatus | Results | ServeOptions | None = None,
    *,
    options: ServeOptions | None = None,
    headers: Headers = None,
    **settings: Any,
) -> MultiStatusResponse:
    """The negotiated answer to this Flask request: *doc*, or the collected results when ``None``.

    The representation, status and header fields follow the request and the
    settings of :func:`init_app` (or *options*); see :func:`multistatus.wsgi.respond`.
    The earlier form ``respond(doc=None, options=None, **settings)``, which
    answers Flask's current request, is kept one release.

    Args:
        request: Flask's ``request``.
        doc: a :class:`~multistatus.MultiStatus` or :class:`~multistatus.Results`;
            the :func:`get_results` collector when ``None``.
        options: the :class:`~multistatus.ServeOptions` of this answer.
        headers: more header fields (name/value pairs or a mapping).
        **settings: the earlier form's single settings (kept one release).

    Returns:
        A :class:`~multistatus.wsgi.MultiStatusResponse`.

    Example:
        >>> from flask import Flask, request
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", headers={"Accept": "application/json"}):
        ...     _ = msflask.get_results(request).record_failure("/items/1", status=422, code="invalid")
        ...     r = msflask.respond(request)
        >>> r.status_code, r.mimetype
        (207, 'application/json')
    """
    if request is None or isinstance(request, (MultiStatus, Results)) or settings or isinstance(doc, ServeOptions):
        # the earlier form: respond(doc=None, options=None, **settings) for the current request
        legacy_options = doc if isinstance(doc, ServeOptions) else options
        current = _current(None)
        chosen = options_from(legacy_options, settings, base=options_of(current.environ))
        return _respond(current, request, options=chosen, headers=headers)
    if isinstance(doc, ServeOptions):  # pragma: no cover - (handled above; for the type checker)
        raise TypeError("options are a keyword")
    return _respond(request, doc, options=options, headers=headers)


def problem(
    request: Any,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Headers = None,
    **members: Any,
) -> Response:
    """A problem document answering this Flask request (see :func:`multistatus.wsgi.problem`).

    Args:
        request: Flask's ``request``.
        status: a 4xx or 5xx status code.
        title: a short summary; the reason phrase when ``None``.
        detail: what happened, safe to show to the client.
        headers: more header fields (pairs or a mapping).
        **members: RFC 9457 extension members (``code=`` ...), ``type=``, ``conditions=``.

    Returns:
        A werkzeug ``Response``.

    Example:
        >>> from flask import Flask, request
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", headers={"Accept": "application/json"}):
        ...     r = msflask.problem(request, 400, detail="Send a JSON array.")
        >>> r.status_code, r.mimetype, r.json["detail"]
        (400, 'application/problem+json', 'Send a JSON array.')
    """
    return _problem(request, status, title=title, detail=detail, headers=headers, **members)


def read_batch(
    request: Any,
    *,
    item: Any = None,
    max_items: int = MAX_ITEMS,
    max_bytes: int = MAX_BYTES,
    min_items: int = 1,
    href: str = "{id}",
) -> list[Any]:
    """The items of this Flask request's JSON batch body (see :func:`multistatus.wsgi.read_batch`).

    Never werkzeug's generic 400: after :func:`init_app`, malformed JSON is a
    400 problem naming the position, a body that is not JSON by its
    ``Content-Type`` 415, too many items or bytes 413, too few 400.

    Args:
        request: Flask's ``request``.
        item: a pydantic model or a callable checking each item (a refused one is its own 422).
        max_items: the most items a batch may hold (10,000).
        max_bytes: the largest body (16 MiB).
        min_items: the fewest items (1: an empty batch is refused).
        href: the href of a refused item (``{id}``: its ``id`` member or position).

    Returns:
        The items, in order.

    Raises:
        UnsupportedMediaType: the body is not JSON by its ``Content-Type`` (415).
        ParseError: malformed JSON, not a batch, or too few items (400).
        LimitExceeded: too many items or bytes (413).

    Example:
        >>> from flask import Flask, request
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", method="POST", json=[{"id": "1"}]):
        ...     msflask.read_batch(request)
        [{'id': '1'}]
    """
    return _read_batch(request, item=item, max_items=max_items, max_bytes=max_bytes, min_items=min_items, href=href)


def problem_response(failure: int | HTTPException | MultiStatusError, **problem: Any) -> Response:
    """A problem document answering the current Flask request, in the negotiated representation.

    The earlier spelling of :func:`problem` (kept one release), and the error
    handler :func:`init_app` registers for werkzeug's ``HTTPException`` and
    :class:`~multistatus.MultiStatusError`.

    Args:
        failure: a 4xx or 5xx status, a werkzeug ``HTTPException`` (its code,
            description and headers) or a :class:`~multistatus.MultiStatusError`
            (its ``status_hint`` and message).
        **problem: passed to :func:`problem` (``detail=``, ``code=`` ...).

    Example:
        >>> from flask import Flask
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", headers={"Accept": "application/json"}):
        ...     r = msflask.problem_response(400, detail="Send a JSON array.")
        >>> r.status_code, r.mimetype, r.json["detail"]
        (400, 'application/problem+json', 'Send a JSON array.')
    """
    from werkzeug.exceptions import BadRequest, HTTPException

    from ._http import _serve

    request = _current(None)
    environ = request.environ
    if isinstance(failure, int):
        return _problem(request, failure, **problem)
    if isinstance(failure, HTTPException) and (failure.code is None or failure.code < 400):
        return failure.get_response(environ)  # type: ignore[no-any-return]  # a redirect (werkzeug routing): not a failure
    if isinstance(failure, BadRequest):  # request.get_json(): name the position, as read_batch does
        cause: BaseException | None = failure
        for _ in range(4):  # (Flask re-raises werkzeug's BadRequest, raised while decoding)
            cause = cause.__cause__ or cause.__context__ if cause is not None else None
            if type(cause).__name__ == "JSONDecodeError" and isinstance(cause, ValueError):
                failure = cause  # type: ignore[assignment]
                break
    found = _serve.failure_of(failure)
    if found is None:  # pragma: no cover - init_app registers this handler for these failures only
        raise failure
    status, detail, extra = found
    problem.setdefault("detail", detail)
    problem.setdefault("headers", extra)
    return _problem(request, status, **problem)
