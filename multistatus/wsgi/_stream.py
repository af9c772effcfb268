"""Streaming a multistatus over WSGI: the head decided after the first item, a failure half-way closed well-formed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._exceptions import NotAcceptable
from .._http._negotiation import HTML, JSON
from .._http._options import ServeOptions, streaming_status, without_collapse
from .._http._prefer import minimal_response
from .._http._reply import Reply, check_header_fields, negotiate_reply, reply_headers
from .._json._stream import pieces as json_pieces
from .._model import MultiStatus, Response
from .._xml._writer import WELL_KNOWN, Writer
from .._xml._writestream import pieces as xml_pieces
from ._render import RENDER_KEY, for_request, is_head, merge_headers, render, request_headers, send, served_options

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["Stream", "close_iterable", "respond_stream", "send_stream"]

logger = logging.getLogger("multistatus.wsgi")
_STREAMING = ServeOptions(stream=True)


class Stream:
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
    headers: Iterable[tuple[str, str]] = (),
) -> Iterable[bytes]:
    """Answer the request with *responses*, sent as they come (no ``Content-Length``).

    The representation is negotiated as for :func:`respond`.  The first
    response is taken from *responses* before anything is sent, so an exception
    raised before it (an ``Unauthorized``, a :class:`~multistatus.ParseError`)
    still becomes the plain problem answer under :class:`~multistatus.wsgi.MultiStatusMiddleware`
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
        headers: more header fields, merged as by :func:`respond`.

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
    extra = check_header_fields(headers)
    stream = Stream(responses, description, sync_token)
    if served_options(environ) is not None:
        environ[RENDER_KEY] = stream
        start_response("207 Multi-Status", [("Content-Type", "application/xml; charset=utf-8"), *extra])
        return []
    return send_stream(environ, start_response, stream, _STREAMING, extra)


_END: Any = object()


class _Guard:
    """Iterate the application's responses; a failure ends the iteration and is remembered."""

    def __init__(self, environ: WSGIEnvironment, stream: Stream, iterator: Iterator[Any], first: Any) -> None:
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
            yield minimal_response(item) if self.minimal else item
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
        close_iterable(self.chunks)
        close_iterable(self.source)


def send_stream(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    stream: Stream,
    options: ServeOptions,
    extra: Iterable[tuple[str, str]] = (),
) -> Iterable[bytes]:
    """Pull the first response, decide the head, send it, then the body as the responses come.

    *extra* are the application's header fields, merged as :func:`~._render.merge_headers` does.
    """
    head = is_head(environ)
    extra = tuple(extra)
    options = for_request(environ, options)
    try:
        iterator = iter(stream.responses)
        first = next(iterator, _END)
    except BaseException:
        close_iterable(stream.responses)
        raise
    request = request_headers(environ)
    try:
        media_type, prefs = negotiate_reply(
            options, prefer=environ.get("HTTP_PREFER"), brief=environ.get("HTTP_BRIEF"), **request
        )
    except NotAcceptable:
        close_iterable(stream.responses)
        return send(start_response, merge_headers(render(environ, MultiStatus(), options), extra), head=head)
    guard = _Guard(environ, stream, iterator, first)
    if media_type == HTML or not options.stream:
        # Collected, then sent at once by the buffered path.
        responses = tuple(guard)
        close_iterable(stream.responses)
        tail = guard.tail()
        doc = MultiStatus(responses, description=tail.description, sync_token=tail.sync_token)
        answer = render(environ, doc, without_collapse(options) if guard.failed else options)
        return send(start_response, merge_headers(answer, extra), head=head)
    method = request["method"]
    guard.minimal = prefs.minimal and str(method).upper() != "PROPPATCH"  # as apply_prefer
    status = streaming_status(options)  # never collapsed: the later items are unknown
    own = reply_headers(media_type, prefs, honor_prefer=options.honor_prefer)
    started = merge_headers(Reply(status, own, b""), extra)
    start_response(started.status_line, list(started.headers))
    if head:
        close_iterable(stream.responses)
        return []
    if media_type == JSON:
        pieces = json_pieces(guard, guard.tail, None)
    else:
        pieces = xml_pieces(Writer(WELL_KNOWN), guard, guard.tail)
    return _StreamBody((piece.encode() for piece in pieces), stream.responses)


def close_iterable(iterable: Iterable[Any]) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()
