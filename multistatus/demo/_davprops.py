"""The WebDAV demo's live properties, computed from one ``os.stat`` result per resource.

A listing of thousands of files builds these once per file, so the values that
many resources share (a file's empty ``resourcetype``, a collection's, the
content types) are built once, ETags come from the ``stat`` result
(:func:`~multistatus.webdav.stat_etag`: a PUT writes a new file, renamed over
the old one, so the tag changes with the content), and dates are written without
:mod:`email.utils` (RFC 9110 §5.6.7 ``IMF-fixdate``, the same text).
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable, Mapping

from .._model import Element, Property
from ..webdav import ActiveLock, lockdiscovery, stat_etag, supportedlock
from ._davlocks import ancestors

__all__ = ["DAV_PREFIX", "Live", "http_date", "live_properties"]

DAV_PREFIX = "{DAV:}"
_D = DAV_PREFIX
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: A file's ``resourcetype`` (empty) and a collection's: the same value for every resource.
_FILE_TYPE = Property(_D + "resourcetype", "")
_COLLECTION_TYPE = Property(_D + "resourcetype", [Element(_D + "collection")])

#: Live property names to values, or to callables computing them when asked for.
Live = dict[str, object]
#: The scopes the demo grants, and its REPORT (RFC 3253 §3.1.5): the same for every resource.
_SUPPORTED_LOCK = supportedlock()
_NO_LOCKS = lockdiscovery(())
_REPORTS = Property(
    _D + "supported-report-set",
    [Element(_D + "supported-report", [Element(_D + "report", [Element(_D + "sync-collection")])])],
)
#: Live properties not listed by ``allprop`` (RFC 6578 §4, RFC 3253 §3.1.5): only when asked for by name.
HIDDEN = frozenset({_D + "supported-report-set", _D + "sync-token"})


def http_date(timestamp: float) -> str:
    """*timestamp* as an HTTP date (RFC 9110 §5.6.7), as :func:`email.utils.formatdate` writes it with ``usegmt``.

    Example:
        >>> http_date(784111777)
        'Sun, 06 Nov 1994 08:49:37 GMT'
    """
    t = time.gmtime(timestamp)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year:04d}"
        f" {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )


def _iso_date(timestamp: float) -> str:
    t = time.gmtime(timestamp)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}Z"


class _Types:
    """``getcontenttype`` properties by file extension, built once per listing."""

    def __init__(self) -> None:
        self.known: dict[str, Property] = {}

    def of(self, name: str) -> Property:
        ext = name.rpartition(".")[2].lower() if "." in name else ""
        prop = self.known.get(ext)
        if prop is None:
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            prop = self.known[ext] = Property(_D + "getcontenttype", ctype)
        return prop


def live_properties(
    locks: Mapping[str, list[ActiveLock]], sync_token: str
) -> Callable[[str, os.stat_result, bool], Live]:
    """A function giving the live properties of ``(rel, st, is_dir)``; one per request (it keeps shared values).

    Resources changed in the same second share their date properties, built
    once.  *locks* are the active locks by the relative path of their root;
    *sync_token* is the current token of a collection's ``DAV:sync-token``.
    """
    types = _Types()
    token = Property(_D + "sync-token", sync_token)
    created: dict[int, Property] = {}
    modified: dict[int, Property] = {}

    def live(rel: str, st: os.stat_result, is_dir: bool) -> Live:
        ctime, mtime = int(st.st_ctime), int(st.st_mtime)
        made = created.get(ctime)
        if made is None:
            made = created[ctime] = Property(_D + "creationdate", _iso_date(ctime))
        changed = modified.get(mtime)
        if changed is None:
            changed = modified[mtime] = Property(_D + "getlastmodified", http_date(mtime))
        props: Live = {
            _D + "creationdate": made,
            _D + "getlastmodified": changed,
            _D + "resourcetype": _COLLECTION_TYPE if is_dir else _FILE_TYPE,
        }
        if not is_dir:
            props[_D + "getcontentlength"] = str(st.st_size)
            props[_D + "getcontenttype"] = types.of(rel.rpartition("/")[2])
            props[_D + "getetag"] = stat_etag(st)
        props[_D + "supportedlock"] = _SUPPORTED_LOCK
        props[_D + "lockdiscovery"] = _covering(locks, rel) if locks else _NO_LOCKS
        if is_dir:
            props[_D + "supported-report-set"] = _REPORTS
            props[_D + "sync-token"] = token
        return props

    return live


def _covering(locks: Mapping[str, list[ActiveLock]], rel: str) -> Property:
    """``DAV:lockdiscovery`` of *rel*: the locks on it and the ``Depth: infinity`` ones above it."""
    found = [
        lock for above in ancestors(rel) for lock in locks.get(above, ()) if above == rel or lock.depth == "infinity"
    ]
    return lockdiscovery(found) if found else _NO_LOCKS
