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

    verdict = webdav.evaluate_conditions(method, headers, webdav.ResourceState(etag=etag, lock_tokens=held))
    info = webdav.parse_lockinfo(body)                    # LockInfo (scope, owner), None for a refresh
    answer = webdav.lock_reply(webdav.ActiveLock(webdav.new_lock_token(), href, timeout=600))
    report = webdav.parse_report(body)                    # SyncCollection, Multiget, CalendarQuery, AddressbookQuery
    custom = webdav.parse_body(body, "{urn:example}my-report")   # any body, the same parser and limits
    made = webdav.parse_mkcol(body)                       # MkCol (extended MKCOL), None for a plain one

Bad bodies and header fields raise :class:`~multistatus.ParseError` (a
``ValueError``) whose ``status_hint`` is the status to answer: 400 for
malformed XML or header values, 422 for well-formed bodies that are not what
RFC 4918 asks for, 413 for bodies over the :class:`~multistatus.Limits`, and
403 with the condition to name (:class:`~multistatus.ConditionFailed`) for a
REPORT the server does not know or a filter it cannot take.
"""

from .._public import publish
from ._answer import Properties, PropertyProvider, collection_failures, condition, error_reply, propfind_response
from ._body import parse_body, write_body
from ._conditional import Evaluation, evaluate_conditions, parse_http_date
from ._conditions import (
    ADDRESSBOOK_COLLECTION_LOCATION_OK,
    CALDAV,
    CALDAV_MAX_RESOURCE_SIZE,
    CALDAV_NO_UID_CONFLICT,
    CALDAV_SUPPORTED_COLLATION,
    CALDAV_SUPPORTED_FILTER,
    CALENDAR_COLLECTION_LOCATION_OK,
    CANNOT_MODIFY_PROTECTED_PROPERTY,
    CARDDAV,
    CARDDAV_MAX_RESOURCE_SIZE,
    CARDDAV_NO_UID_CONFLICT,
    CARDDAV_SUPPORTED_COLLATION,
    CARDDAV_SUPPORTED_FILTER,
    LOCK_TOKEN_MATCHES_REQUEST_URI,
    LOCK_TOKEN_SUBMITTED,
    NEED_PRIVILEGES,
    NO_CONFLICTING_LOCK,
    NO_EXTERNAL_ENTITIES,
    NUMBER_OF_MATCHES_WITHIN_LIMITS,
    PRESERVED_LIVE_PROPERTIES,
    PROPFIND_FINITE_DEPTH,
    SUPPORTED_ADDRESS_DATA,
    SUPPORTED_CALENDAR_COMPONENT,
    SUPPORTED_CALENDAR_DATA,
    SUPPORTED_REPORT,
    VALID_ADDRESS_DATA,
    VALID_CALENDAR_DATA,
    VALID_CALENDAR_OBJECT_RESOURCE,
    VALID_FILTER,
    VALID_RESOURCETYPE,
    VALID_SYNC_TOKEN,
)
from ._etags import stat_etag, strong_etag, strong_match, weak_match
from ._filters import CompFilter, ParamFilter, PropFilter, TextMatch, TimeRange
from ._headers import INFINITY, Depth, Destination, parse_depth, parse_destination, parse_overwrite
from ._if import IfCondition, IfHeader, IfList, ResourceState, parse_if
from ._lockheaders import MAX_TIMEOUT, new_lock_token, parse_lock_depth, parse_lock_token, parse_timeout
from ._locks import (
    ActiveLock,
    LockInfo,
    lock_conflict,
    lock_reply,
    lockdiscovery,
    locks_overlapping,
    locks_without_token,
    parse_lockinfo,
    supportedlock,
)
from ._mkcol import MkCol, mkcol_reply, parse_mkcalendar, parse_mkcol
from ._reports import (
    AddressbookQuery,
    CalendarQuery,
    Multiget,
    SyncCollection,
    parse_addressbook_query,
    parse_calendar_query,
    parse_multiget,
    parse_report,
    parse_sync_collection,
    sync_collection_response,
)
from ._request import Instruction, PropFind, PropPatch, parse_propfind, parse_proppatch

__all__ = [
    "ADDRESSBOOK_COLLECTION_LOCATION_OK",
    "CALDAV",
    "CALDAV_MAX_RESOURCE_SIZE",
    "CALDAV_NO_UID_CONFLICT",
    "CALDAV_SUPPORTED_COLLATION",
    "CALDAV_SUPPORTED_FILTER",
    "CALENDAR_COLLECTION_LOCATION_OK",
    "CANNOT_MODIFY_PROTECTED_PROPERTY",
    "CARDDAV",
    "CARDDAV_MAX_RESOURCE_SIZE",
    "CARDDAV_NO_UID_CONFLICT",
    "CARDDAV_SUPPORTED_COLLATION",
    "CARDDAV_SUPPORTED_FILTER",
    "INFINITY",
    "LOCK_TOKEN_MATCHES_REQUEST_URI",
    "LOCK_TOKEN_SUBMITTED",
    "MAX_TIMEOUT",
    "NEED_PRIVILEGES",
    "NO_CONFLICTING_LOCK",
    "NO_EXTERNAL_ENTITIES",
    "NUMBER_OF_MATCHES_WITHIN_LIMITS",
    "PRESERVED_LIVE_PROPERTIES",
    "PROPFIND_FINITE_DEPTH",
    "SUPPORTED_ADDRESS_DATA",
    "SUPPORTED_CALENDAR_COMPONENT",
    "SUPPORTED_CALENDAR_DATA",
    "SUPPORTED_REPORT",
    "VALID_ADDRESS_DATA",
    "VALID_CALENDAR_DATA",
    "VALID_CALENDAR_OBJECT_RESOURCE",
    "VALID_FILTER",
    "VALID_RESOURCETYPE",
    "VALID_SYNC_TOKEN",
    "ActiveLock",
    "AddressbookQuery",
    "CalendarQuery",
    "CompFilter",
    "Depth",
    "Destination",
    "Evaluation",
    "IfCondition",
    "IfHeader",
    "IfList",
    "Instruction",
    "LockInfo",
    "MkCol",
    "Multiget",
    "ParamFilter",
    "PropFilter",
    "PropFind",
    "PropPatch",
    "Properties",
    "PropertyProvider",
    "ResourceState",
    "SyncCollection",
    "TextMatch",
    "TimeRange",
    "collection_failures",
    "condition",
    "error_reply",
    "evaluate_conditions",
    "lock_conflict",
    "lock_reply",
    "lockdiscovery",
    "locks_overlapping",
    "locks_without_token",
    "mkcol_reply",
    "new_lock_token",
    "parse_addressbook_query",
    "parse_body",
    "parse_calendar_query",
    "parse_depth",
    "parse_destination",
    "parse_http_date",
    "parse_if",
    "parse_lock_depth",
    "parse_lock_token",
    "parse_lockinfo",
    "parse_mkcalendar",
    "parse_mkcol",
    "parse_multiget",
    "parse_overwrite",
    "parse_propfind",
    "parse_proppatch",
    "parse_report",
    "parse_sync_collection",
    "parse_timeout",
    "propfind_response",
    "stat_etag",
    "strong_etag",
    "strong_match",
    "supportedlock",
    "sync_collection_response",
    "weak_match",
    "write_body",
]

publish(globals(), __all__, __name__)
