"""The precondition and postcondition names WebDAV servers answer with, as Clark names.

One home for them all (RFC 4918 §16, RFC 3253, RFC 3744, RFC 5689, RFC 6578,
RFC 4791, RFC 6352), so a server writes ``error_reply(403, VALID_SYNC_TOKEN)``
and never spells a namespace by hand.  :func:`~multistatus.webdav.condition`
builds one as an element holding hrefs.
"""

from __future__ import annotations

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
    "LOCK_TOKEN_MATCHES_REQUEST_URI",
    "LOCK_TOKEN_SUBMITTED",
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
]

#: The CalDAV namespace (RFC 4791 §14).
CALDAV = "urn:ietf:params:xml:ns:caldav"
#: The CardDAV namespace (RFC 6352 §13).
CARDDAV = "urn:ietf:params:xml:ns:carddav"
_D = "{DAV:}"
_C = f"{{{CALDAV}}}"
_CR = f"{{{CARDDAV}}}"

# -- RFC 4918 §16 ---------------------------------------------------------------
#: §16: a LOCK refresh or UNLOCK named a lock token that does not cover the Request-URI.
LOCK_TOKEN_MATCHES_REQUEST_URI = _D + "lock-token-matches-request-uri"
#: §16: a locked resource was changed without its lock token (list the locked hrefs; 423).
LOCK_TOKEN_SUBMITTED = _D + "lock-token-submitted"
#: §16: a LOCK conflicts with an existing lock (may list its root href; 423).
NO_CONFLICTING_LOCK = _D + "no-conflicting-lock"
#: §16: the body declared an external entity, which the server refuses.
NO_EXTERNAL_ENTITIES = _D + "no-external-entities"
#: §16: a COPY or MOVE could not keep a live property's behaviour at the destination.
PRESERVED_LIVE_PROPERTIES = _D + "preserved-live-properties"
#: §16: the server refuses PROPFIND with ``Depth: infinity`` (403).
PROPFIND_FINITE_DEPTH = _D + "propfind-finite-depth"
#: §16: a PROPPATCH tried to change a protected (live) property (403 propstat).
CANNOT_MODIFY_PROTECTED_PROPERTY = _D + "cannot-modify-protected-property"

# -- RFC 3253, RFC 3744, RFC 5689, RFC 6578 -------------------------------------------
#: RFC 3253 §3.6: the REPORT named in the body is not supported on the resource (403).
SUPPORTED_REPORT = _D + "supported-report"
#: RFC 3744 §7.1.1: the current user lacks a privilege (403; lists resource and privilege).
NEED_PRIVILEGES = _D + "need-privileges"
#: RFC 5689 §3: an extended MKCOL asked for a resource type the server cannot make (403).
VALID_RESOURCETYPE = _D + "valid-resourcetype"
#: RFC 6578 §3.2: the ``DAV:sync-token`` of a sync-collection is unknown or expired (403).
VALID_SYNC_TOKEN = _D + "valid-sync-token"
#: RFC 6578 §3.2 (and RFC 4791 §7.8, RFC 6352 §8.6): the results do not fit the
#: ``DAV:limit`` the client gave (507 on sync-collection, 507 in the multistatus otherwise).
NUMBER_OF_MATCHES_WITHIN_LIMITS = _D + "number-of-matches-within-limits"

# -- RFC 4791 (CalDAV) ------------------------------------------------------------
#: RFC 4791 §5.3.2.1, §7.5: the calendar data media type is not supported (403).
SUPPORTED_CALENDAR_DATA = _C + "supported-calendar-data"
#: §5.3.2.1: the body is not valid iCalendar (403).
VALID_CALENDAR_DATA = _C + "valid-calendar-data"
#: §5.3.2.1: the iCalendar object breaks the calendar object resource rules (403).
VALID_CALENDAR_OBJECT_RESOURCE = _C + "valid-calendar-object-resource"
#: §5.3.2.1: a component type the calendar collection does not take (403).
SUPPORTED_CALENDAR_COMPONENT = _C + "supported-calendar-component"
#: §5.3.2.1: another resource of the collection has the same UID (403; holds its href).
CALDAV_NO_UID_CONFLICT = _C + "no-uid-conflict"
#: §5.3.2.1: the resource is larger than ``CALDAV:max-resource-size`` (403).
CALDAV_MAX_RESOURCE_SIZE = _C + "max-resource-size"
#: §5.3.1, §5.3.2.1: a calendar collection may not be made (or put) there (403).
CALENDAR_COLLECTION_LOCATION_OK = _C + "calendar-collection-location-ok"
#: §7.7: a calendar-query filter the server cannot evaluate (403).
CALDAV_SUPPORTED_FILTER = _C + "supported-filter"
#: §7.7: a calendar-query filter that is not valid (403).
VALID_FILTER = _C + "valid-filter"
#: §7.5.1: a text-match collation the server does not support (403).
CALDAV_SUPPORTED_COLLATION = _C + "supported-collation"

# -- RFC 6352 (CardDAV) -----------------------------------------------------------
#: RFC 6352 §6.3.2.1, §8.7: the address data media type is not supported (403).
SUPPORTED_ADDRESS_DATA = _CR + "supported-address-data"
#: §6.3.2.1: the body is not a valid vCard (403).
VALID_ADDRESS_DATA = _CR + "valid-address-data"
#: §6.3.2.1: another resource of the address book has the same UID (403; holds its href).
CARDDAV_NO_UID_CONFLICT = _CR + "no-uid-conflict"
#: §6.3.2.1: the resource is larger than ``CARDDAV:max-resource-size`` (403).
CARDDAV_MAX_RESOURCE_SIZE = _CR + "max-resource-size"
#: §6.3.1, §6.3.2.1: an address book collection may not be made (or put) there (403).
ADDRESSBOOK_COLLECTION_LOCATION_OK = _CR + "addressbook-collection-location-ok"
#: §8.6: an addressbook-query filter the server cannot evaluate (403).
CARDDAV_SUPPORTED_FILTER = _CR + "supported-filter"
#: §8.3: a text-match collation the server does not support (403).
CARDDAV_SUPPORTED_COLLATION = _CR + "supported-collation"
