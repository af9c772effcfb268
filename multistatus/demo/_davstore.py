"""The WebDAV demo's storage: URL paths confined to the folder, dead properties in SQLite.

A URL path maps to a file by its bytes: each percent-decoded segment is one file
name, whatever its encoding (``os.fsdecode``), and a listed name is written back
percent-encoded from its bytes (:func:`href_path`), so a name that is not UTF-8
is listed and addressed like any other.

Dead properties are stored as the library writes them (one ``DAV:prop`` of a
tiny multistatus per property) and read back by the library, so a value keeps
its nested elements, namespaces, attributes and ``xml:lang``.  They are keyed by
the path's bytes; a subtree is every key equal to the path or below ``path/``,
segment by segment (never a bare string prefix: ``a`` does not hold ``ab``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

from .._model import MultiStatus, Property, PropStat, Response
from .._xml import from_xml, to_xml

__all__ = ["Folder", "NameTooLong", "PropertyStore", "href_path"]


class NameTooLong(ValueError):
    """A path the file system cannot take: a segment over ``NAME_MAX`` bytes, or the whole over ``PATH_MAX``."""


def href_path(rel: str) -> str:
    """The percent-encoded URL path of the relative path *rel*, from its file-system bytes.

    Example:
        >>> href_path("a b/caf\\u00e9"), href_path("x\\udcff")
        ('a%20b/caf%C3%A9', 'x%FF')
    """
    return quote(os.fsencode(rel), safe="/")


def _limit(root: Path, name: str, default: int) -> int:
    try:
        return os.pathconf(root, name)
    except (OSError, ValueError):  # pragma: no cover - every POSIX system answers both
        return default


@dataclass(frozen=True)
class Folder:
    """The served folder: maps URL paths to files inside it, never outside.

    Example:
        >>> folder = Folder.of(Path("/"))
        >>> folder.locate("a%20b/../../etc/passwd") is None
        True
        >>> folder.locate("a%20b/c.txt")[1], folder.locate("x%FF")[1] == "x\\udcff"
        ('a b/c.txt', True)
    """

    root: Path
    real: str
    name_max: int
    path_max: int

    @classmethod
    def of(cls, root: Path) -> Folder:
        """The folder *root* (resolved once), with its file system's ``NAME_MAX`` and ``PATH_MAX``."""
        real = os.path.realpath(root)
        return cls(root, real, _limit(root, "PC_NAME_MAX", 255), _limit(root, "PC_PATH_MAX", 4096))

    def locate(self, rel_url: str) -> tuple[Path, str] | None:
        """The file for the percent-encoded path *rel_url*, and its relative path (``""`` for the root).

        ``None`` when the path leaves the folder: ``..`` segments, NUL, a
        backslash, or a symbolic link (at any level) pointing outside.  The
        target need not exist.

        Raises:
            NameTooLong: a segment or the whole path is longer than the file system takes.
        """
        parts = [p for p in unquote_to_bytes(rel_url).split(b"/") if p and p != b"."]
        if any(p == b".." or b"\0" in p or b"\\" in p for p in parts):
            return None
        if any(len(p) > self.name_max for p in parts):
            raise NameTooLong(f"a name longer than {self.name_max} bytes")
        if len(os.fsencode(self.root)) + sum(len(p) + 1 for p in parts) >= self.path_max:
            raise NameTooLong(f"a path longer than {self.path_max - 1} bytes")
        names = [os.fsdecode(p) for p in parts]
        target = self.root.joinpath(*names)
        # The deepest existing ancestor (the target itself when it exists) must resolve inside root.
        probe = target
        while not os.path.lexists(probe) and probe != self.root:
            probe = probe.parent
        return (target, "/".join(names)) if self.holds(probe) else None

    def holds(self, path: str | Path) -> bool:
        """Whether *path* resolves (symbolic links followed) to the folder or inside it."""
        real = os.path.realpath(path)
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)


def _key(rel: str) -> bytes:
    """The key of a relative path: ``/`` and its bytes, ``b""`` for the root (below any key: that key and ``/``)."""
    return b"/" + os.fsencode(rel) if rel else b""


def _subtree(key: bytes) -> tuple[str, tuple[bytes, ...]]:
    """The SQL condition (and its parameters) of the keys at or below *key*, segment by segment."""
    # key/ <= k < key0 ("0" follows "/"): every key below key/, and only those (an index range)
    return "(path = ? OR (path >= ? AND path < ?))", (key, key + b"/", key + b"0")


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
        #: The database and its lock, shared with the locks and the change log kept beside the properties.
        self.db, self.mutex = self._db, self._lock
        # (keys are the path's bytes: a name need not be UTF-8)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS dead_props (path BLOB NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
            " seq INTEGER NOT NULL, PRIMARY KEY (path, name))"
        )
        # (the next sequence number of a path is one index probe, not a scan of its properties)
        self._db.execute("CREATE INDEX IF NOT EXISTS dead_props_seq ON dead_props (path, seq)")

    def get(self, path: str) -> list[Property]:
        """The dead properties of *path*, in the order they were first set."""
        with self._lock:
            query = "SELECT value FROM dead_props WHERE path = ? ORDER BY seq"
            rows = self._db.execute(query, (_key(path),)).fetchall()
        return [_load(row[0]) for row in rows]

    def below(self, path: str, depth: int | None) -> dict[str, list[Property]]:
        """The dead properties of *path* and of what is below it down to *depth* levels (``None``: all), by path.

        One query for a whole listing; a path without dead properties is not a key.

        Example:
            >>> import multistatus as ms
            >>> store = PropertyStore(":memory:")
            >>> with store.transaction() as tx:
            ...     for path in ("a", "a/b", "a/b/c", "ab"):
            ...         tx.set(path, ms.Property("{urn:x}v", path))
            >>> sorted(store.below("a", 1)), sorted(store.below("", None))
            (['a', 'a/b'], ['a', 'a/b', 'a/b/c', 'ab'])
        """
        key = _key(path)
        where, params = _subtree(key)
        query = f"SELECT path, value FROM dead_props WHERE {where} ORDER BY path, seq"
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        found: dict[str, list[Property]] = {}
        for row_key, value in rows:
            if depth is not None and row_key != key and row_key.count(b"/", len(key)) > depth:
                continue  # (deeper than asked)
            found.setdefault(os.fsdecode(row_key[1:]), []).append(_load(value))
        return found

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

    def forget(self, paths: Iterable[str]) -> None:
        """Forget the properties of each of *paths* (not of what is under them)."""
        with self.transaction() as tx:
            tx.db.executemany("DELETE FROM dead_props WHERE path = ?", ((_key(p),) for p in paths))

    def copy(self, pairs: Iterable[tuple[str, str]], dest: str) -> None:
        """Replace the properties at or below *dest* by those of each ``(source, copy)`` pair (not below)."""
        with self.transaction() as tx:
            tx.delete_tree(dest)
            for source, copy in pairs:
                query = "INSERT INTO dead_props SELECT ?, name, value, seq FROM dead_props WHERE path = ?"
                tx.db.execute(query, (_key(copy), _key(source)))

    def move_tree(self, source: str, dest: str) -> None:
        """Move the properties at or below *source* to the same places below *dest*, replacing those there."""
        with self.transaction() as tx:
            tx.delete_tree(dest)
            old, new = _key(source), _key(dest)
            where, params = _subtree(old)
            rows = tx.db.execute(f"SELECT path, name, value, seq FROM dead_props WHERE {where}", params).fetchall()
            tx.db.execute(f"DELETE FROM dead_props WHERE {where}", params)
            moved = ((new + path[len(old) :], name, value, seq) for path, name, value, seq in rows)
            tx.db.executemany("INSERT INTO dead_props VALUES (?, ?, ?, ?)", moved)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def set(self, path: str, prop: Property) -> None:
        """Set *prop* on *path*: a new one after the others, a known one in its place."""
        self.db.execute(
            "INSERT INTO dead_props VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM dead_props"
            " WHERE path = ?1)) ON CONFLICT (path, name) DO UPDATE SET value = excluded.value",
            (_key(path), prop.name, _dump(prop)),
        )

    def remove(self, path: str, name: str) -> None:
        self.db.execute("DELETE FROM dead_props WHERE path = ? AND name = ?", (_key(path), name))

    def delete_tree(self, path: str) -> None:
        where, params = _subtree(_key(path))
        self.db.execute(f"DELETE FROM dead_props WHERE {where}", params)
