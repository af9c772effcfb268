"""The demo's read-only WebDAV view of a folder: PROPFIND with Depth 0 or 1, named props, allprop, propname."""

from __future__ import annotations

import email.utils
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from werkzeug.security import safe_join
from werkzeug.wrappers import Request

from .._collector import Results
from .._exceptions import ParseError
from .._http._negotiation import XML
from .._model import Element
from .._names import DAV
from .._xml import parse_tree
from ..wsgi import MultiStatusMiddleware, get_results, respond, respond_problem

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["FILES", "propfind_app"]

#: The folder served at ``/files/`` by default.
FILES = Path(__file__).resolve().parent.parent / "data" / "files"

_D = f"{{{DAV}}}"
ALLPROP = (
    f"{_D}displayname",
    f"{_D}resourcetype",
    f"{_D}getcontentlength",
    f"{_D}getcontenttype",
    f"{_D}getlastmodified",
    f"{_D}getetag",
)


# -- the batch endpoint ---------------------------------------------------------------
# -- the PROPFIND responder -----------------------------------------------------------
def _propfind_request(body: bytes) -> tuple[str, tuple[str, ...]]:
    """``("allprop" | "prop" | "propname", names)`` from a PROPFIND body (RFC 4918 §9.1, §14.20)."""
    if not body.strip():
        return "allprop", ()
    root = parse_tree(body)
    if root.tag != f"{_D}propfind":
        raise ParseError(f"a PROPFIND body must be a DAV:propfind element, not {root.tag!s}", line=root.sourceline)
    mode = ""
    names: list[str] = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{_D}prop":
            mode = "prop"
            names.extend(c.tag for c in child if isinstance(c.tag, str))
        elif child.tag in (f"{_D}allprop", f"{_D}propname"):
            mode = child.tag[len(_D) :]
        elif child.tag == f"{_D}include":
            names.extend(c.tag for c in child if isinstance(c.tag, str))
    if not mode:
        raise ParseError("DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname", line=root.sourceline)
    return mode, tuple(names)


def _properties(path: Path) -> dict[str, object]:
    st = path.stat()
    props: dict[str, object] = {
        f"{_D}displayname": path.name,
        f"{_D}resourcetype": [Element(f"{_D}collection")] if path.is_dir() else "",
        f"{_D}getlastmodified": email.utils.formatdate(st.st_mtime, usegmt=True),
        f"{_D}getetag": f'"{st.st_mtime_ns:x}-{st.st_size:x}"',
    }
    if not path.is_dir():
        props[f"{_D}getcontentlength"] = str(st.st_size)
        props[f"{_D}getcontenttype"] = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return props


def _record(results: Results, path: Path, href: str, mode: str, names: tuple[str, ...]) -> None:
    props = _properties(path)
    if mode == "propname":
        results.propfind(href, dict.fromkeys(props, ""))
        return
    wanted = [n for n in ALLPROP if n in props] if mode == "allprop" else []
    wanted += [n for n in names if n not in wanted]
    found = {n: props[n] for n in wanted if n in props}
    missing = [n for n in wanted if n not in props] if mode == "prop" else []
    results.propfind(href, found, missing=missing)


def _exists(path: Path) -> bool:
    """Whether *path* exists; a name the file system cannot take (too long, a NUL byte) does not."""
    try:
        path.stat()
    except (OSError, ValueError):
        return False
    return True


def propfind_app(root: str | Path = FILES, *, prefix: str = "/files/") -> WSGIApplication:
    """A read-only WebDAV responder over the folder *root*, mounted at *prefix*.

    ``PROPFIND`` with ``Depth: 0`` or ``1`` (``infinity`` is refused with 403
    ``DAV:propfind-finite-depth``, RFC 4918 §9.1), named properties, ``allprop``
    (with ``include``) and ``propname``; unknown properties come back in a 404
    propstat.  ``GET`` returns a file, or a collection's Depth 1 listing (HTML in
    a browser); ``OPTIONS`` says ``DAV: 1``.  Paths leaving *root* are 404.

    Args:
        root: the folder to serve.
        prefix: the URL path it is mounted at (with a trailing slash).

    Returns:
        A WSGI application (already wrapped in :class:`~multistatus.wsgi.MultiStatusMiddleware`).

    Example:
        >>> import multistatus as ms
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import propfind_app
        >>> r = Client(propfind_app()).open("/files/", method="PROPFIND", headers={"Depth": "1"})
        >>> doc = ms.from_xml(r.data)
        >>> r.status_code, doc.responses[0].href, "/files/photos/" in [x.href for x in doc]
        (207, '/files/', True)
    """
    base = Path(root).resolve()
    if not prefix.endswith("/"):
        prefix += "/"

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        path = request.path
        if path + "/" == prefix:
            path = prefix
        joined = safe_join(str(base), path[len(prefix) :]) if path.startswith(prefix) else None
        target = Path(joined) if joined is not None else None
        if target is None or not _exists(target):
            return respond_problem(environ, start_response, 404, detail=f"{quote(path)} does not exist")
        method = request.method
        if method == "OPTIONS":
            start_response("200 OK", [("DAV", "1"), ("Allow", "OPTIONS, GET, PROPFIND"), ("Content-Length", "0")])
            return []
        if method == "GET" and target.is_file():
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/"):
                ctype += "; charset=utf-8"
            start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data)))])
            return [data]
        if method == "GET":
            mode, depth = "allprop", "1"
            names: tuple[str, ...] = ()
        elif method == "PROPFIND":
            depth = request.headers.get("Depth", "infinity").strip().lower()
            if depth not in ("0", "1"):
                return respond_problem(
                    environ,
                    start_response,
                    403 if depth == "infinity" else 400,
                    detail="Use Depth: 0 or Depth: 1.",
                    conditions=[f"{_D}propfind-finite-depth"] if depth == "infinity" else [],
                )
            mode, names = _propfind_request(request.get_data(cache=False))
        else:
            return respond_problem(environ, start_response, 405, headers=[("Allow", "OPTIONS, GET, PROPFIND")])
        results = get_results(environ)
        rel = target.relative_to(base)
        href = prefix + (quote(rel.as_posix()) if rel.parts else "")
        if target.is_dir() and not href.endswith("/"):
            href += "/"
        _record(results, target, href, mode, names)
        if depth == "1" and target.is_dir():
            for child in sorted(target.iterdir(), key=lambda p: p.name):
                child_href = href + quote(child.name) + ("/" if child.is_dir() else "")
                _record(results, child, child_href, mode, names)
        return respond(environ, start_response)

    return MultiStatusMiddleware(app, default=XML)
