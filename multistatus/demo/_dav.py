"""A class 1 WebDAV server over a folder, built on :mod:`multistatus.webdav`: the demo's ``/dav/``.

OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND (Depth 0, 1, and
infinity up to ``max_resources``) and PROPPATCH, with dead properties in any
namespace kept in SQLite beside the folder.  Every 207 and every error body is
made by the library.  Paths never leave the folder (no ``..``, no symbolic
link pointing out).  Requests that change something are serialized by one lock.
"""

from __future__ import annotations

import email.utils
import mimetypes
import os
import shutil
import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from werkzeug.wrappers import Request

from .._collector import Results
from .._exceptions import ParseError
from .._http._negotiation import TEXT_XML
from .._model import Element, Error
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
)
from ..wsgi import MultiStatusMiddleware, respond, respond_problem
from ._davstore import PropertyStore, confine

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["dav_app", "default_database"]

_D = "{DAV:}"
ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH"
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
    )
)
#: The largest PUT body taken.
MAX_PUT_BYTES = 64 * 1024 * 1024


def _live(path: Path) -> dict[str, object]:
    st = path.stat()
    is_dir = path.is_dir()
    created = datetime.fromtimestamp(st.st_ctime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    props: dict[str, object] = {
        _D + "creationdate": created,
        _D + "getlastmodified": email.utils.formatdate(st.st_mtime, usegmt=True),
        _D + "resourcetype": [Element(_D + "collection")] if is_dir else "",
        _D + "supportedlock": "",
    }
    if not is_dir:
        props[_D + "getcontentlength"] = str(st.st_size)
        props[_D + "getcontenttype"] = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        props[_D + "getetag"] = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
    return props


def _empty(start_response: StartResponse, status: str, headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    start_response(status, [*headers, ("Content-Length", "0")])
    return []


class _Dav:
    """The request handlers; one instance per mounted folder."""

    def __init__(self, root: Path, prefix: str, store: PropertyStore, max_resources: int) -> None:
        self.root = root
        self.prefix = prefix
        self.store = store
        self.max_resources = max_resources
        self.lock = threading.Lock()

    # -- paths and hrefs ----------------------------------------------------------------
    def locate(self, url_path: str) -> tuple[Path, str] | None:
        if url_path + "/" == self.prefix:
            url_path = self.prefix
        if not url_path.startswith(self.prefix):
            return None
        return confine(self.root, url_path[len(self.prefix) :])

    def href(self, rel: str, is_dir: bool) -> str:
        href = self.prefix + quote(rel, safe="/")
        return href + "/" if is_dir and not href.endswith("/") else href

    # -- the application ----------------------------------------------------------------
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        # (raw path: werkzeug's request.path is already decoded; confine() decodes once)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(request.path)
        if "#" in raw:  # a fragment is never part of a request target (RFC 9112 §3.2)
            return respond_problem(environ, start_response, 400, detail="the request target holds a fragment")
        raw_path = raw.split("?", 1)[0]
        if "://" in raw_path:
            raw_path = "/" + raw_path.split("://", 1)[1].partition("/")[2]
        located = self.locate(raw_path)
        if located is None:
            return respond_problem(environ, start_response, 404, detail="no such resource")
        target, rel = located
        method = request.method
        handler = getattr(self, "do_" + method.lower(), None)
        if handler is None:
            return respond_problem(environ, start_response, 405, headers=[("Allow", ALLOW)])
        try:
            if method in ("GET", "HEAD", "OPTIONS", "PROPFIND"):
                return handler(request, start_response, target, rel)  # type: ignore[no-any-return]
            with self.lock:
                return handler(request, start_response, target, rel)  # type: ignore[no-any-return]
        except ParseError as exc:
            return respond_problem(environ, start_response, exc.status_hint, detail=str(exc))

    def do_options(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> list[bytes]:
        return _empty(start_response, "200 OK", [("DAV", "1"), ("Allow", ALLOW), ("MS-Author-Via", "DAV")])

    def do_get(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if not target.exists():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        if target.is_dir():
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in target.iterdir())
            items = "".join(f'<li><a href="{quote(n)}">{escape(n)}</a></li>' for n in names)
            data = f"<!doctype html><title>{escape(rel or '/')}</title><ul>{items}</ul>".encode()
            ctype = "text/html; charset=utf-8"
            extra: list[tuple[str, str]] = []
        else:
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            live = _live(target)
            extra = [("ETag", str(live[_D + "getetag"])), ("Last-Modified", str(live[_D + "getlastmodified"]))]
        start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data))), *extra])
        return [] if request.method == "HEAD" else [data]

    do_head = do_get

    def do_put(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if target.is_dir():
            return respond_problem(environ, start_response, 405, detail="a collection cannot be PUT")
        if not target.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the parent collection does not exist")
        if (request.content_length or 0) > MAX_PUT_BYTES:
            return respond_problem(environ, start_response, 413, detail=f"bodies over {MAX_PUT_BYTES} bytes")
        existed = target.exists()
        target.write_bytes(request.get_data(cache=False))
        etag = str(_live(target)[_D + "getetag"])
        return _empty(start_response, "204 No Content" if existed else "201 Created", [("ETag", etag)])

    def do_mkcol(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if request.get_data(cache=False):
            return respond_problem(environ, start_response, 415, detail="MKCOL takes no body here")
        if target.exists():
            return respond_problem(environ, start_response, 405, detail="the resource already exists")
        if not target.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the parent collection does not exist")
        target.mkdir()
        self.store.delete_tree(rel)  # (left over by an earlier resource of that name)
        return _empty(start_response, "201 Created")

    def _remove(self, target: Path, rel: str) -> dict[str, int]:
        """Delete *target* (a tree), members first; the status of each member that failed."""
        failures: dict[str, int] = {}
        if target.is_dir() and not target.is_symlink():
            for child in sorted(target.iterdir()):
                failures.update(self._remove(child, f"{rel}/{child.name}" if rel else child.name))
            if failures:
                failures[self.href(rel, True)] = 424  # (not listed: collection_failures drops 424)
                return failures
            try:
                target.rmdir()
            except OSError:
                return {self.href(rel, True): 403}
        else:
            try:
                target.unlink()
            except OSError:
                return {self.href(rel, False): 403}
        self.store.delete_tree(rel)
        return failures

    def do_delete(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if not target.exists() and not target.is_symlink():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        if not rel:
            return respond_problem(environ, start_response, 403, detail="the root collection stays")
        if target.is_dir():
            parse_depth(request.headers.get("Depth"), allowed=("infinity",))
        failed = collection_failures(self._remove(target, rel))
        if failed is not None:
            return respond(environ, start_response, failed)
        return _empty(start_response, "204 No Content")

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
        located = self.locate(dest.path)
        if located is None:
            return respond_problem(environ, start_response, 403, detail="the destination is outside this folder")
        dest_path, dest_rel = located
        if dest_rel == rel or (target.is_dir() and dest_rel.startswith(rel + "/")) or not dest_rel:
            return respond_problem(environ, start_response, 403, detail="the destination is the source or inside it")
        if not dest_path.parent.is_dir():
            return respond_problem(environ, start_response, 409, detail="the destination's parent does not exist")
        existed = dest_path.exists()
        if existed and not overwrite:
            return respond_problem(environ, start_response, 412, detail="the destination exists (Overwrite: F)")
        if existed:
            failed = collection_failures(self._remove(dest_path, dest_rel))
            if failed is not None:
                return respond(environ, start_response, failed)
        if move:
            os.replace(target, dest_path)
        elif target.is_dir():
            if depth == "0":
                dest_path.mkdir()
            else:
                shutil.copytree(target, dest_path, symlinks=True)
        else:
            shutil.copy2(target, dest_path)
        self.store.copy_tree(rel, dest_rel, move=move, depth0=depth == "0")
        return _empty(start_response, "204 No Content" if existed else "201 Created")

    do_copy = _copy_move
    do_move = _copy_move

    # -- properties ---------------------------------------------------------------------
    def _walk(self, target: Path, rel: str, depth: Depth) -> list[tuple[Path, str]] | None:
        """The resources a PROPFIND covers, or ``None`` when more than ``max_resources``."""
        out = [(target, rel)]
        level = [(target, rel)]
        rounds = 0
        while level and (depth == "infinity" or rounds < int(depth)):
            rounds += 1
            nxt = []
            for path, path_rel in level:
                if not path.is_dir() or path.is_symlink():
                    continue
                for child in sorted(path.iterdir(), key=lambda p: p.name):
                    child_rel = f"{path_rel}/{child.name}" if path_rel else child.name
                    if confine(self.root, quote(child_rel)) is None:
                        continue  # a symbolic link pointing out of the folder
                    nxt.append((child, child_rel))
            out.extend(nxt)
            if len(out) > self.max_resources:
                return None
            level = nxt
        return out

    def do_propfind(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if not target.exists():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        depth = parse_depth(request.headers.get("Depth"))
        asked = parse_propfind(request.get_data(cache=False))
        covered = self._walk(target, rel, depth)
        if covered is None:
            detail = f"Depth: infinity covers more than {self.max_resources} resources here; use Depth: 1."
            return respond_problem(environ, start_response, 403, detail=detail, conditions=[PROPFIND_FINITE_DEPTH])
        results = Results()
        for path, path_rel in covered:
            provider = Properties(_live(path), self.store.get(path_rel))
            propfind_response(self.href(path_rel, path.is_dir()), asked, provider, results=results)
        return respond(environ, start_response, results.build())

    def do_proppatch(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        environ = request.environ
        if not target.exists():
            return respond_problem(environ, start_response, 404, detail="no such resource")
        patch = parse_proppatch(request.get_data(cache=False))
        protected = {i.name for i in patch if i.name in PROTECTED}
        results = Results()
        href = self.href(rel, target.is_dir())
        if protected:
            error = Error([CANNOT_MODIFY_PROTECTED_PROPERTY])
            results.proppatch(href, patch.names, dict.fromkeys(protected, (403, error)))
        else:
            with self.store.transaction() as tx:  # all or nothing (RFC 4918 §9.2)
                for instruction in patch:
                    if instruction.action == "set":
                        tx.set(rel, instruction.prop)
                    else:
                        tx.remove(rel, instruction.name)
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
) -> WSGIApplication:
    """A class 1 WebDAV server over the folder *root*, mounted at *prefix*.

    Args:
        root: the folder served (it must exist).
        prefix: the URL path it is mounted at (with a trailing slash).
        max_resources: the most resources one PROPFIND answers; a ``Depth:
            infinity`` PROPFIND covering more gets 403 ``DAV:propfind-finite-depth``.
        database: the SQLite file of the dead properties (default: beside *root*,
            see :func:`default_database`).

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
    handlers = _Dav(base, prefix, store, max_resources)
    # text/xml when the client states no preference, for every method (DELETE too): what
    # Apache mod_dav sends, and the one XML type every WebDAV client reads.
    return MultiStatusMiddleware(handlers, default=TEXT_XML)
