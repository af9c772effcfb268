"""
WebDAV request side and answers, sans-I/O
==========================================

Read what WebDAV clients send, and build what they expect back, without a
server or a framework: bytes and header strings in, model values and
:class:`~multistatus.Reply` values out.  ``multistatus.webdav`` imports no
werkzeug (negotiation imports it when an answer is rendered).

.. code-block:: python

    from multistatus import webdav

    request = webdav.parse_propfind(body)                 # PropFind: prop / allprop (+ include) / propname
    depth = webdav.parse_depth(headers.get("Depth"))      # "0", "1" or "infinity" (absent: infinity)
    patch = webdav.parse_proppatch(body)                  # ordered set/remove instructions, values lossless
    dest = webdav.parse_destination(headers.get("Destination"), request_url)
    overwrite = webdav.parse_overwrite(headers.get("Overwrite"))

    response = webdav.propfind_response(href, request, webdav.Properties(live, dead))
    problem = webdav.error_reply(403, webdav.PROPFIND_FINITE_DEPTH)

Bad bodies and header fields raise :class:`~multistatus.ParseError` (a
``ValueError``) whose ``status_hint`` is the status to answer: 400 for
malformed XML or header values, 422 for well-formed bodies that are not what
RFC 4918 asks for, 413 for bodies over the :class:`~multistatus.Limits`.
"""

from .._public import publish
from ._answer import (
    CANNOT_MODIFY_PROTECTED_PROPERTY,
    LOCK_TOKEN_MATCHES_REQUEST_URI,
    LOCK_TOKEN_SUBMITTED,
    NO_CONFLICTING_LOCK,
    NO_EXTERNAL_ENTITIES,
    PRESERVED_LIVE_PROPERTIES,
    PROPFIND_FINITE_DEPTH,
    Properties,
    PropertyProvider,
    collection_failures,
    condition,
    error_reply,
    propfind_response,
)
from ._headers import INFINITY, Depth, Destination, parse_depth, parse_destination, parse_overwrite
from ._request import Instruction, PropFind, PropPatch, parse_propfind, parse_proppatch

__all__ = [
    "CANNOT_MODIFY_PROTECTED_PROPERTY",
    "INFINITY",
    "LOCK_TOKEN_MATCHES_REQUEST_URI",
    "LOCK_TOKEN_SUBMITTED",
    "NO_CONFLICTING_LOCK",
    "NO_EXTERNAL_ENTITIES",
    "PRESERVED_LIVE_PROPERTIES",
    "PROPFIND_FINITE_DEPTH",
    "Depth",
    "Destination",
    "Instruction",
    "PropFind",
    "PropPatch",
    "Properties",
    "PropertyProvider",
    "collection_failures",
    "condition",
    "error_reply",
    "parse_depth",
    "parse_destination",
    "parse_overwrite",
    "parse_propfind",
    "parse_proppatch",
    "propfind_response",
]

publish(globals(), __all__, __name__)
