"""
ASGI: collect per-item results, answer in the representation the client asked for
==================================================================================

The ASGI twin of :mod:`multistatus.wsgi`, with no framework dependency, and
the same four verbs: :func:`read_batch` (awaited), :func:`get_results`,
:func:`respond` and :func:`problem`, each given a Starlette or FastAPI
``Request``, or a bare ASGI ``scope``.  :func:`install` sets up a Starlette or
FastAPI application in one call: the middleware, the exception handlers that
answer framework errors and :func:`read_batch` failures with problem
documents, and routes that may return a :class:`~multistatus.MultiStatus`.

.. code-block:: python

    from fastapi import FastAPI, Request
    from multistatus.asgi import get_results, install, read_batch

    app = install(FastAPI())

    @app.post("/items", response_model=None)
    async def create_items(request: Request):
        results = get_results(request)
        for item in await read_batch(request, item=ItemIn):  # a refused item: its own 422
            with results.item(f"/items/{item.id}", id=item.id) as handle:
                save(item)
                handle.record_success(status=201)
        return results  # the negotiated 207

A plain ASGI application wraps itself in :class:`MultiStatusMiddleware`,
reads with ``await read_batch(scope, receive=receive)`` and sends
``await respond(scope)(scope, receive, send)``.
"""

from .._public import publish
from ._middleware import MultiStatusMiddleware
from ._render import MIDDLEWARE_KEY, OPTIONS_KEY, RESULTS_KEY, get_results, read_body, respond_problem
from ._starlette import exception_handlers, install, problem_response, response
from ._stream import respond_stream
from ._verbs import ASGIResponse, problem, read_batch, respond

__all__ = [
    "MIDDLEWARE_KEY",
    "OPTIONS_KEY",
    "RESULTS_KEY",
    "ASGIResponse",
    "MultiStatusMiddleware",
    "exception_handlers",
    "get_results",
    "install",
    "problem",
    "problem_response",
    "read_batch",
    "read_body",
    "respond",
    "respond_problem",
    "respond_stream",
    "response",
]

publish(globals(), __all__, __name__)
