"""The ASGI middleware: the contract of the WSGI one, for ASGI servers and frameworks."""

from __future__ import annotations

import dataclasses
from typing import Any

from .._collector import Results
from .._http._options import ServeOptions, options_from, without_collapse
from .._http._reply import Reply
from .._http._serve import failure_of
from .._idempotency import Idempotency
from .._model import MultiStatus
from ._idempotent import CAPTURE_KEY, idempotent_call
from ._render import (
    MIDDLEWARE_KEY,
    OPTIONS_KEY,
    RENDER_KEY,
    RESULTS_KEY,
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    get_results,
    is_head,
    logger,
    problem_for,
    render,
    send_reply,
)
from ._stream import Stream, send_stream

__all__ = ["MultiStatusMiddleware"]


class MultiStatusMiddleware:
    """Render per-item results as a negotiated multistatus answer, for any ASGI application.

    The ASGI twin of :class:`multistatus.wsgi.MultiStatusMiddleware`: the
    application records results in :func:`get_results` and hands the answer
    over with :func:`respond` or :func:`respond_stream`; the middleware
    negotiates the representation, applies ``Prefer`` and the status policy,
    and sends it.  An exception raised before the application started its own
    response becomes a problem document (the ``status_hint`` of a
    :class:`~multistatus.MultiStatusError`, the code of a Starlette or
    werkzeug HTTP exception, 400 for a JSON decoding error, else 500 with no
    traceback), or, when some items were already recorded, the document of
    those items with a note.  Responses the application sends itself pass
    through untouched; lifespan and websocket scopes too.

    Args:
        app: the ASGI application to wrap.
        options: the :class:`~multistatus.ServeOptions`.
        **settings: single settings of :class:`~multistatus.ServeOptions`
            (``policy=``, ``default=``, ...), applied over *options*.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings:
            requests of its methods with an ``Idempotency-Key`` run once, retries
            get the first answer (see :doc:`/howto-idempotency`), and the
            collector of every request claims per-item keys
            (:meth:`Results.claimed <multistatus.Results.claimed>`); ``None``: off.

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> from multistatus.asgi import MultiStatusMiddleware, get_results, respond
        >>> async def app(scope, receive, send):
        ...     get_results(scope).record_success("/items/1", status=201)
        ...     await respond(scope, send)
        >>> sent = []
        >>> async def send(message):
        ...     sent.append(message)
        >>> scope = {"type": "http", "method": "POST", "headers": [(b"accept", b"application/json")]}
        >>> asyncio.run(MultiStatusMiddleware(app, policy="collapse-uniform")(scope, None, send))
        >>> sent[0]["status"], ms.from_json(sent[1]["body"]).responses[0].status
        (201, Status(201))
    """

    def __init__(
        self,
        app: ASGIApp,
        options: ServeOptions | None = None,
        *,
        idempotency: Idempotency | None = None,
        **settings: Any,
    ) -> None:
        self.app = app
        #: The :class:`~multistatus.ServeOptions` every answer is rendered with.
        self.options = options_from(options, settings)
        if idempotency is not None and not isinstance(idempotency, Idempotency):
            raise TypeError(f"idempotency is an Idempotency, not {type(idempotency).__name__}")
        #: The idempotency settings, or ``None``.
        self.idempotency = idempotency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        if self.idempotency is not None and CAPTURE_KEY not in scope:
            await idempotent_call(self, self.idempotency, scope, receive, send)
            return
        scope[MIDDLEWARE_KEY] = self
        scope[OPTIONS_KEY] = self.options
        started = False

        async def watch_send(message: Message) -> None:
            nonlocal started
            if scope.get(RENDER_KEY) is not None:
                raise RuntimeError("send() after respond(): the middleware renders this response")
            started = True
            await send(message)

        head = is_head(scope)
        try:
            await self.app(scope, receive, watch_send)
        except Exception as exc:  # turned into a response, never leaked
            scope.pop(RENDER_KEY, None)
            if started:
                raise  # the application's own response is under way: the server ends it
            await send_reply(send, self._failure(scope, exc), head=head)
            return
        handed = scope.pop(RENDER_KEY, None)
        if handed is None:
            return
        if isinstance(handed, Stream):
            started = False
            try:
                await send_stream(scope, watch_send, handed, self.options)
            except Exception as exc:
                if started:
                    raise  # the client went away mid-body: nothing more can be sent
                # before the first byte: the same plain problem answer
                await send_reply(send, self._failure(scope, exc), head=head)
            return
        doc = handed if isinstance(handed, MultiStatus) else get_results(scope).build()
        captured = scope.get(CAPTURE_KEY)
        if captured is not None:
            captured.append(doc)  # (kept for the replays of the request's Idempotency-Key)
        await send_reply(send, render(scope, doc, self.options), head=head)

    def _failure(self, scope: Scope, exc: Exception) -> Reply:
        results = scope.get(RESULTS_KEY)
        if failure_of(exc) is None:
            logger.error("unhandled exception in %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
            if isinstance(results, Results) and len(results):
                # Some items were processed: say which, and that the rest were not.
                doc = results.build()
                note = f"The request failed after {len(doc.responses)} items; the other items were not processed."
                doc = dataclasses.replace(doc, description=note)
                return render(scope, doc, without_collapse(self.options))
        return problem_for(scope, exc, self.options)
