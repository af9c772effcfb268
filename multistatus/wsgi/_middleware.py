"""The WSGI middleware and the werkzeug/Flask response class."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request as _WerkzeugRequest
from werkzeug.wrappers import Response as _WerkzeugResponse

from .._collector import Results
from .._http import _serve
from .._http._options import ServeOptions, options_from, without_collapse
from .._http._reply import Reply
from .._idempotency import Idempotency
from .._model import MultiStatus
from .._model._document import document_of
from ._idempotent import CAPTURE_KEY, idempotent_call
from ._render import (
    MIDDLEWARE_KEY,
    OPTIONS_KEY,
    PLACEHOLDER,
    RENDER_KEY,
    RESULTS_KEY,
    WEBDAV_DEFAULT,
    WEBDAV_KEY,
    exchange,
    for_request,
    get_results,
    is_head,
    logger,
    merge_headers,
    options_of,
    render,
    send,
)
from ._stream import Stream, close_iterable, send_stream

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["MultiStatusMiddleware", "MultiStatusResponse"]


def _refuse_write(data: bytes) -> None:
    raise RuntimeError("write() after respond(): the middleware renders this response")


class MultiStatusMiddleware:
    """Render per-item results as a negotiated multistatus answer.

    Args:
        app: the WSGI application to wrap.
        options: the :class:`~multistatus.ServeOptions` (status policy,
            default representation, offers, strictness, ``Prefer``, streaming).
        **settings: single settings of :class:`~multistatus.ServeOptions`
            (``policy=``, ``default=``, ``offers=``, ``strict=``,
            ``honor_prefer=``, ``stream=``), applied over *options*.
        webdav_default: what WebDAV methods (``PROPFIND``, ``PROPPATCH``,
            ``MKCOL``, ``COPY``, ``MOVE``, ``LOCK``, ``REPORT`` ...) are answered
            in when the client states no preference and *options* leave the
            default to the request: ``"text/xml"`` (the default, what Apache
            mod_dav sends and what every WebDAV client reads) or
            ``"application/xml"``.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings:
            requests of its methods with an ``Idempotency-Key`` run once, retries
            get the first answer (see :doc:`/howto-idempotency`), and the
            collector of every request claims per-item keys
            (:meth:`Results.claimed <multistatus.Results.claimed>`); ``None``: off.

    The header fields the application gives :func:`respond` (or its
    ``start_response`` when calling it) reach the client, merged with the
    library's (see :func:`merge_headers`).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import MultiStatusMiddleware, get_results, respond
        >>> def app(environ, start_response):
        ...     get_results(environ).record_success("/items/1", status=201)
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
        options: ServeOptions | None = None,
        *,
        webdav_default: str = WEBDAV_DEFAULT,
        idempotency: Idempotency | None = None,
        **settings: Any,
    ) -> None:
        self.app = app
        #: The :class:`~multistatus.ServeOptions` every answer is rendered with.
        self.options = options_from(options, settings)
        if webdav_default not in ("text/xml", "application/xml"):
            raise ValueError(f"webdav_default must be 'text/xml' or 'application/xml', not {webdav_default!r}")
        #: The representation of WebDAV methods when nothing else decides it.
        self.webdav_default = webdav_default
        if idempotency is not None and not isinstance(idempotency, Idempotency):
            raise TypeError(f"idempotency is an Idempotency, not {type(idempotency).__name__}")
        #: The idempotency settings, or ``None``.
        self.idempotency = idempotency

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.idempotency is not None and CAPTURE_KEY not in environ:
            return idempotent_call(self, self.idempotency, environ, start_response)
        environ[MIDDLEWARE_KEY] = self
        environ[OPTIONS_KEY] = self.options
        environ[WEBDAV_KEY] = self.webdav_default
        forwarded = False
        held: list[tuple[str, str]] = []

        def hold_start_response(status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None) -> Any:
            nonlocal forwarded
            if environ.get(RENDER_KEY) is not None:
                held[:] = headers  # the application's fields, merged into the rendered answer
                return _refuse_write
            forwarded = True
            return start_response(status, headers, exc_info)

        try:
            app_iter = self.app(environ, hold_start_response)
        except Exception as exc:  # turned into a response, never leaked
            environ.pop(RENDER_KEY, None)
            answer = self._failure(environ, exc)
            return send(start_response, answer, sys.exc_info() if forwarded else None, head=is_head(environ))
        handed = environ.pop(RENDER_KEY, None)
        if handed is None:
            return app_iter
        close_iterable(app_iter)
        if handed is True:  # the collected results: the usual case
            doc = get_results(environ).build()
        elif isinstance(handed, Stream):
            try:
                return send_stream(environ, start_response, handed, self.options, held)
            except Exception as exc:  # before the first byte: the same plain problem answer
                return send(start_response, self._failure(environ, exc), head=is_head(environ))
        else:
            doc = handed if isinstance(handed, MultiStatus) else get_results(environ).build()
        answer = render(environ, doc, self.options)  # (which leaves doc for an idempotency= middleware to keep)
        if held and (len(held) != 1 or held[0] is not PLACEHOLDER):  # (only respond()'s own field: none kept)
            answer = merge_headers(answer, held)
        return send(start_response, answer, head=is_head(environ))

    def _failure(self, environ: WSGIEnvironment, exc: Exception) -> Reply:
        results = environ.get(RESULTS_KEY)
        if isinstance(exc, HTTPException) and exc.code is not None and exc.code < 400:
            # Not a failure: werkzeug's routing raises RequestRedirect (308) for a
            # missing trailing slash.  Send the exception's own response.
            own = exc.get_response(environ)
            return Reply(own.status_code, tuple(own.headers.to_wsgi_list()), own.get_data())
        request = exchange(environ)
        options = for_request(environ, self.options)
        answer = _serve.problem_for(request, exc, options)
        if answer is not None:
            return answer
        logger.error("unhandled exception in %s %s", request.method, environ.get("PATH_INFO"), exc_info=exc)
        if isinstance(results, Results) and len(results):
            # Some items were processed: say which, and that the rest were not.
            doc = results.build()
            note = f"The request failed after {len(doc.responses)} items; the other items were not processed."
            doc = dataclasses.replace(doc, description=note)
            return render(environ, doc, without_collapse(self.options))
        return _serve.internal_error(request, options)


class _Buffered(_WerkzeugResponse):
    """A werkzeug response whose body, held whole, is handed to the server as one list (so that
    a middleware sees the answer complete when the application returns, as the idempotency glue
    needs it)."""

    def get_app_iter(self, environ: WSGIEnvironment) -> Iterable[bytes]:
        if not self.is_sequence:  # pragma: no cover - (the library's answers are always held whole)
            return super().get_app_iter(environ)
        status = self.status_code
        if environ.get("REQUEST_METHOD") == "HEAD" or 100 <= status < 200 or status in (204, 304):
            return []
        return [self.get_data()]


def problem_response_of(answer: Reply) -> _WerkzeugResponse:
    """A werkzeug response (a WSGI application) sending the problem *answer*."""
    return _Buffered(answer.body, status=answer.status_line, headers=list(answer.headers))


class MultiStatusResponse(_Buffered):
    """A werkzeug (and Flask) response holding a multistatus rendered for one request.

    The representation, status and headers are chosen from the request's
    ``Accept``, ``Prefer``, ``Brief``, method and ``Content-Type`` when the
    response is made.  Settings not given here come from a surrounding
    :class:`~multistatus.wsgi.MultiStatusMiddleware`, else the library defaults.  Use it in views
    that return response objects (Flask, werkzeug); the middleware passes it
    through untouched.  :meth:`collected` answers with the results the view
    recorded through :func:`get_results`.

    Args:
        doc: the document to send (``None``: the collected results, as :meth:`collected`).
        request: the request answered: a werkzeug/Flask ``Request`` or a WSGI environ.
        options: the :class:`~multistatus.ServeOptions`; the middleware's (else
            the defaults) when ``None``.
        **settings: single settings of :class:`~multistatus.ServeOptions`
            (``policy=``, ``default=``, ...), applied over those.

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
        options: ServeOptions | None = None,
        **settings: Any,
    ) -> None:
        environ = request.environ if isinstance(request, _WerkzeugRequest) else request
        if doc is None:
            doc = get_results(environ).build()
        else:
            doc = document_of(doc, "MultiStatusResponse()")
        chosen = options_from(options, settings, base=options_of(environ))
        #: The document sent (before ``Prefer`` was applied); ``None`` when made by
        #: :func:`~multistatus.wsgi.respond` for the collected results.
        self.multistatus: MultiStatus | None = doc
        answer = render(environ, doc, chosen)
        super().__init__(answer.body, status=answer.status_line, headers=list(answer.headers))
        if answer.header("Content-Type") is None:
            del self.headers["Content-Type"]

    @classmethod
    def of(cls, answer: Reply, doc: MultiStatus | None = None) -> MultiStatusResponse:
        """The response sending *answer*, the reply :func:`~multistatus.wsgi.respond` made for *doc*."""
        out = cls.__new__(cls)
        _WerkzeugResponse.__init__(out, answer.body, status=answer.status_line, headers=list(answer.headers))
        if answer.header("Content-Type") is None:
            del out.headers["Content-Type"]
        out.multistatus = doc
        return out

    @classmethod
    def collected(
        cls, request: _WerkzeugRequest | WSGIEnvironment, options: ServeOptions | None = None, **settings: Any
    ) -> MultiStatusResponse:
        """The response for the results this request recorded with :func:`get_results`.

        Example:
            >>> from multistatus.wsgi import MultiStatusResponse, get_results
            >>> from werkzeug.test import EnvironBuilder
            >>> environ = EnvironBuilder(headers={"Accept": "application/json"}).get_environ()
            >>> _ = get_results(environ).record_success("/items/1", status=201)
            >>> r = MultiStatusResponse.collected(environ, policy="collapse-uniform")
            >>> r.status, r.mimetype
            ('201 Created', 'application/json')
        """
        environ = request.environ if isinstance(request, _WerkzeugRequest) else request
        return cls(get_results(environ).build(), environ, options, **settings)
