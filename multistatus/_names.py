"""Namespaces and the Clark names of the elements the library reads and writes.

One home for every namespace URI and tag constant, so the reader, the writer,
the validator and the HTTP layer agree on them without importing each other.
Names are Clark strings (``{namespace}local``), lxml's own ``Element.tag``.
"""

from __future__ import annotations

__all__ = ["DAV", "NAMESPACE", "PROBLEM_NS", "XMLNS_NS", "XML_NS"]

#: The ``DAV:`` namespace URI (RFC 4918 §21).
DAV = "DAV:"
#: The ``xml:`` namespace (``xml:lang``, ``xml:space``).
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: The namespace of namespace declarations; never a name a value may use.
XMLNS_NS = "http://www.w3.org/2000/xmlns/"
#: The namespace of the library's own XML elements (REST batch fields ``id``,
#: ``headers``, ``body``, ``replayed``).  Never ``DAV:``.
NAMESPACE = "https://multistatus.readthedocs.io/ns/1"
#: Namespace of RFC 9457 problem members inside ``DAV:error`` (problem+xml's namespace).
PROBLEM_NS = "urn:ietf:rfc:7807"

_D = "{DAV:}"
MULTISTATUS = _D + "multistatus"
RESPONSE = _D + "response"
HREF = _D + "href"
STATUS = _D + "status"
PROPSTAT = _D + "propstat"
PROP = _D + "prop"
ERROR = _D + "error"
DESCRIPTION = _D + "responsedescription"
LOCATION = _D + "location"
SYNC_TOKEN = _D + "sync-token"
PROPFIND = _D + "propfind"
PROPERTYUPDATE = _D + "propertyupdate"
ALLPROP = _D + "allprop"
PROPNAME = _D + "propname"
INCLUDE = _D + "include"
SET = _D + "set"
REMOVE = _D + "remove"
XML_LANG = f"{{{XML_NS}}}lang"
_M = f"{{{NAMESPACE}}}"
REST_ID = _M + "id"
REST_HEADERS = _M + "headers"
REST_HEADER = _M + "header"
REST_BODY = _M + "body"
REST_REPLAYED = _M + "replayed"
JSON_MARK = _M + "type"
JOB = _M + "job"
JOB_STATE = _M + "state"
JOB_DONE = _M + "done"
JOB_TOTAL = _M + "total"
PROBLEM_PREFIX = f"{{{PROBLEM_NS}}}"
