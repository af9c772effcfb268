"""
WSGI: collect per-item results, answer in the representation the client asked for
==================================================================================

The application reads the items with :func:`read_batch`, records what
happened to each one in the per-request collector (:func:`get_results`) and
returns :func:`respond`, a werkzeug response (itself a WSGI application); the
answer is negotiated (XML, JSON, HTML), ``Prefer`` and the status policy
applied, serialized, with ``Content-Type``,
``Content-Length``, ``Vary`` and ``Preference-Applied``; the application's
other header fields (``ETag``, ``Set-Cookie``, ``Cache-Control`` ...) pass
through.  WebDAV methods are answered in ``text/xml`` unless the client asks
otherwise (:data:`WEBDAV_DEFAULT`).  Any response the application made itself
passes through untouched.  :func:`problem` answers a request-level failure.
The same four verbs, with the same signatures, are in :mod:`multistatus.asgi`,
:mod:`multistatus.flask` and :mod:`multistatus.django`.

.. code-block:: python

    from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

    def app(environ, start_response):
        results = get_results(environ)
        for item in read_items(environ):
            with results.item(f"/items/{item['id']}", id=item["id"]) as handle:
                save(item)
                handle.record_success(status=201)
        return respond(environ, start_response)

    app = MultiStatusMiddleware(app, policy="200-if-all-succeeded")

An exception raised by the application before any item was recorded becomes a
plain problem response (500, or the ``status_hint`` of a
:class:`~multistatus.MultiStatusError`, or the code of a werkzeug
``HTTPException``) in ``application/problem+json``, ``application/problem+xml``
or ``DAV:error`` XML, chosen by negotiation; no traceback is sent.  A 3xx
``HTTPException`` (werkzeug routing's ``RequestRedirect``) is sent as its own
redirect.  Flask answers the ``HTTPException``
its views raise (``request.get_json()``'s ``BadRequest``) inside its own
``wsgi_app``, before a wrapping middleware sees it: use
:func:`multistatus.flask.init_app`, which also makes those answers problem
documents.

Per-request state lives in the WSGI ``environ`` and in locals only, so one
middleware instance serves any number of threads.
"""

from .._public import publish
from ._middleware import MultiStatusMiddleware, MultiStatusResponse
from ._render import (
    MIDDLEWARE_KEY,
    OPTIONS_KEY,
    RESULTS_KEY,
    WEBDAV_DEFAULT,
    get_results,
    merge_headers,
    respond_problem,
)
from ._stream import respond_stream
from ._verbs import problem, read_batch, respond

__all__ = [
    "MIDDLEWARE_KEY",
    "OPTIONS_KEY",
    "RESULTS_KEY",
    "WEBDAV_DEFAULT",
    "MultiStatusMiddleware",
    "MultiStatusResponse",
    "get_results",
    "merge_headers",
    "problem",
    "read_batch",
    "respond",
    "respond_problem",
    "respond_stream",
]

publish(globals(), __all__, __name__)
