"""Streaming a multistatus over ASGI: the head decided after the first item, a failure half-way closed well-formed."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from typing import Any

from .._exceptions import NotAcceptable
from .._http._negotiation import HTML, JSON
from .._http._options import DEFAULT_OPTIONS, ServeOptions, streaming_status, without_collapse
from .._http._prefer import minimal_response
from .._http._reply import negotiate_reply, reply_headers
from .._json._stream import pieces as json_pieces
from .._model import MultiStatus, Response
from .._xml._writer import WELL_KNOWN, Writer
from .._xml._writestream import pieces as xml_pieces
from ._render import (
    RENDER_KEY,
    Scope,
    Send,
    header,
    is_head,
    logger,
    render,
    request_headers,
    send_reply,
    served_options,
)

__all__ = ["Stream", "respond_stream", "send_stream"]

Responses = Iterable[Response] | AsyncIterable[Response]
_STREAMING = DEFAULT_OPTIONS.replace(stream=True)
_END: Any = object()


class Stream:
    """What :func:`respond_stream` hands over: the responses and the multistatus-level parts."""

    __slots__ = ("description", "responses", "sync_token")

    def __init__(self, responses: Responses, description: str | None, sync_token: str | None) -> None:
        MultiStatus(description=description, sync_token=sync_token)  # invalid parts fail now, not mid-body
        self.responses = responses
        self.description = description
        self.sync_token = sync_token


async def respond_stream(
    scope: Scope,
    send: Send,
    responses: Responses,
    *,
    description: str | None = None,
    sync_token: str | None = None,
) -> None:
    """Answer the request with *responses*, sent as they come (no ``Content-Length``).

    The ASGI twin of :func:`multistatus.wsgi.respond_stream`, with the same
    guarantees: the first response is taken before anything is sent (an
    exception before it becomes the plain problem answer under
    :class:`~multistatus.asgi.MultiStatusMiddleware`; without it, it propagates), the status is
    207 (200 under ``always-200``), and a failure half-way closes the
    document well-formed with a description saying how many items were sent.
    *responses* may be an async iterable (an async generator, a database
    cursor) or a plain one.  HTML, and a middleware without ``stream=True``,
    collect the responses and send them at once.

    Args:
        scope: the ASGI scope.
        send: the ``send`` callable the application got.
        responses: the responses, in order.
        description: the multistatus-level description.
        sync_token: the RFC 6578 sync token, sent only when every response was.

    Raises:
        ValueError: *description* or *sync_token* is invalid.

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> from multistatus.asgi import respond_stream
        >>> async def items():
        ...     for i in range(3):
        ...         yield ms.Response(f"/items/{i}", status=200)
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> scope = {"type": "http", "method": "GET", "headers": [(b"accept", b"application/json")]}
        >>> asyncio.run(respond_stream(scope, send, items()))
        >>> body = b"".join(m.get("body", b"") for m in sent[1:])
        >>> sent[0]["status"], len(ms.from_json(body).responses)
        (207, 3)
    """
    stream = Stream(responses, description, sync_token)
    if served_options(scope) is not None:
        scope[RENDER_KEY] = stream
        return
    await send_stream(scope, send, stream, _STREAMING)


class _Feed:
    """The iterator the serializers pull from: one item is put in before each piece is asked for."""

    def __init__(self) -> None:
        self.item: Any = _END

    def __iter__(self) -> Iterator[Response]:
        return self

    def __next__(self) -> Response:
        item, self.item = self.item, _END
        if item is _END:
            raise StopIteration
        return item  # type: ignore[no-any-return]


async def _aiter(responses: Responses) -> AsyncGenerator[Any]:
    if isinstance(responses, AsyncIterable):
        async for item in responses:
            yield item
    else:
        for item in responses:
            yield item


async def _aclose(responses: object) -> None:
    for name in ("aclose", "close"):
        close = getattr(responses, name, None)
        if callable(close):
            result = close()
            if hasattr(result, "__await__"):
                await result
            return


class _Guard:
    """Pull the application's responses; a failure ends the iteration and is remembered."""

    def __init__(self, scope: Scope, stream: Stream) -> None:
        self.scope = scope
        self.stream = stream
        self.source = _aiter(stream.responses)
        self.sent = 0
        self.failed = False

    async def next(self) -> Any:
        """The next response, or ``_END`` (the end, or a failure that was logged)."""
        try:
            item = await self.source.__anext__()
        except StopAsyncIteration:
            return _END
        except Exception as exc:  # reported inside the document, never leaked
            return self._fail(exc)
        if not isinstance(item, Response):
            return self._fail(TypeError(f"responses must be Response values, not {type(item).__name__}"))
        return item

    def _fail(self, exc: Exception) -> Any:
        scope = self.scope
        logger.error("streamed response failed in %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
        self.failed = True
        return _END

    def tail(self) -> MultiStatus:
        if self.failed:
            return MultiStatus(description=f"The listing failed after {self.sent} items; the rest were not sent.")
        return MultiStatus(description=self.stream.description, sync_token=self.stream.sync_token)

    async def close(self) -> None:
        await self.source.aclose()
        await _aclose(self.stream.responses)


async def send_stream(scope: Scope, send: Send, stream: Stream, options: ServeOptions) -> None:
    """Pull the first response, decide the head, send it, then the body as the responses come."""
    head = is_head(scope)
    guard = _Guard(scope, stream)
    try:
        try:
            first = await guard.source.__anext__()
        except StopAsyncIteration:
            first = _END
        await _send_stream(scope, send, guard, first, options, head)
    finally:
        await guard.close()


async def _send_stream(scope: Scope, send: Send, guard: _Guard, first: Any, options: ServeOptions, head: bool) -> None:
    request = request_headers(scope)
    try:
        media_type, prefs = negotiate_reply(
            options, prefer=header(scope, "prefer"), brief=header(scope, "brief"), **request
        )
    except NotAcceptable:
        await send_reply(send, render(scope, MultiStatus(), options), head=head)
        return
    if first is not _END and not isinstance(first, Response):
        first = guard._fail(TypeError(f"responses must be Response values, not {type(first).__name__}"))
    if media_type == HTML or not options.stream:
        responses = []
        item = first
        while item is not _END:
            responses.append(item)
            guard.sent += 1
            item = await guard.next()
        tail = guard.tail()
        doc = MultiStatus(responses, description=tail.description, sync_token=tail.sync_token)
        await send_reply(send, render(scope, doc, without_collapse(options) if guard.failed else options), head=head)
        return
    minimal = prefs.minimal and str(request["method"]).upper() != "PROPPATCH"  # as apply_prefer
    headers = reply_headers(media_type, prefs, honor_prefer=options.honor_prefer)
    start = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": streaming_status(options), "headers": start})
    if head:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    feed = _Feed()
    pieces = (
        json_pieces(feed, guard.tail, None) if media_type == JSON else xml_pieces(Writer(WELL_KNOWN), feed, guard.tail)
    )
    chunk = next(pieces)  # the head of the document
    item = first
    while item is not _END:
        feed.item = minimal_response(item) if minimal else item
        await send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})
        chunk = next(pieces)  # this response
        guard.sent += 1
        item = await guard.next()
    await send({"type": "http.response.body", "body": (chunk + "".join(pieces)).encode(), "more_body": False})
