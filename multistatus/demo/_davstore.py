"""The WebDAV demo's storage: URL paths confined to the folder, dead properties in SQLite.

Dead properties are stored as the library writes them (one ``DAV:prop`` of a
tiny multistatus per property) and read back by the library, so a value keeps
its nested elements, namespaces, attributes and ``xml:lang``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from .._model import MultiStatus, Property, PropStat, Response
from .._xml import from_xml, to_xml

__all__ = ["PropertyStore", "confine"]


def confine(root: Path, rel_url: str) -> tuple[Path, str] | None:
    """The file under *root* for the percent-encoded path *rel_url*, and its relative POSIX path.

    ``None`` when the path leaves *root*: ``..`` segments, NUL, a backslash, or
    a symbolic link (at any level) pointing outside.  The target need not exist.

    Example:
        >>> from pathlib import Path
        >>> confine(Path("/srv/dav"), "a%20b/../../etc/passwd") is None
        True
        >>> confine(Path("/srv/dav"), "a%20b/c.txt")[1]
        'a b/c.txt'
    """
    try:
        text = unquote(rel_url, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    parts = [p for p in text.split("/") if p and p != "."]
    if any(p == ".." or "\0" in p or "\\" in p for p in parts):
        return None
    target = root.joinpath(*parts)
    real_root = os.path.realpath(root)
    # The deepest existing ancestor (the target itself when it exists) must resolve inside root.
    probe = target
    while not os.path.lexists(probe) and probe != root:
        probe = probe.parent
    real = os.path.realpath(probe)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return target, "/".join(parts)


def _dump(prop: Property) -> str:
    doc = MultiStatus([Response("/", propstats=[PropStat([prop], 200)])])
    return to_xml(doc).decode("utf-8")


def _load(text: str) -> Property:
    return from_xml(text.encode("utf-8")).responses[0].propstats[0].props[0]


class PropertyStore:
    """Dead properties by resource path (relative POSIX path, ``""`` for the root), in SQLite.

    Example:
        >>> import multistatus as ms
        >>> store = PropertyStore(":memory:")
        >>> with store.transaction() as tx:
        ...     tx.set("a.txt", ms.Property("{urn:x}v", "1", lang="en"))
        >>> store.get("a.txt")
        [Property('{urn:x}v', '1', lang='en')]
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS props (path TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
            " seq INTEGER NOT NULL, PRIMARY KEY (path, name))"
        )

    def get(self, path: str) -> list[Property]:
        """The dead properties of *path*, in the order they were first set."""
        with self._lock:
            rows = self._db.execute("SELECT value FROM props WHERE path = ? ORDER BY seq", (path,)).fetchall()
        return [_load(row[0]) for row in rows]

    @contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        """Changes applied together, or not at all when the block raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield _Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def delete_tree(self, path: str) -> None:
        """Forget the properties of *path* and everything under it."""
        with self.transaction() as tx:
            tx.delete_tree(path)

    def copy_tree(self, source: str, dest: str, *, move: bool = False, depth0: bool = False) -> None:
        """Copy (or move) the properties of *source* (and below, unless *depth0*) to *dest*."""
        with self.transaction() as tx:
            tx.delete_tree(dest)
            rows = tx.rows(source, depth0)
            for path, name, value, seq in rows:
                new = dest + path[len(source) :]
                tx.db.execute("INSERT INTO props VALUES (?, ?, ?, ?)", (new, name, value, seq))
            if move:
                tx.delete_tree(source)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def set(self, path: str, prop: Property) -> None:
        row = self.db.execute("SELECT seq FROM props WHERE path = ? AND name = ?", (path, prop.name)).fetchone()
        if row is not None:
            self.db.execute("UPDATE props SET value = ? WHERE path = ? AND name = ?", (_dump(prop), path, prop.name))
            return
        seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM props WHERE path = ?", (path,)).fetchone()[0]
        self.db.execute("INSERT INTO props VALUES (?, ?, ?, ?)", (path, prop.name, _dump(prop), seq))

    def remove(self, path: str, name: str) -> None:
        self.db.execute("DELETE FROM props WHERE path = ? AND name = ?", (path, name))

    def rows(self, path: str, depth0: bool) -> list[tuple[str, str, str, int]]:
        if depth0 or not path:
            query = "SELECT path, name, value, seq FROM props WHERE path = ?"
            rows = self.db.execute(query, (path,)).fetchall()
            if depth0 or path:
                return rows
            return self.db.execute("SELECT path, name, value, seq FROM props").fetchall()
        query = "SELECT path, name, value, seq FROM props WHERE path = ? OR substr(path, 1, length(?)) = ?"
        return self.db.execute(query, (path, path + "/", path + "/")).fetchall()

    def delete_tree(self, path: str) -> None:
        if not path:
            self.db.execute("DELETE FROM props")
            return
        query = "DELETE FROM props WHERE path = ? OR substr(path, 1, length(?)) = ?"
        self.db.execute(query, (path, path + "/", path + "/"))
