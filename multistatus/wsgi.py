"""
WSGI: collect per-item results, answer in the representation the client asked for
==================================================================================

The application records what happened to each item in a per-request collector
(:func:`get_results`) and hands the answer over with :func:`respond`; the
middleware negotiates the representation (XML, JSON, HTML), applies ``Prefer``
and the status policy, serializes, and sets ``Content-Type``,
``Content-Length``, ``Vary`` and ``Preference-Applied``.  Any response the
application made itself passes through untouched.

.. code-block:: python

    from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

    def app(environ, start_response):
        results = get_results(environ)
        for item in read_items(environ):
            with results.item(f"/items/{item['id']}", id=item["id"]) as handle:
                save(item)
                handle.succeeded(status=201)
        return respond(environ, start_response)

    app = MultiStatusMiddleware(app, policy="200-if-all-succeeded")

An exception raised by the application before any item was recorded becomes a
plain problem response (500, or the ``status_hint`` of a
:class:`~multistatus.MultiStatusError`, or the code of a werkzeug
``HTTPException``) in ``application/problem+json``, ``application/problem+xml``
or ``DAV:error`` XML, chosen by negotiation; no traceback is sent.  A 3xx
``HTTPException`` (werkzeug routing's ``RequestRedirect``) is sent as its own
redirect.  Flask and
werkzeug views that do not use the middleware return a
:class:`MultiStatusResponse` instead.

Per-request state lives in the WSGI ``environ`` and in locals only, so one
middleware instance serves any number of threads.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request as _WerkzeugRequest
from werkzeug.wrappers import Response as _WerkzeugResponse

from ._builders import Results
from ._exceptions import MultiStatusError
from ._jsonstream import _pieces as _json_pieces
from ._model import MultiStatus, Response
from ._negotiation import HTML, JSON, MEDIA_TYPES, NotAcceptable
from ._policy import POLICIES, _minimal_response
from ._reply import Reply, negotiate_reply, problem_reply, reply, reply_headers
from ._xmlwrite import WELL_KNOWN, Writer
from ._xmlwrite import _pieces as _xml_pieces

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "MultiStatusMiddleware",
    "MultiStatusResponse",
    "get_results",
    "respond",
    "respond_problem",
    "respond_stream",
]

#: ``environ`` key of the per-request :class:`~multistatus.Results` collector.
RESULTS_KEY = "multistatus.results"
#: ``environ`` key of the :class:`MultiStatusMiddleware` serving the request.
MIDDLEWARE_KEY = "multistatus.middleware"
_RENDER_KEY = "multistatus.render"

logger = logging.getLogger("multistatus.wsgi")


class _Options:
    """Serving settings shared by the middleware, :func:`respond` and :class:`MultiStatusResponse`."""

    __slots__ = ("default", "honor_prefer", "offers", "policy", "stream", "strict")

    def __init__(
        self,
        policy: str = "always-207",
        default: str | None = None,
        offers: Sequence[str] = MEDIA_TYPES,
        strict: bool = False,
        honor_prefer: bool = True,
        stream: bool = False,
    ) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown status policy {policy!r}; use one of {', '.join(POLICIES)}")
        self.policy = policy
        self.default = default
        self.offers = tuple(offers)
        self.strict = strict
        self.honor_prefer = honor_prefer
        self.stream = stream

    def uncollapsed(self) -> _Options:
        """The same settings with a policy that never collapses (the rest of the items are unknown)."""
        policy = "always-200" if self.policy == "always-200" else "always-207"
        return _Options(policy, self.default, self.offers, self.strict, self.honor_prefer, self.stream)


_DEFAULTS = _Options()
_STREAMING = _Options(stream=True)


def _options(environ: WSGIEnvironment) -> _Options:
    middleware = environ.get(MIDDLEWARE_KEY)
    return middleware.options if isinstance(middleware, MultiStatusMiddleware) else _DEFAULTS


def _request(environ: WSGIEnvironment) -> dict[str, Any]:
    return {
        "accept": environ.get("HTTP_ACCEPT"),
        "method": environ.get("REQUEST_METHOD"),
        "content_type": environ.get("CONTENT_TYPE"),
    }


def _render(environ: WSGIEnvironment, doc: MultiStatus, options: _Options) -> Reply:
    request = _request(environ)
    try:
        return reply(
            doc,
            prefer=environ.get("HTTP_PREFER"),
            brief=environ.get("HTTP_BRIEF"),
            policy=options.policy,
            default=options.default,
            offers=options.offers,
            strict=options.strict,
            honor_prefer=options.honor_prefer,
            **request,
        )
    except NotAcceptable as exc:
        return problem_reply(
            406,
            detail=f"This resource is available as {', '.join(exc.available)}.",
            available=list(exc.available),
            default=options.default,
            **request,
        )


def _send(
    start_response: StartResponse, answer: Reply, exc_info: OptExcInfo | None = None, *, head: bool = False
) -> list[bytes]:
    start_response(answer.status_line, list(answer.headers), exc_info)
    # HEAD: the same status and headers (Content-Length included), no body (RFC 9110 §9.3.2).
    return [answer.body] if answer.body and not head else []


def _is_head(environ: WSGIEnvironment) -> bool:
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
    if isinstance(environ.get(MIDDLEWARE_KEY), MultiStatusMiddleware):
        environ[_RENDER_KEY] = doc if doc is not None else True
        start_response("207 Multi-Status", [("Content-Type", "application/xml; charset=utf-8")])
        return []
    if doc is None:
        doc = get_results(environ).build()
    return _send(start_response, _render(environ, doc, _DEFAULTS))


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
    problem.setdefault("default", _options(environ).default)
    return _send(start_response, problem_reply(status, **_request(environ), **problem))


class _Stream:
    """What :func:`respond_stream` hands over: the responses and the multistatus-level parts."""

    __slots__ = ("description", "responses", "sync_token")

    def __init__(self, responses: Iterable[Response], description: str | None, sync_token: str | None) -> None:
        MultiStatus(description=description, sync_token=sync_token)  # invalid parts fail now, not mid-body
        self.responses = responses
        self.description = description
        self.sync_token = sync_token


def respond_stream(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    responses: Iterable[Response],
    *,
    description: str | None = None,
    sync_token: str | None = None,
) -> Iterable[bytes]:
    """Answer the request with *responses*, sent as they come (no ``Content-Length``).

    The representation is negotiated as for :func:`respond`.  The first
    response is taken from *responses* before anything is sent, so an exception
    raised before it (an ``Unauthorized``, a :class:`~multistatus.ParseError`)
    still becomes the plain problem answer under :class:`MultiStatusMiddleware`
    (without it, the exception propagates).  The status is 207 (200 under the
    ``always-200`` policy), never a collapsed one: the later items are unknown.
    If *responses* fails half-way, the document is closed well-formed, its
    description says how many items were sent, and the sync token is left
    out.  ``close()`` of *responses* is always called.  HTML, and a middleware
    without ``stream=True``, collect the responses and send them at once.

    Args:
        environ: the WSGI environment.
        start_response: the ``start_response`` callable the application got.
        responses: the responses, in order (a generator works; consumed once).
        description: the multistatus-level description.
        sync_token: the RFC 6578 sync token, sent only when every response was.

    Returns:
        The WSGI body iterable to return from the application.

    Raises:
        ValueError: *description* or *sync_token* is invalid.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import respond_stream
        >>> def app(environ, start_response):
        ...     items = (ms.Response(f"/items/{i}", status=200) for i in range(3))
        ...     return respond_stream(environ, start_response, items)
        >>> from werkzeug.test import Client
        >>> r = Client(app).get("/", headers={"Accept": "application/json"})
        >>> r.status, "Content-Length" in r.headers, len(ms.from_json(r.data).responses)
        ('207 Multi-Status', False, 3)
    """
    stream = _Stream(responses, description, sync_token)
    if isinstance(environ.get(MIDDLEWARE_KEY), MultiStatusMiddleware):
        environ[_RENDER_KEY] = stream
        start_response("207 Multi-Status", [("Content-Type", "application/xml; charset=utf-8")])
        return []
    return _send_stream(environ, start_response, stream, _STREAMING)


_END: Any = object()


class _Guard:
    """Iterate the application's responses; a failure ends the iteration and is remembered."""

    def __init__(self, environ: WSGIEnvironment, stream: _Stream, iterator: Iterator[Any], first: Any) -> None:
        self.environ = environ
        self.stream = stream
        self.iterator = iterator
        self.first = first
        self.minimal = False
        self.sent = 0
        self.failed = False

    def __iter__(self) -> Iterator[Response]:
        item = self.first
        while item is not _END:
            if not isinstance(item, Response):
                self._fail(TypeError(f"responses must be Response values, not {type(item).__name__}"))
                return
            yield _minimal_response(item) if self.minimal else item
            self.sent += 1
            try:
                item = next(self.iterator, _END)
            except Exception as exc:  # reported inside the document, never leaked
                self._fail(exc)
                return

    def _fail(self, exc: Exception) -> None:
        environ = self.environ
        logger.error(
            "streamed response failed in %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), exc_info=exc
        )
        self.failed = True

    def tail(self) -> MultiStatus:
        """The multistatus-level parts, asked once the responses are written."""
        if self.failed:
            note = f"The listing failed after {self.sent} items; the rest were not sent."
            return MultiStatus(description=note)
        return MultiStatus(description=self.stream.description, sync_token=self.stream.sync_token)


class _StreamBody:
    """The WSGI body: the serialized chunks; ``close()`` also closes the application's iterable."""

    def __init__(self, chunks: Iterator[bytes], source: Iterable[Response]) -> None:
        self.chunks = chunks
        self.source = source

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks

    def close(self) -> None:
        _close(self.chunks)
        _close(self.source)


def _send_stream(
    environ: WSGIEnvironment, start_response: StartResponse, stream: _Stream, options: _Options
) -> Iterable[bytes]:
    """Pull the first response, decide the head, send it, then the body as the responses come."""
    head = _is_head(environ)
    try:
        iterator = iter(stream.responses)
        first = next(iterator, _END)
    except BaseException:
        _close(stream.responses)
        raise
    request = _request(environ)
    try:
        media_type, prefs = negotiate_reply(
            prefer=environ.get("HTTP_PREFER"),
            brief=environ.get("HTTP_BRIEF"),
            default=options.default,
            offers=options.offers,
            strict=options.strict,
            honor_prefer=options.honor_prefer,
            **request,
        )
    except NotAcceptable:
        _close(stream.responses)
        return _send(start_response, _render(environ, MultiStatus(), options), head=head)
    guard = _Guard(environ, stream, iterator, first)
    if media_type == HTML or not options.stream:
        # Collected, then sent at once by the buffered path.
        responses = tuple(guard)
        _close(stream.responses)
        tail = guard.tail()
        doc = MultiStatus(responses, description=tail.description, sync_token=tail.sync_token)
        return _send(
            start_response, _render(environ, doc, options.uncollapsed() if guard.failed else options), head=head
        )
    method = request["method"]
    guard.minimal = prefs.minimal and str(method).upper() != "PROPPATCH"  # as apply_prefer
    status = 200 if options.policy == "always-200" else 207  # never collapsed: the later items are unknown
    headers = reply_headers(media_type, prefs, honor_prefer=options.honor_prefer)
    start_response(Reply(status, headers, b"").status_line, list(headers))
    if head:
        _close(stream.responses)
        return []
    if media_type == JSON:
        pieces = _json_pieces(guard, guard.tail, None)
    else:
        pieces = _xml_pieces(Writer(WELL_KNOWN), guard, guard.tail)
    return _StreamBody((piece.encode() for piece in pieces), stream.responses)


def _close(iterable: Iterable[Any]) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


def _refuse_write(data: bytes) -> None:
    raise RuntimeError("write() after respond(): the middleware renders this response")


class MultiStatusMiddleware:
    """Render per-item results as a negotiated multistatus answer.

    Args:
        app: the WSGI application to wrap.
        policy: the status policy, one of :data:`~multistatus.POLICIES`.
        default: the representation for clients without a preference; ``None``
            picks it per request (:func:`~multistatus.default_media_type`: XML for
            WebDAV methods and XML bodies, JSON for JSON bodies).
        offers: the representations to offer (:data:`~multistatus.MEDIA_TYPES`).
        strict: answer 406 (a problem listing the available types) when the
            client accepts none of *offers*, instead of sending the default.
        honor_prefer: apply ``Prefer: return=minimal`` and ``Brief: t``.
        stream: send the answers of :func:`respond_stream` as the responses
            come; ``False`` collects them and sends them at once.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import MultiStatusMiddleware, get_results, respond
        >>> def app(environ, start_response):
        ...     get_results(environ).succeeded("/items/1", status=201)
        ...     return respond(environ, start_response)
        >>> from werkzeug.test import Client
        >>> client = Client(MultiStatusMiddleware(app, policy="collapse-uniform"))
        >>> r = client.post("/items", json=[{"name": "a"}])
        >>> r.status_code, ms.from_json(r.data).responses[0].status
        (201, Status(201))
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        policy: str = "always-207",
        default: str | None = None,
        offers: Sequence[str] = MEDIA_TYPES,
        strict: bool = False,
        honor_prefer: bool = True,
        stream: bool = False,
    ) -> None:
        self.app = app
        self.options = _Options(policy, default, offers, strict, honor_prefer, stream)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[MIDDLEWARE_KEY] = self
        forwarded = False

        def hold_start_response(status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None) -> Any:
            nonlocal forwarded
            if environ.get(_RENDER_KEY) is not None:
                return _refuse_write
            forwarded = True
            return start_response(status, headers, exc_info)

        try:
            app_iter = self.app(environ, hold_start_response)
        except Exception as exc:  # turned into a response, never leaked
            environ.pop(_RENDER_KEY, None)
            answer = self._failure(environ, exc)
            return _send(start_response, answer, sys.exc_info() if forwarded else None, head=_is_head(environ))
        render = environ.pop(_RENDER_KEY, None)
        if render is None:
            return app_iter
        _close(app_iter)
        if isinstance(render, _Stream):
            try:
                return _send_stream(environ, start_response, render, self.options)
            except Exception as exc:  # before the first byte: the same plain problem answer
                return _send(start_response, self._failure(environ, exc), head=_is_head(environ))
        doc = render if isinstance(render, MultiStatus) else get_results(environ).build()
        return _send(start_response, _render(environ, doc, self.options), head=_is_head(environ))

    def _failure(self, environ: WSGIEnvironment, exc: Exception) -> Reply:
        request = _request(environ)
        default = self.options.default
        results = environ.get(RESULTS_KEY)
        if isinstance(exc, HTTPException) and exc.code is not None and exc.code < 400:
            # Not a failure: werkzeug's routing raises RequestRedirect (308) for a
            # missing trailing slash.  Send the exception's own response.
            own = exc.get_response(environ)
            return Reply(own.status_code, tuple(own.headers.to_wsgi_list()), own.get_data())
        if isinstance(exc, HTTPException) and exc.code is not None and exc.code >= 400:
            extra = [(k, v) for k, v in exc.get_headers(environ) if k.lower() not in ("content-type", "content-length")]
            return problem_reply(exc.code, detail=exc.description, headers=extra, default=default, **request)
        if isinstance(exc, MultiStatusError) and 400 <= exc.status_hint < 600:
            return problem_reply(exc.status_hint, detail=str(exc), default=default, **request)
        logger.error("unhandled exception in %s %s", request["method"], environ.get("PATH_INFO"), exc_info=exc)
        if isinstance(results, Results) and len(results):
            # Some items were processed: say which, and that the rest were not.
            doc = results.build()
            note = f"The request failed after {len(doc.responses)} items; the other items were not processed."
            doc = dataclasses.replace(doc, description=note)
            return _render(environ, doc, self.options.uncollapsed())
        return problem_reply(
            500, detail="The server failed to process the request.", code="internal_error", default=default, **request
        )


class MultiStatusResponse(_WerkzeugResponse):
    """A werkzeug (and Flask) response holding a multistatus rendered for one request.

    The representation, status and headers are chosen from the request's
    ``Accept``, ``Prefer``, ``Brief``, method and ``Content-Type`` when the
    response is made.  Settings not given here come from a surrounding
    :class:`MultiStatusMiddleware`, else the library defaults.  Use it in views
    that return response objects (Flask, werkzeug); the middleware passes it
    through untouched.

    Args:
        doc: the document; the request's :func:`get_results` collector when ``None``.
        request: the request answered: a werkzeug/Flask ``Request`` or a WSGI environ.
        policy: the status policy.
        default: the representation for clients without a preference.
        offers: the representations to offer.
        strict: answer 406 when the client accepts none of *offers*.
        honor_prefer: apply ``Prefer: return=minimal`` and ``Brief: t``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import MultiStatusResponse
        >>> from werkzeug.test import EnvironBuilder
        >>> environ = EnvironBuilder(headers={"Accept": "text/html"}).get_environ()
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=422)])
        >>> r = MultiStatusResponse(doc, environ)
        >>> r.status, r.mimetype
        ('207 Multi-Status', 'text/html')
    """

    def __init__(
        self,
        doc: MultiStatus | None,
        request: _WerkzeugRequest | WSGIEnvironment,
        *,
        policy: str | None = None,
        default: str | None = None,
        offers: Sequence[str] | None = None,
        strict: bool | None = None,
        honor_prefer: bool | None = None,
    ) -> None:
        environ = request.environ if isinstance(request, _WerkzeugRequest) else request
        if doc is not None and not isinstance(doc, MultiStatus):
            raise TypeError(f"MultiStatusResponse takes a MultiStatus, not {type(doc).__name__}")
        base = _options(environ)
        options = _Options(
            policy if policy is not None else base.policy,
            default if default is not None else base.default,
            offers if offers is not None else base.offers,
            strict if strict is not None else base.strict,
            honor_prefer if honor_prefer is not None else base.honor_prefer,
        )
        #: The document sent (before ``Prefer`` was applied).
        self.multistatus = doc if doc is not None else get_results(environ).build()
        answer = _render(environ, self.multistatus, options)
        super().__init__(answer.body, status=answer.status_line, headers=list(answer.headers))
        if answer.header("Content-Type") is None:
            del self.headers["Content-Type"]
