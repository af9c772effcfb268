"""The SQLite connections the stores share: one per thread and process, WAL mode, ``BEGIN IMMEDIATE`` transactions."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = ["SQLiteDatabase"]


class SQLiteDatabase:
    """A database file whose tables one store keeps (the base of the SQLite stores).

    Each thread (and each process: a fork opens anew) has its own connection;
    the database runs in WAL mode, so readers do not wait for the writer; each
    transaction takes the write lock first (``BEGIN IMMEDIATE``), so two
    processes cannot both read a row as free.

    Args:
        path: the database file (created if absent; ``":memory:"`` is one
            connection's private database, so it is refused).
        table: the store's table name (letters, digits and ``_``).
        timeout: seconds to wait for another process's write lock.
        clock: the time in seconds (``time.time``: processes share it).
        schema: the statements that create the store's tables (``{t}`` is *table*).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        table: str,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
        schema: Sequence[str] = (),
    ) -> None:
        self.path = os.fspath(path)
        if self.path == ":memory:" or not self.path:
            raise ValueError("an SQLite store needs a file that its connections share, not ':memory:'")
        if not table.isidentifier() or not table.isascii():
            raise ValueError(f"the table name is letters, digits and '_', not {table!r}")
        self.table = table
        self._timeout = timeout
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        with self._transaction() as db:
            for statement in schema:
                db.execute(statement.format(t=table))

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.pid = db, os.getpid()
            with self._lock:
                self._connections.append(db)
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this store opened (in this process)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
        self._local = threading.local()
