"""A class 1 and 2 WebDAV server over a folder, built on :mod:`multistatus.webdav`: the demo's ``/dav/``.

OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND (Depth 0, 1, and
infinity up to ``max_resources``) and PROPPATCH, with dead properties in any
namespace kept in SQLite beside the folder; LOCK and UNLOCK, conditional
requests and 423 (``_davclass2``); REPORT ``sync-collection`` over a change
log (``_davsync``).  Every 207 and every error body is made by the library.
Paths never leave the folder (no ``..``, no symbolic link pointing out).
Requests that change something are serialized by one lock.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import re
import threading
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from werkzeug.wrappers import Request

from .._collector import Results
from .._exceptions import ParseError
from .._http._negotiation import TEXT_XML
from .._model import Error
from ..webdav import (
    CANNOT_MODIFY_PROTECTED_PROPERTY,
    PROPFIND_FINITE_DEPTH,
    Depth,
    Properties,
    collection_failures,
    parse_depth,
    parse_destination,
    parse_overwrite,
    parse_propfind,
    parse_proppatch,
    propfind_response,
    stat_etag,
)
from ..wsgi import MultiStatusMiddleware, respond, respond_problem
from ._davclass2 import Class2
from ._davfs import Entry, body_chunks, copy_tree, read_body, remove_tree, walk, write_file
from ._davlocks import LockStore
from ._davprops import HIDDEN, http_date, live_properties
from ._davstore import Folder, NameTooLong, PropertyStore, href_path
from ._davsync import ChangeLog, SyncReport

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["LOOPBACK_HOSTS", "dav_app", "default_database"]

_D = "{DAV:}"
ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK, REPORT"
#: Live properties: computed from the file system, never stored, never changed by PROPPATCH.
PROTECTED = frozenset(
    _D + n
    for n in (
        "creationdate",
        "getcontentlength",
        "getcontenttype",
        "getetag",
        "getlastmodified",
        "resourcetype",
        "lockdiscovery",
        "supportedlock",
        "supported-report-set",
        "sync-token",
    )
)
#: The largest PUT body taken.
MAX_PUT_BYTES = 64 * 1024 * 1024
#: The largest PROPFIND, PROPPATCH or MKCOL body taken.
MAX_BODY_BYTES = 16 * 1024 * 1024
#: The host names answered by default (any port): a browser sends no other for
#: a page of this server, and a page of another site that resolves its own name
#: to 127.0.0.1 (DNS rebinding) is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: On every GET: an uploaded page never runs its scripts in the server's origin.
_SANDBOX = [("X-Content-Type-Options", "nosniff"), ("Content-Security-Policy", "default-src 'none'; sandbox")]


def _entry(path: Path, rel: str) -> Entry:
    """The :class:`Entry` of *path* (``FileNotFoundError`` when there is none: 404)."""
    return Entry(str(path), rel, path.stat(), path.is_symlink())


def _empty(start_response: StartResponse, status: str, headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    start_response(status, [*headers, ("Content-Length", "0")])
    return []


#: A ``Host`` value (RFC 9110 §7.2): a name or a bracketed IPv6 address, then at most a port.
_HOST = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(?::[0-9]*)?")


def _host_name(host: str) -> str:
    """The name of a ``Host`` header value, port left out, lowercased (``[::1]`` keeps its brackets).

    A value that is not a name and a port (``[::1].evil``) is returned whole, so that it
    matches no allowed name, whatever the WSGI server or werkzeug version let through.
    """
    host = host.strip().lower()
    match = _HOST.fullmatch(host)
    return host if match is None else match.group(1)


def _within(rel: str, ancestor: str) -> bool:
    """Whether the relative path *rel* is *ancestor* or below it, segment by segment (``""`` holds all)."""
    return not ancestor or rel == ancestor or rel.startswith(ancestor + "/")


class _Dav(Class2, SyncReport):
    """The request handlers; one instance per mounted folder."""

    def __init__(
        self,
        folder: Folder,
        prefix: str,
        store: PropertyStore,
        max_resources: int,
        hosts: frozenset[str],
        max_bytes: tuple[int, int],
    ) -> None:
        self.folder = folder
        self.prefix = prefix
        self.store = store
        self.max_resources = max_resources
        self.hosts = hosts
        self.max_put_bytes, self.max_body_bytes = max_bytes
        self.lock = threading.Lock()
        self.locks = LockStore(store.db, store.mutex)
        self.changes = ChangeLog(store.db, store.mutex)

    # -- paths and hrefs ----------------------------------------------------------------
    def locate(self, url_path: str) -> tuple[Path, str] | None:
        if url_path + "/" == self.prefix:
            url_path = self.prefix
        if not url_path.startswith(self.prefix):
            return None
        return self.folder.locate(url_path[len(self.prefix) :])

    def href(self, rel: str, is_dir: bool) -> str:
        href = self.prefix + href_path(rel)
        return href + "/" if is_dir and not href.endswith("/") else href

    # -- the application ----------------------------------------------------------------
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        if _host_name(request.host) not in self.hosts:
            detail = f"this server answers for {', '.join(sorted(self.hosts))} only"
            return respond_problem(environ, start_response, 421, detail=detail)
        # (raw path: werkzeug's request.path is already decoded; the folder decodes once)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(request.path)
        if "#" in raw:  # a fragment is never part of a request target (RFC 9112 §3.2)
            return respond_problem(environ, start_response, 400, detail="the request target holds a fragment")
        raw_path = raw.split("?", 1)[0]
        if "://" in raw_path:
            raw_path = "/" + raw_path.split("://", 1)[1].partition("/")[2]
        try:
            located = self.locate(raw_path)
        except NameTooLong as exc:
            return respond_problem(environ, start_response, 414, detail=f"{exc}: the file system takes no such name")
        if located is None:
            return respond_problem(environ, start_response, 404, detail="no such resource")
        target, rel = located
        method = request.method
        handler = getattr(self, "do_" + method.lower(), None)
        if handler is None:
            return respond_problem(environ, start_response, 405, headers=[("Allow", ALLOW)])
        try:
            # (conditions, locks and the change are one step: requests that change something take turns)
            with contextlib.nullcontext() if method in ("GET", "HEAD", "OPTIONS", "PROPFIND") else self.lock:
                stop = self.guard(request, start_response, target, rel)
                return handler(request, start_response, target, rel) if stop is None else stop
        except ParseError as exc:
            return respond_problem(environ, start_response, exc.status_hint, detail=str(exc))
        except (FileNotFoundError, NotADirectoryError):  # (moved or deleted by another request meanwhile)
            return respond_problem(environ, start_response, 404, detail="no such resource")

    def do_options(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> list[bytes]:
        return _empty(start_response, "200 OK", [("DAV", "1, 2"), ("Allow", ALLOW), ("MS-Author-Via", "DAV")])

    def do_get(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        entry = _entry(target, rel)
        if entry.is_dir:
            names = []
            with os.scandir(target) as it:
                for child in it:
                    try:
                        names.append(child.name + ("/" if child.is_dir() else ""))
                    except OSError:  # pragma: no cover - (a name the file system cannot stat any more)
                        continue
            items = "".join(
                f'<li><a href="{href_path(n)}">{escape(os.fsencode(n).decode("utf-8", "replace"))}</a></li>'
                for n in sorted(names)
            )
            title = escape(os.fsencode(rel).decode("utf-8", "replace") or "/")
            data = f"<!doctype html><title>{title}</title><ul>{items}</ul>".encode()
            ctype = "text/html; charset=utf-8"
            extra: list[tuple[str, str]] = []
        else:
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            extra = [("ETag", stat_etag(entry.st)), ("Last-Modified", http_date(entry.st.st_mtime))]
        start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data))), *extra, *_SANDBOX])
        return [] if request.method == "HEAD" else [data]

    do_head = do_get

    def do_put(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if target.is_dir():
            return respond_problem(environ, start_response, 405, detail="a collection cannot be PUT")
        if not target.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the parent collection does not exist")
        existed = target.exists()
        write_file(target, body_chunks(request, self.max_put_bytes))
        self.changes.record([rel])
        etag = stat_etag(target.stat())
        return _empty(start_response, "204 No Content" if existed else "201 Created", [("ETag", etag)])

    def do_mkcol(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if next(body_chunks(request, self.max_body_bytes), b""):
            return respond_problem(environ, start_response, 415, detail="MKCOL takes no body here")
        if target.exists():
            return respond_problem(environ, start_response, 405, detail="the resource already exists")
        if not target.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the parent collection does not exist")
        target.mkdir()
        self.store.delete_tree(rel)  # (left over by an earlier resource of that name)
        self.changes.record([rel])
        return _empty(start_response, "201 Created")

    def do_delete(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if not target.exists() and not target.is_symlink():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        if not rel:
            return respond_problem(environ, start_response, 403, detail="the root collection stays")
        if target.is_dir():
            parse_depth(request.headers.get("Depth"), allowed=("infinity",))
        failed = collection_failures(self._removed(target, rel))
        if failed is not None:
            return respond(environ, start_response, failed)
        return _empty(start_response, "204 No Content")

    def _removed(self, target: Path, rel: str) -> dict[str, int]:
        """Delete the tree *target* and its properties; the status of each member that stayed."""
        removed, failures = remove_tree(target, rel, self.href)
        if failures:
            self.store.forget(removed)
            self.changes.record(removed, removed=True)
        else:
            self.store.delete_tree(rel)
            self.locks.remove_tree(rel)  # (a lock goes with its resource)
            self.changes.record([rel], removed=True)
        return failures

    def _copy_move(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        move = request.method == "MOVE"
        if not target.exists():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        allowed: tuple[Depth, ...] = ("infinity",) if move or not target.is_dir() else ("0", "infinity")
        depth = parse_depth(
            request.headers.get("Depth"), allowed=allowed if target.is_dir() else ("0", "1", "infinity")
        )
        dest = parse_destination(request.headers.get("Destination"), request.url)
        overwrite = parse_overwrite(request.headers.get("Overwrite"))
        if not dest.same_server:
            return respond_problem(environ, start_response, 502, detail="the destination is on another server")
        try:
            located = self.locate(dest.path)
        except NameTooLong as exc:
            return respond_problem(environ, start_response, 403, detail=f"the destination has {exc}")
        if located is None:
            return respond_problem(environ, start_response, 403, detail="the destination is outside this folder")
        dest_path, dest_rel = located
        # Checked before anything is touched (RFC 4918 §9.8.5, §9.9.4; 403 as Apache mod_dav answers):
        if _within(dest_rel, rel):
            detail = "the destination is the source" if dest_rel == rel else "the destination is inside the source"
            return respond_problem(environ, start_response, 403, detail=detail)
        if _within(rel, dest_rel) and overwrite:
            detail = "the destination holds the source: overwriting it would delete the source"
            return respond_problem(environ, start_response, 403, detail=detail)
        if not dest_path.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the destination's parent does not exist")
        existed = dest_path.exists() or dest_path.is_symlink()
        if existed and not overwrite:
            return respond_problem(environ, start_response, 412, detail="the destination exists (Overwrite: F)")
        failures = self._removed(dest_path, dest_rel) if existed else {}
        if not failures and move:
            os.replace(target, dest_path)
            self.store.move_tree(rel, dest_rel)
            self.locks.remove_tree(rel)  # (locks do not move with their resource, RFC 4918 §7.7)
            self.changes.record([rel], removed=True)
        elif not failures:
            pairs, failures = copy_tree(target, dest_path, (rel, dest_rel), self.href, members=depth != "0")
            self.store.copy(pairs, dest_rel)
        self.changes.record([dest_rel])
        failed = collection_failures(failures)
        if failed is not None:
            return respond(environ, start_response, failed)
        return _empty(start_response, "204 No Content" if existed else "201 Created")

    do_copy = _copy_move
    do_move = _copy_move

    # -- properties ---------------------------------------------------------------------
    def do_propfind(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        top = _entry(target, rel)
        depth = parse_depth(request.headers.get("Depth"))
        asked = parse_propfind(read_body(request, self.max_body_bytes))
        levels = None if depth == "infinity" else int(depth)
        # (the limit is on what Depth: infinity covers; Depth: 1 lists a folder whatever its size)
        covered = walk(self.folder, top, levels, self.max_resources if levels is None else None)
        if covered is None:
            detail = f"Depth: infinity covers more than {self.max_resources} resources here; use Depth: 1."
            return respond_problem(environ, start_response, 403, detail=detail, conditions=[PROPFIND_FINITE_DEPTH])
        provider = self.providers(rel, levels)
        results = Results()
        for entry in covered:
            propfind_response(self.href(entry.rel, entry.is_dir), asked, provider(entry), results=results)
        return respond(environ, start_response, results.build())

    def providers(self, rel: str, levels: int | None) -> Callable[[Entry], Properties]:
        """The properties of each resource of a listing of *rel* down to *levels*: three queries in all."""
        dead = self.store.below(rel, levels)
        live = live_properties(self.locks.all(), self.changes.token())
        return lambda entry: Properties(live(entry.rel, entry.st, entry.is_dir), dead.get(entry.rel, ()), hidden=HIDDEN)

    def do_proppatch(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        top = _entry(target, rel)
        patch = parse_proppatch(read_body(request, self.max_body_bytes))
        failures: dict[str, int | tuple[int, Error]] = {}
        for instruction in patch:
            if instruction.name in PROTECTED:
                failures[instruction.name] = (403, Error([CANNOT_MODIFY_PROTECTED_PROPERTY]))
        results = Results()
        href = self.href(rel, top.is_dir)
        if failures:
            results.proppatch(href, patch.names, failures)
        else:
            with self.store.transaction() as tx:  # all or nothing (RFC 4918 §9.2)
                for instruction in patch:
                    if instruction.action == "set":
                        tx.set(rel, instruction.prop)
                    else:
                        tx.remove(rel, instruction.name)
            self.changes.record([rel])
            results.proppatch(href, patch.names)
        return respond(environ, start_response, results.build())


def default_database(root: Path) -> Path:
    """Where the dead properties of *root* are kept: a SQLite file beside it, ``.<name>.davprops.sqlite``."""
    return root.parent / f".{root.name or 'root'}.davprops.sqlite"


def dav_app(
    root: str | Path,
    *,
    prefix: str = "/dav/",
    max_resources: int = 1000,
    database: str | Path | None = None,
    allow_hosts: Iterable[str] = (),
    max_put_bytes: int = MAX_PUT_BYTES,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> WSGIApplication:
    """A class 1 and 2 WebDAV server over the folder *root*, mounted at *prefix*.

    Locks (exclusive and shared, ``Depth: 0`` and ``infinity``), a change log
    for ``REPORT sync-collection`` (RFC 6578) and the dead properties are kept
    in one SQLite file; requests with ``If``, ``If-Match``, ``If-None-Match``
    or ``If-Unmodified-Since`` are answered 412 when the condition fails.

    It answers only requests whose ``Host`` names a loopback address
    (:data:`LOOPBACK_HOSTS`, any port) or one of *allow_hosts*; others get 421,
    so that a page of another site cannot reach it by resolving its own name to
    127.0.0.1 (DNS rebinding).  Files are served with ``X-Content-Type-Options:
    nosniff`` and a sandboxing ``Content-Security-Policy``.

    Args:
        root: the folder served (it must exist).
        prefix: the URL path it is mounted at (with a trailing slash).
        max_resources: the most resources a ``Depth: infinity`` PROPFIND lists;
            covering more, it gets 403 ``DAV:propfind-finite-depth`` (``Depth:
            1`` lists a folder whatever its size).
        database: the SQLite file of the dead properties, locks and change log (default: beside *root*,
            see :func:`default_database`).
        allow_hosts: more host names to answer for (``Host`` without its port).
        max_put_bytes: the largest PUT body taken (413 beyond, whatever its framing).
        max_body_bytes: the largest PROPFIND, PROPPATCH or MKCOL body taken (413 beyond).

    Returns:
        A WSGI application (wrapped in :class:`~multistatus.wsgi.MultiStatusMiddleware`).

    Example:
        >>> import tempfile, multistatus as ms
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import dav_app
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     client = Client(dav_app(tmp, database=":memory:"))
        ...     created = client.put("/dav/a.txt", data=b"hello").status_code
        ...     r = client.open("/dav/", method="PROPFIND", headers={"Depth": "1"})
        >>> created, r.status_code, r.headers["Content-Type"], [x.href for x in ms.from_xml(r.data)]
        (201, 207, 'text/xml; charset=utf-8', ['/dav/', '/dav/a.txt'])
    """
    base = Path(root).resolve()
    if not base.is_dir():
        raise ValueError(f"{root} is not a folder")
    if not prefix.endswith("/"):
        prefix += "/"
    if max_resources < 1:
        raise ValueError("max_resources must be at least 1")
    store = PropertyStore(database if database is not None else default_database(base))
    # (an IPv6 address is written in brackets in Host: "::1" is "[::1]")
    hosts = frozenset(_host_name(f"[{h.strip('[]')}]" if ":" in h else h) for h in (*LOOPBACK_HOSTS, *allow_hosts))
    handlers = _Dav(Folder.of(base), prefix, store, max_resources, hosts, (max_put_bytes, max_body_bytes))
    # text/xml when the client states no preference, for every method (DELETE too): what
    # Apache mod_dav sends, and the one XML type every WebDAV client reads.
    return MultiStatusMiddleware(handlers, default=TEXT_XML)
