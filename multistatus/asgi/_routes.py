"""Starlette and FastAPI routes that return a document: the negotiated 207, not a dataclass dump.

A route's endpoint that returns a :class:`~multistatus.MultiStatus` (or a
:class:`~multistatus.Results`) hands back an :class:`Answer`, a Starlette
``Response`` that renders the document for the request it is sent to, with
the options of the :class:`~multistatus.asgi.MultiStatusMiddleware`.  FastAPI
takes any ``Response`` as it is; Starlette calls it.  :func:`adopt` wraps the
endpoints of an application (those present, and, for FastAPI, those declared
later), once, from :func:`~multistatus.asgi.install`.  Imported only when
Starlette is there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.routing import Route, request_response

from .._collector import Results
from .._http import _serve
from .._model import MultiStatus
from ._render import Receive, Scope, Send, exchange, is_head, options_of, send_reply

__all__ = ["Answer", "adopt"]

_WRAPPED = "__multistatus_answers__"


class Answer(Response):
    """A document a route returned, rendered for the request when it is sent."""

    def __init__(self, doc: MultiStatus | Results) -> None:
        super().__init__(b"", status_code=207)
        self.doc = doc

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = _serve.answer(exchange(scope), self.doc, options_of(scope), keep=True)
        await send_reply(send, answer, head=is_head(scope))
        if self.background is not None:
            await self.background()


def answering(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """*endpoint*, with a returned document turned into an :class:`Answer` (the same signature)."""
    if getattr(endpoint, _WRAPPED, False) or not (inspect.isfunction(endpoint) or inspect.ismethod(endpoint)):
        return endpoint
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def wrapped_async(*args: Any, **kwargs: Any) -> Any:
            out = await endpoint(*args, **kwargs)
            return Answer(out) if isinstance(out, (MultiStatus, Results)) else out

        setattr(wrapped_async, _WRAPPED, True)
        return wrapped_async

    @functools.wraps(endpoint)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = endpoint(*args, **kwargs)
        return Answer(out) if isinstance(out, (MultiStatus, Results)) else out

    setattr(wrapped, _WRAPPED, True)
    return wrapped


def adopt(app: Any) -> None:
    """Make the routes of *app* answer a returned document: the Starlette routes present now,
    and every FastAPI route declared on it from now on."""
    for route in getattr(app, "routes", ()):
        if type(route) is Route and not getattr(route.endpoint, _WRAPPED, False):
            wrapped = answering(route.endpoint)
            if wrapped is not route.endpoint:
                route.endpoint = wrapped
                route.app = request_response(wrapped)
    router = getattr(app, "router", None)
    route_class = getattr(router, "route_class", None)
    if isinstance(route_class, type) and not getattr(route_class, _WRAPPED, False):
        router.route_class = _answering_route(route_class)  # type: ignore[union-attr]


def _answering_route(base: type[Any]) -> type[Any]:
    """A FastAPI route class whose endpoints answer a returned document."""

    def init(self: Any, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        base.__init__(self, path, answering(endpoint), **kwargs)

    return type(base.__name__, (base,), {"__init__": init, _WRAPPED: True, "__module__": base.__module__})
