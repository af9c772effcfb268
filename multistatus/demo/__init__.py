"""The demo server of ``python -m multistatus demo``: a batch endpoint and a PROPFIND responder.

``POST /batch``
    A JSON array of items in, a multistatus out (JSON by default, XML, HTML or
    ``text/xml`` by ``Accept``).  Items fail the way real batches do: an item
    without a ``name`` is 422 ``invalid``, one with ``"protected": true`` is 403
    ``forbidden``, more than seven saves in one request are 429 ``rate_limited``
    with ``retry-after`` (``--quota N`` changes the seven, ``--quota 0`` lifts
    it), and ``"explode": true`` raises inside the handler (500
    ``internal_error``, no traceback sent).  ``--faults RATE`` makes it fail on
    purpose instead (:class:`Faults`): some items 429 or 503, some whole
    requests, some connections dropped after saving.  ``GET /batch`` runs the
    sample batch for browsers; ``?policy=`` picks a status policy.
``/files/``
    A read-only WebDAV view of a folder (a bundled one by default):
    ``PROPFIND`` with ``Depth: 0`` or ``1``, named properties, ``allprop``,
    ``propname``, 404 propstats for unknown properties, ``Prefer: return=minimal``.
``/dav/`` (with ``--dav DIR``)
    A class 1 and 2 WebDAV server over ``DIR`` built on :mod:`multistatus.webdav`
    (:func:`dav_app`): OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE,
    PROPFIND, PROPPATCH, LOCK, UNLOCK and REPORT ``sync-collection``,
    conditional requests; dead properties, locks and a change log kept in
    SQLite beside ``DIR``.

:func:`make_asgi_app` serves the same batch endpoint over ASGI
(``uvicorn --factory multistatus.demo:make_asgi_app``).  The same
:func:`propfind_app` serves ``examples/propfind_server.py``.
"""

from ._asgi import make_asgi_app
from ._batch import SAMPLE_ITEMS, batch_app, process_items
from ._dav import dav_app, default_database
from ._faults import Faults
from ._files import FILES, propfind_app
from ._server import curl_commands, make_app, run

__all__ = [
    "FILES",
    "SAMPLE_ITEMS",
    "Faults",
    "batch_app",
    "curl_commands",
    "dav_app",
    "default_database",
    "make_app",
    "make_asgi_app",
    "process_items",
    "propfind_app",
    "run",
]
