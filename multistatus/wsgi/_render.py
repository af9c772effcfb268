"""Answering one WSGI request: the collector in ``environ``, rendering, sending, problems."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._collector import Results
from .._exceptions import NotAcceptable
from .._http._options import DEFAULT_OPTIONS, ServeOptions
from .._http._reply import Reply, problem_reply, reply
from .._model import MultiStatus

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["get_results", "respond", "respond_problem"]

#: ``environ`` key of the per-request :class:`~multistatus.Results` collector.
RESULTS_KEY = "multistatus.results"
#: ``environ`` key of the :class:`MultiStatusMiddleware` serving the request.
MIDDLEWARE_KEY = "multistatus.middleware"
#: ``environ`` key of the :class:`~multistatus.ServeOptions` of that middleware.
OPTIONS_KEY = "multistatus.options"
#: ``environ`` key where :func:`respond` leaves the answer for the middleware to render.
RENDER_KEY = "multistatus.render"

logger = logging.getLogger("multistatus.wsgi")


def served_options(environ: WSGIEnvironment) -> ServeOptions | None:
    """The options of the :class:`MultiStatusMiddleware` serving this request, or ``None``."""
    options = environ.get(OPTIONS_KEY)
    return options if isinstance(options, ServeOptions) else None


def options_of(environ: WSGIEnvironment) -> ServeOptions:
    """The options this request is answered with: the middleware's, else the library defaults."""
    return served_options(environ) or DEFAULT_OPTIONS


def request_headers(environ: WSGIEnvironment) -> dict[str, Any]:
    return {
        "accept": environ.get("HTTP_ACCEPT"),
        "method": environ.get("REQUEST_METHOD"),
        "content_type": environ.get("CONTENT_TYPE"),
    }


def render(environ: WSGIEnvironment, doc: MultiStatus, options: ServeOptions) -> Reply:
    """The :func:`~multistatus.reply` to this request; 406 as a problem when strict negotiation fails."""
    request = request_headers(environ)
    try:
        return reply(
            doc, prefer=environ.get("HTTP_PREFER"), brief=environ.get("HTTP_BRIEF"), options=options, **request
        )
    except NotAcceptable as exc:
        return problem_reply(
            406,
            detail=f"This resource is available as {', '.join(exc.available)}.",
            available=list(exc.available),
            default=options.default,
            **request,
        )


def send(
    start_response: StartResponse, answer: Reply, exc_info: OptExcInfo | None = None, *, head: bool = False
) -> list[bytes]:
    start_response(answer.status_line, list(answer.headers), exc_info)
    # HEAD: the same status and headers (Content-Length included), no body (RFC 9110 §9.3.2).
    return [answer.body] if answer.body and not head else []


def is_head(environ: WSGIEnvironment) -> bool:
    return environ.get("REQUEST_METHOD") == "HEAD"


def get_results(environ: WSGIEnvironment, **options: Any) -> Results:
    """The per-request results collector, created on first use and kept in *environ*.

    Args:
        environ: the WSGI environment of the request.
        **options: passed to :class:`~multistatus.Results` when the collector is
            created (``description=``, ``sync_token=``); ignored afterwards.

    Returns:
        The same :class:`~multistatus.Results` for every call within one request.

    Example:
        >>> from multistatus.wsgi import get_results
        >>> environ = {}
        >>> _ = get_results(environ).failed("/items/9", status=409, code="conflict")
        >>> len(get_results(environ))
        1
    """
    results = environ.get(RESULTS_KEY)
    if not isinstance(results, Results):
        results = Results(**options)
        environ[RESULTS_KEY] = results
    return results


def respond(environ: WSGIEnvironment, start_response: StartResponse, doc: MultiStatus | None = None) -> Iterable[bytes]:
    """Answer the request with *doc*, or with the collected results when *doc* is ``None``.

    Under :class:`MultiStatusMiddleware` the middleware renders the answer with
    its settings (the status and headers given to *start_response* here are
    only placeholders it discards); without it, the answer is rendered here with
    the library defaults.  Call it from the application callable itself, not
    from inside a generator body.

    Args:
        environ: the WSGI environment.
        start_response: the ``start_response`` callable the application got.
        doc: the document to send; the :func:`get_results` collector when ``None``.

    Returns:
        The WSGI body iterable to return from the application.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import respond
        >>> def app(environ, start_response):
        ...     return respond(environ, start_response, ms.MultiStatus([ms.Response("/a", status=200)]))
        >>> from werkzeug.test import Client
        >>> r = Client(app).get("/", headers={"Accept": "application/json"})
        >>> r.status, r.headers["Content-Type"]
        ('207 Multi-Status', 'application/json')
    """
    if served_options(environ) is not None:
        environ[RENDER_KEY] = doc if doc is not None else True
        start_response("207 Multi-Status", [("Content-Type", "application/xml; charset=utf-8")])
        return []
    if doc is None:
        doc = get_results(environ).build()
    return send(start_response, render(environ, doc, DEFAULT_OPTIONS))


def respond_problem(
    environ: WSGIEnvironment, start_response: StartResponse, status: int, **problem: Any
) -> Iterable[bytes]:
    """Answer a request-level failure with a problem document, never 207.

    The representation (``application/problem+json``, ``application/problem+xml``
    or ``DAV:error`` XML) is negotiated from the request; see
    :func:`~multistatus.problem_reply` for the keyword arguments (``title``,
    ``detail``, ``type``, ``conditions``, ``headers`` and extension members).
    The middleware passes this response through untouched.

    Args:
        environ: the WSGI environment.
        start_response: the ``start_response`` callable the application got.
        status: a 4xx or 5xx status code.
        **problem: passed to :func:`~multistatus.problem_reply`.

    Returns:
        The WSGI body iterable to return from the application.

    Example:
        >>> from multistatus.wsgi import respond_problem
        >>> def app(environ, start_response):
        ...     return respond_problem(environ, start_response, 403,
        ...                            conditions=["{DAV:}propfind-finite-depth"])
        >>> from werkzeug.test import Client
        >>> r = Client(app).open("/", method="PROPFIND")
        >>> r.status_code, r.headers["Content-Type"], b"propfind-finite-depth" in r.data
        (403, 'application/xml; charset=utf-8', True)
    """
    problem.setdefault("default", options_of(environ).default)
    return send(start_response, problem_reply(status, **request_headers(environ), **problem))
