"""
ASGI: collect per-item results, answer in the representation the client asked for
==================================================================================

The ASGI twin of :mod:`multistatus.wsgi`, with no framework dependency.  The
application records what happened to each item in a per-request collector
(:func:`get_results`, kept in the ASGI ``scope``) and hands the answer over
with :func:`respond` (or :func:`respond_stream`); the middleware negotiates
the representation (XML, JSON, HTML), applies ``Prefer`` and the status
policy, serializes, and sends it.

.. code-block:: python

    import multistatus as ms
    from multistatus.asgi import MultiStatusMiddleware, get_results, read_body, respond

    async def app(scope, receive, send):
        body = await read_body(scope, receive, max_bytes=64 * 1024)  # 413 beyond
        results = get_results(scope)
        for item in ms.read_batch(body):       # ParseError -> a 400 problem
            with results.item(f"/items/{item['id']}", id=item["id"]) as handle:
                handle.record_success(status=201)
        await respond(scope, send)

    app = MultiStatusMiddleware(app, policy="200-if-all-succeeded")

Starlette and FastAPI views return :func:`response` (a Starlette
``Response``, Starlette imported only when it is called), and
:func:`install` adds the middleware and :func:`exception_handlers` so that
framework errors (``HTTPException``, malformed JSON, validation errors) and
:func:`~multistatus.read_batch` failures are answered with problem documents
in the negotiated representation.
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
