"""Answering one WSGI request: the collector in ``environ``, rendering, sending, problems."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._collector import Results
from .._http import _serve
from .._http._headers import merge_headers
from .._http._negotiation import TEXT_XML, WEBDAV_METHODS, XML
from .._http._options import DEFAULT_OPTIONS, ServeOptions, options_from
from .._http._reply import Reply, check_header_fields, problem_reply
from .._model import MultiStatus

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["WEBDAV_DEFAULT", "get_results", "legacy_respond", "merge_headers", "respond_problem"]

#: ``environ`` key of the per-request :class:`~multistatus.Results` collector.
RESULTS_KEY = _serve.RESULTS_KEY
#: ``environ`` key of the :class:`~multistatus.wsgi.MultiStatusMiddleware` serving the request.
MIDDLEWARE_KEY = "multistatus.middleware"
#: ``environ`` key of the :class:`~multistatus.ServeOptions` of that middleware.
OPTIONS_KEY = _serve.OPTIONS_KEY
#: ``environ`` key where :func:`respond` leaves the answer for the middleware to render.
RENDER_KEY = "multistatus.render"
#: ``environ`` key of the representation WebDAV methods get by default (the middleware's ``webdav_default``).
WEBDAV_KEY = "multistatus.webdav_default"
#: What WebDAV methods (PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, REPORT ...) get when
#: the client states no preference and the options leave the default to the request:
#: ``text/xml``, as Apache mod_dav answers, because some WebDAV clients read no other type.
WEBDAV_DEFAULT = TEXT_XML
#: The header field :func:`respond` gives the middleware's ``start_response`` (the library's own,
#: replaced when the answer is rendered): when the application added nothing, nothing is merged.
PLACEHOLDER = ("Content-Type", "application/xml; charset=utf-8")

logger = logging.getLogger("multistatus.wsgi")


def served_options(environ: WSGIEnvironment) -> ServeOptions | None:
    """The options of the :class:`~multistatus.wsgi.MultiStatusMiddleware` serving this request, or ``None``."""
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


def exchange(environ: WSGIEnvironment) -> _serve.Exchange:
    """The request as the serving rules need it."""
    get = environ.get
    return _serve.Exchange(
        environ, get("HTTP_ACCEPT"), get("HTTP_PREFER"), get("HTTP_BRIEF"), get("REQUEST_METHOD"), get("CONTENT_TYPE")
    )


def webdav_default(environ: WSGIEnvironment) -> str:
    """The representation WebDAV methods get by default for this request (``text/xml`` unless set)."""
    chosen = environ.get(WEBDAV_KEY)
    return chosen if chosen in (XML, TEXT_XML) else WEBDAV_DEFAULT


def for_request(environ: WSGIEnvironment, options: ServeOptions) -> ServeOptions:
    """*options* with the WebDAV default applied: when they leave the default to the request
    (``default=None``) and the method is a WebDAV one, :func:`webdav_default` (if offered)."""
    if options.default is not None:
        return options
    method = str(environ.get("REQUEST_METHOD") or "").upper()
    if method not in WEBDAV_METHODS:
        return options
    chosen = webdav_default(environ)
    if chosen not in options.offers:
        return options
    entry = _FOR_WEBDAV.get((id(options), chosen))
    if entry is not None and entry[0] is options:
        return entry[1]
    found = options.replace(default=chosen)
    if len(_FOR_WEBDAV) >= 64:
        _FOR_WEBDAV.clear()
    _FOR_WEBDAV[(id(options), chosen)] = (options, found)
    return found


# (id of the options, WebDAV default) -> (those options, the options with that default), so that
# WebDAV requests do not build a ServeOptions each.  By identity (the entry keeps the options
# alive, so the id is not reused while it is there): a status policy need not be hashable.
_FOR_WEBDAV: dict[tuple[int, str], tuple[ServeOptions, ServeOptions]] = {}


def render(environ: WSGIEnvironment, doc: MultiStatus, options: ServeOptions) -> Reply:
    """The :func:`~multistatus.reply` to this request; 406 as a problem when strict negotiation fails."""
    if type(options) is not ServeOptions:
        options = options_from(options, {})  # (a ServeOptions subclass is taken; anything else refused)
    return _serve.answer(exchange(environ), doc, for_request(environ, options), keep=True)


def send(
    start_response: StartResponse, answer: Reply, exc_info: OptExcInfo | None = None, *, head: bool = False
) -> list[bytes]:
    start_response(answer.status_line, list(answer.headers), exc_info)
    # HEAD: the same status and headers (Content-Length included), no body (RFC 9110 §9.3.2).
    return [answer.body] if answer.body and not head else []


def is_head(environ: WSGIEnvironment) -> bool:
    return environ.get("REQUEST_METHOD") == "HEAD"


def get_results(request: Any, **options: Any) -> Results:
    """The results collector of this request, created on first use and kept in its environ.

    :func:`~multistatus.wsgi.respond` answers it when given no document, and
    :func:`~multistatus.wsgi.read_batch` records in it the items its *item*
    check refuses.

    Args:
        request: the WSGI environ, or a werkzeug/Flask ``Request``.
        **options: passed to :class:`~multistatus.Results` when the collector is
            created (``description=``, ``sync_token=``); ignored afterwards.

    Returns:
        The same :class:`~multistatus.Results` for every call within one request.

    Example:
        >>> from multistatus.wsgi import get_results
        >>> environ = {}
        >>> _ = get_results(environ).record_failure("/items/9", status=409, code="conflict")
        >>> len(get_results(environ))
        1
    """
    return _serve.results_in(getattr(request, "environ", request), **options)


def legacy_respond(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    doc: MultiStatus | None = None,
    *,
    headers: Iterable[tuple[str, str]] = (),
) -> Iterable[bytes]:
    """The earlier form of :func:`~multistatus.wsgi.respond`, kept one release:
    ``respond(environ, start_response, doc=None, *, headers=())``.

    Answer the request with *doc*, or with the collected results when *doc* is ``None``.

    Under :class:`~multistatus.wsgi.MultiStatusMiddleware` the middleware renders the answer with
    its settings (the status given to *start_response* here is a placeholder it
    discards, the header fields are kept); without it, the answer is rendered
    here with the library defaults.  Call it from the application callable
    itself, not from inside a generator body.

    The application's header fields (*headers*, and any that a wrapper of
    *start_response* adds, such as ``Set-Cookie`` or ``Server``) reach the
    client, except ``Content-Type``, ``Content-Length`` and
    ``Preference-Applied``, which the library sets; ``Vary`` is merged (see
    :func:`merge_headers`).

    Args:
        environ: the WSGI environment.
        start_response: the ``start_response`` callable the application got.
        doc: the document to send; the :func:`get_results` collector when ``None``.
        headers: more header fields for the answer, e.g. ``[("ETag", '"v7"')]``.

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
    extra = check_header_fields(headers)
    if served_options(environ) is not None:
        environ[RENDER_KEY] = doc if doc is not None else True
        start_response("207 Multi-Status", [PLACEHOLDER, *extra])
        return []
    if doc is None:
        doc = get_results(environ).build()
    return send(start_response, merge_headers(render(environ, doc, DEFAULT_OPTIONS), extra), head=is_head(environ))


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
        (403, 'text/xml; charset=utf-8', True)
    """
    problem.setdefault("default", for_request(environ, options_of(environ)).default)
    return send(start_response, problem_reply(status, **request_headers(environ), **problem), head=is_head(environ))
