"""The WebDAV demo's change log and its ``DAV:sync-collection`` REPORT (RFC 6578).

Every change the demo makes (PUT, MKCOL, DELETE, COPY, MOVE, PROPPATCH, a LOCK
that creates a resource) is one row of a log in its SQLite file: a sequence
number, the path's bytes, and whether the path is gone.  A sync token is a URI
naming the database (a random id kept in it) and a sequence number, so a token
of another folder, of a database made anew, or from the future is unknown: 403
``DAV:valid-sync-token``.  A collection's changes since a token are the last
change of each member path after it: a member that exists now is listed with
its properties, one that does not with 404.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request

from .._exceptions import ConditionFailed
from .._model import Response
from ..webdav import (
    NUMBER_OF_MATCHES_WITHIN_LIMITS,
    SUPPORTED_REPORT,
    VALID_SYNC_TOKEN,
    Properties,
    SyncCollection,
    parse_depth,
    parse_report,
    propfind_response,
    sync_collection_response,
)
from ..wsgi import respond, respond_problem
from ._davfs import Entry, read_body, walk
from ._davstore import Folder, _key, _subtree

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

__all__ = ["ChangeLog", "SyncReport"]

_PREFIX = "https://multistatus.invalid/sync/"


class ChangeLog:
    """The changes made under one served folder, numbered, in the SQLite database *db*.

    Example:
        >>> import sqlite3, threading
        >>> log = ChangeLog(sqlite3.connect(":memory:", isolation_level=None), threading.RLock())
        >>> first = log.token()
        >>> log.record(["a/x.txt", "b.txt"]); log.record(["a/x.txt"], removed=True)
        >>> log.since(log.parse(first), "a", 1)
        [('a/x.txt', True, 3)]
        >>> log.parse(first + "9") is None
        True
    """

    def __init__(self, db: sqlite3.Connection, mutex: threading.RLock) -> None:
        self.db = db
        self.mutex = mutex
        with mutex:
            db.execute(
                "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, path BLOB NOT NULL,"
                " removed INTEGER NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS sync_meta (id TEXT NOT NULL)")
            row = db.execute("SELECT id FROM sync_meta").fetchone()
            if row is None:
                row = (secrets.token_hex(8),)
                db.execute("INSERT INTO sync_meta VALUES (?)", row)
        self.id: str = row[0]

    def record(self, paths: Iterable[str], *, removed: bool = False) -> None:
        """Log a change of each of *paths* (relative), or that they are gone."""
        with self.mutex:
            self.db.executemany(
                "INSERT INTO changes (path, removed) VALUES (?, ?)", ((_key(p), int(removed)) for p in paths)
            )

    def last(self) -> int:
        """The sequence number of the latest change (0 before any)."""
        with self.mutex:
            row = self.db.execute("SELECT MAX(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    def token(self, seq: int | None = None) -> str:
        """The sync token of the change *seq* (default: the latest)."""
        return f"{_PREFIX}{self.id}/{self.last() if seq is None else seq}"

    def parse(self, token: str) -> int | None:
        """The sequence number of *token*, or ``None`` when this log never gave it."""
        mine = f"{_PREFIX}{self.id}/"
        number = token[len(mine) :] if token.startswith(mine) else ""
        if not number.isdigit() or len(number) > 18 or int(number) > self.last():
            return None
        return int(number)

    def since(self, seq: int, rel: str, level: int | None) -> list[tuple[str, bool, int]]:
        """The members of *rel* changed after *seq*: ``(path, removed, seq)``, in the order of their last change.

        *level* is how deep below *rel* members count (1: its members, ``None``:
        all).  Each path comes once, as its latest change left it.
        """
        key = _key(rel)
        where, params = _subtree(key)
        query = f"SELECT path, MAX(seq), removed FROM changes WHERE seq > ? AND {where} GROUP BY path ORDER BY 2"
        with self.mutex:
            rows = self.db.execute(query, (seq, *params)).fetchall()
        out = []
        for path, last, removed in rows:
            if path == key or (level is not None and path.count(b"/", len(key)) > level):
                continue
            out.append((os.fsdecode(path[1:]), bool(removed), int(last)))
        return out


class SyncReport:
    """REPORT ``DAV:sync-collection``; mixed into the demo's request handlers (which set the attributes below)."""

    changes: ChangeLog
    max_body_bytes: int
    folder: Folder

    def href(self, rel: str, is_dir: bool) -> str:  # pragma: no cover - (the handlers' own)
        raise NotImplementedError

    def providers(self, rel: str, levels: int | None) -> Callable[[Entry], Properties]:  # pragma: no cover
        raise NotImplementedError

    def do_report(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        """REPORT (RFC 3253 §3.6): ``DAV:sync-collection`` on any collection (RFC 6578), levels 1 and infinite."""
        environ = request.environ
        try:
            report = parse_report(read_body(request, self.max_body_bytes))
        except ConditionFailed as exc:
            return respond_problem(
                environ, start_response, exc.status_hint, detail=str(exc), conditions=[exc.condition]
            )
        top = Entry(str(target), rel, target.stat(), target.is_symlink())
        if not isinstance(report, SyncCollection) or not top.is_dir:
            detail = "this server answers REPORT DAV:sync-collection, on a collection"
            return respond_problem(environ, start_response, 403, detail=detail, conditions=[SUPPORTED_REPORT])
        parse_depth(request.headers.get("Depth"), default="0", allowed=("0",))  # (RFC 6578 §3.2; 400 otherwise)
        levels = 1 if report.level == "1" else None
        provider = self.providers(rel, levels)
        if report.token is None:  # the initial sync: every member (§3.4)
            last = self.changes.last()
            members = walk(self.folder, top, levels) or []
            if report.limit is not None and len(members) - 1 > report.limit:
                detail = f"the collection has more than {report.limit} members"
                return respond_problem(
                    environ, start_response, 507, detail=detail, conditions=[NUMBER_OF_MATCHES_WITHIN_LIMITS]
                )
            changed = [self._response(entry, report, provider) for entry in members[1:]]
            doc = sync_collection_response(self.changes.token(last), changed)
            return respond(environ, start_response, doc)
        since = self.changes.parse(report.token)
        if since is None:
            detail = "the sync token is not one this collection gave"
            return respond_problem(environ, start_response, 403, detail=detail, conditions=[VALID_SYNC_TOKEN])
        found = self.changes.since(since, rel, levels)
        truncated, upto = None, self.changes.last()
        if report.limit is not None and len(found) > report.limit:  # (the new token: up to the last one listed)
            found, truncated = found[: report.limit], self.href(rel, True)
            upto = found[-1][2] if found else since
        changed, removed = [], []
        for path, gone, _seq in found:
            entry = None if gone else _entry_of(self.folder.root.joinpath(*path.split("/")), path)
            if entry is None:
                removed.append(self.href(path, False))
            else:
                changed.append(self._response(entry, report, provider))
        doc = sync_collection_response(self.changes.token(upto), changed, removed, truncated=truncated)
        return respond(environ, start_response, doc)

    def _response(self, entry: Entry, report: SyncCollection, provider: Callable[[Entry], Properties]) -> Response:
        return propfind_response(self.href(entry.rel, entry.is_dir), report.prop, provider(entry))


def _entry_of(path: Path, rel: str) -> Entry | None:
    try:
        return Entry(str(path), rel, path.stat(), path.is_symlink())
    except OSError:  # pragma: no cover - (a race: gone between reading the log and the stat; listed as removed)
        return None
