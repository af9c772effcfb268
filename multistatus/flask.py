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
            ...  # results.succeeded(...) / results.failed(...)
        return msflask.respond()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._collector import Results
from ._exceptions import MultiStatusError
from ._http._options import ServeOptions, options_from
from ._http._reply import problem_reply
from ._model import MultiStatus
from .wsgi import OPTIONS_KEY, MultiStatusMiddleware, MultiStatusResponse
from .wsgi import get_results as _get_results

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.exceptions import HTTPException
    from werkzeug.wrappers import Response

    import multistatus.wsgi

__all__ = ["get_results", "init_app", "problem_response", "respond"]


def init_app(
    app: Flask, options: ServeOptions | None = None, **settings: Any
) -> multistatus.wsgi.MultiStatusMiddleware:
    """Serve multistatus answers from a Flask application, its errors as problem documents.

    Wraps ``app.wsgi_app`` in :class:`~multistatus.wsgi.MultiStatusMiddleware`,
    and registers error handlers so that Flask's own HTTP errors (the
    ``BadRequest`` of ``request.get_json()`` on a malformed body, 404, 405,
    413 ``RequestEntityTooLarge`` ...) and :class:`~multistatus.MultiStatusError`
    (a :func:`~multistatus.read_batch` failure) are answered with a problem
    document in the negotiated representation, never Flask's HTML page.
    ``PROPAGATE_EXCEPTIONS`` is set so that any other exception reaches the
    middleware: a 500 problem with no traceback, or the items recorded so far
    with a note.

    Args:
        app: the Flask application.
        options: the :class:`~multistatus.ServeOptions`.
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
    middleware = MultiStatusMiddleware(app.wsgi_app, options_from(options, settings))
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.config["PROPAGATE_EXCEPTIONS"] = True
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, problem_response)
    app.register_error_handler(MultiStatusError, problem_response)
    return middleware


def get_results(**options: Any) -> Results:
    """The results collector of the current Flask request (see :func:`multistatus.wsgi.get_results`).

    Example:
        >>> from flask import Flask
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", method="POST"):
        ...     _ = msflask.get_results().succeeded("/items/1", status=201)
        ...     len(msflask.get_results())
        1
    """
    from flask import request

    return _get_results(request.environ, **options)


def respond(
    doc: MultiStatus | None = None, options: ServeOptions | None = None, **settings: Any
) -> MultiStatusResponse:
    """The response for the current Flask request: *doc*, or the collected results when ``None``.

    The representation, status and headers follow the request and the
    middleware's settings (:class:`~multistatus.wsgi.MultiStatusResponse`);
    *options* and *settings* apply over them.

    Example:
        >>> from flask import Flask
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", headers={"Accept": "application/json"}):
        ...     _ = msflask.get_results().failed("/items/1", status=422, code="invalid")
        ...     r = msflask.respond()
        >>> r.status_code, r.mimetype
        (207, 'application/json')
    """
    from flask import request

    return MultiStatusResponse(doc, request, options, **settings)


def problem_response(failure: int | HTTPException | MultiStatusError, **problem: Any) -> Response:
    """A problem document answering the current Flask request, in the negotiated representation.

    Registered by :func:`init_app` as the error handler of werkzeug's
    ``HTTPException`` and :class:`~multistatus.MultiStatusError`; call it
    from a view to answer a request-level failure.

    Args:
        failure: a 4xx or 5xx status, a werkzeug ``HTTPException`` (its code,
            description and headers) or a :class:`~multistatus.MultiStatusError`
            (its ``status_hint`` and message).
        **problem: passed to :func:`~multistatus.problem_reply` (``detail=``, ``code=`` ...).

    Example:
        >>> from flask import Flask
        >>> from multistatus import flask as msflask
        >>> with Flask("example").test_request_context("/items", headers={"Accept": "application/json"}):
        ...     r = msflask.problem_response(400, detail="Send a JSON array.")
        >>> r.status_code, r.mimetype, r.json["detail"]
        (400, 'application/problem+json', 'Send a JSON array.')
    """
    from flask import request
    from werkzeug.exceptions import HTTPException
    from werkzeug.wrappers import Response

    environ = request.environ
    if isinstance(failure, HTTPException):
        if failure.code is None or failure.code < 400:
            return failure.get_response(environ)  # a redirect (werkzeug routing): not a failure
        status = failure.code
        problem.setdefault("detail", failure.description)
        extra = [(k, v) for k, v in failure.get_headers(environ) if k.lower() not in ("content-type", "content-length")]
        problem.setdefault("headers", extra)
    elif isinstance(failure, MultiStatusError):
        status = failure.status_hint
        problem.setdefault("detail", str(failure))
    else:
        status = failure
    options = environ.get(OPTIONS_KEY)
    problem.setdefault("default", options.default if isinstance(options, ServeOptions) else None)
    answer = problem_reply(
        status,
        accept=request.headers.get("Accept"),
        method=request.method,
        content_type=request.content_type,
        **problem,
    )
    return Response(answer.body, status=answer.status, headers=list(answer.headers))
