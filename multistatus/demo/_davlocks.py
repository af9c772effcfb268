"""The WebDAV demo's write locks (RFC 4918 §6, §7), kept in its SQLite file beside the dead properties.

A lock is stored with its root (the relative path's bytes, keyed as the dead
properties are), its href, scope, depth, owner (as the library writes the
element) and the moment it expires.  An expired lock is never returned and is
deleted by the next change.  A lock covers its root and, with ``Depth:
infinity``, everything below it (RFC 4918 §6.1, §9.10.3); what covers a path
is found from the path's ancestors, so a member created later in a locked
collection is covered without being stored.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable

from ..webdav import MAX_TIMEOUT, ActiveLock, parse_body, write_body
from ._davstore import _key, _subtree

__all__ = ["LockStore", "ancestors"]


def ancestors(rel: str) -> list[str]:
    """*rel* and the relative paths above it, root (``""``) first.

    Example:
        >>> ancestors("a/b/c"), ancestors("")
        (['', 'a', 'a/b', 'a/b/c'], [''])
    """
    parts = rel.split("/") if rel else []
    return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


class LockStore:
    """The active locks of one served folder, in the SQLite database *db* (shared with the dead properties).

    Example:
        >>> import sqlite3, threading
        >>> from multistatus.webdav import ActiveLock
        >>> locks = LockStore(sqlite3.connect(":memory:", isolation_level=None), threading.RLock())
        >>> locks.add("a", ActiveLock("urn:uuid:1", "/dav/a/", timeout=60))
        >>> [lock.root for lock in locks.covering("a/b.txt")], locks.covering("b")
        (['/dav/a/'], [])
    """

    def __init__(self, db: sqlite3.Connection, mutex: threading.RLock) -> None:
        self.db = db
        self.mutex = mutex
        with mutex:
            db.execute(
                "CREATE TABLE IF NOT EXISTS locks (token TEXT PRIMARY KEY, path BLOB NOT NULL, href TEXT NOT NULL,"
                " scope TEXT NOT NULL, depth TEXT NOT NULL, owner TEXT, expires REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS locks_path ON locks (path)")

    def _select(self, where: str, params: Iterable[object]) -> list[tuple[bytes, ActiveLock]]:
        now = time.time()
        query = f"SELECT path, token, href, scope, depth, owner, expires FROM locks WHERE expires > ? AND {where}"
        with self.mutex:
            rows = self.db.execute(query, (now, *params)).fetchall()
        found = []
        for path, token, href, scope, depth, owner, expires in rows:
            left = max(1, round(expires - now))
            element = parse_body(owner.encode("utf-8")) if owner is not None else None
            found.append((path, ActiveLock(token, href, scope, depth, left, element)))
        return found

    def covering(self, rel: str) -> list[ActiveLock]:
        """The locks that cover *rel*: on it, or ``Depth: infinity`` on a collection above it."""
        keys = [_key(a) for a in ancestors(rel)]
        own = keys[-1]
        marks = ", ".join("?" * len(keys))
        rows = self._select(f"path IN ({marks})", keys)
        return [lock for path, lock in rows if path == own or lock.depth == "infinity"]

    def below(self, rel: str) -> list[ActiveLock]:
        """The locks whose root is strictly below *rel* (members of a collection, at any depth)."""
        where, params = _subtree(_key(rel))
        return [lock for path, lock in self._select(where, params) if path != _key(rel)]

    def all(self) -> dict[str, list[ActiveLock]]:
        """Every active lock, by the relative path of its root (one query for a whole listing)."""
        found: dict[str, list[ActiveLock]] = {}
        for path, lock in self._select("1", ()):
            found.setdefault(os.fsdecode(path[1:]), []).append(lock)
        return found

    def add(self, rel: str, lock: ActiveLock) -> None:
        """Keep *lock*, rooted at *rel*, for its timeout."""
        owner = write_body(lock.owner).decode("utf-8") if lock.owner is not None else None
        expires = time.time() + (lock.timeout if lock.timeout is not None else MAX_TIMEOUT)
        with self.mutex:
            self.db.execute("DELETE FROM locks WHERE expires <= ?", (time.time(),))
            self.db.execute(
                "INSERT INTO locks VALUES (?, ?, ?, ?, ?, ?, ?)",
                (lock.token, _key(rel), lock.root, lock.scope, lock.depth, owner, expires),
            )

    def refresh(self, token: str, timeout: int | None) -> None:
        """Give the lock *token* a new timeout, from now."""
        expires = time.time() + (timeout if timeout is not None else MAX_TIMEOUT)
        with self.mutex:
            self.db.execute("UPDATE locks SET expires = ? WHERE token = ?", (expires, token))

    def remove(self, token: str) -> None:
        """Forget the lock *token* (UNLOCK)."""
        with self.mutex:
            self.db.execute("DELETE FROM locks WHERE token = ?", (token,))

    def remove_tree(self, rel: str) -> None:
        """Forget the locks rooted at *rel* or below it (the resources were deleted or moved away)."""
        where, params = _subtree(_key(rel))
        with self.mutex:
            self.db.execute(f"DELETE FROM locks WHERE {where}", params)
