"""An idempotency store in an SQLite database: the embedded default, safe across processes on one machine.

One table, one row per key.  Each operation is one transaction: claims in
``BEGIN IMMEDIATE`` (the write lock is taken before the row is read, so two
processes cannot both find a key free), completions as ``UPDATE … WHERE
owner = ?`` (compare and set).  The database runs in WAL mode, so readers do
not wait for the writer.  Each thread (and each process: a fork opens anew)
has its own connection.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Sequence

from .._idempotency import DEFAULT_RETENTION, Claim
from .._limits import retention_seconds
from ._database import SQLiteDatabase

__all__ = ["SQLiteStore"]

#: How many expired rows one claim removes at most (the bounded sweep).
SWEEP = 100
#: How many keys one query reads (SQLite's limit on parameters is 32766 since 3.32, 999 before).
BATCH = 500
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {t} (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, owner TEXT,"
    " answer BLOB, expires REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS {t}_expires ON {t} (expires)",
)


class SQLiteStore(SQLiteDatabase):
    """Keys, leases and answers in the table *table* of the SQLite database *path*.

    Expired rows are removed as the store is used: each claim deletes up to
    :data:`SWEEP` of them (by the ``expires`` index), without a separate job.

    Args:
        path: the database file (created if absent; ``":memory:"`` is one
            connection's private database, so it is refused).
        retention: seconds a completed answer is kept.
        table: the table's name (letters, digits and ``_``).
        timeout: seconds to wait for another process's write lock.
        clock: the time in seconds (``time.time``: processes share it).

    Example:
        >>> import tempfile, os
        >>> from multistatus.idempotency import SQLiteStore
        >>> path = os.path.join(tempfile.mkdtemp(), "keys.db")
        >>> store = SQLiteStore(path)
        >>> store.claim("k", "fp", "owner-1", 30).won, store.claim("k", "fp", "owner-2", 30).won
        (True, False)
        >>> store.complete("k", "fp", "owner-1", b"answer"), store.read("k").answer
        (True, b'answer')
        >>> store.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        retention: float = DEFAULT_RETENTION,
        table: str = "idempotency_keys",
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.retention = retention_seconds(retention)  # (before the file is made)
        super().__init__(path, table=table, timeout=timeout, clock=clock, schema=_SCHEMA)

    def _row(self, db: sqlite3.Connection, key: str, now: float) -> tuple[str, str | None, bytes | None, float] | None:
        row: tuple[str, str | None, bytes | None, float] | None = db.execute(
            f"SELECT fingerprint, owner, answer, expires FROM {self.table} WHERE key = ? AND expires > ?", (key, now)
        ).fetchone()
        return row

    def claim(self, key: str, fingerprint: str, owner: str, lease: float) -> Claim:
        """Claim *key* (see :class:`~multistatus.idempotency.Store`)."""
        return self.claim_many([(key, fingerprint)], owner, lease)[0]

    def claim_many(self, keys: Sequence[tuple[str, str]], owner: str, lease: float) -> list[Claim]:
        """Claim each ``(key, fingerprint)`` in one ``BEGIN IMMEDIATE`` transaction.

        The live entries of all the keys are read with one query per :data:`BATCH`
        keys, and the free keys are claimed with one ``executemany``.
        """
        with self._transaction() as db:
            now = self._clock()
            t = self.table
            db.execute(f"DELETE FROM {t} WHERE key IN (SELECT key FROM {t} WHERE expires <= ? LIMIT ?)", (now, SWEEP))
            found: dict[str, tuple[str, str | None, bytes | None, float]] = {}
            for at in range(0, len(keys), BATCH):
                part = [key for key, _ in keys[at : at + BATCH]]
                marks = ",".join("?" * len(part))
                sql = f"SELECT key, fingerprint, owner, answer, expires FROM {t} WHERE key IN ({marks}) AND expires > ?"
                for key, *row in db.execute(sql, (*part, now)):
                    found[key] = (row[0], row[1], row[2], row[3])
            free = [(key, fp, owner, now + lease) for key, fp in keys if key not in found]
            if free:
                db.executemany(
                    f"INSERT OR REPLACE INTO {t} (key, fingerprint, owner, answer, expires) VALUES (?, ?, ?, NULL, ?)",
                    free,
                )
        return [_seen(found[key], now) if key in found else Claim(True, fp, None, float(lease)) for key, fp in keys]

    def complete(self, key: str, fingerprint: str, owner: str, answer: bytes) -> bool:
        """Keep *answer* if *owner* still holds *key*, claimed with *fingerprint*."""
        return self.complete_many([(key, fingerprint, answer)], owner)[0]

    def complete_many(self, answers: Sequence[tuple[str, str, bytes]], owner: str) -> list[bool]:
        """:meth:`complete` for each ``(key, fingerprint, answer)``, in one transaction (one
        ``executemany`` when every key is still *owner*'s, the usual case)."""
        with self._transaction() as db:
            now = self._clock()
            sql = (
                f"UPDATE {self.table} SET answer = ?, owner = NULL, expires = ?"
                " WHERE key = ? AND fingerprint = ? AND owner = ? AND answer IS NULL AND expires > ?"
            )
            rows = [(bytes(answer), now + self.retention, key, fp, owner, now) for key, fp, answer in answers]
            wanted = {key: fp for key, fp, _ in answers}
            held = 0
            for at in range(0, len(rows), BATCH):
                part = [key for key, _, _ in answers[at : at + BATCH]]
                marks = ",".join("?" * len(part))
                query = f"SELECT key, fingerprint FROM {self.table} WHERE key IN ({marks}) AND owner = ?"
                found = db.execute(query + " AND answer IS NULL AND expires > ?", (*part, owner, now)).fetchall()
                held += sum([wanted[key] == fp for key, fp in found])
            if held == len(rows) == len(wanted):  # (all still held: one statement)
                db.executemany(sql, rows)
                return [True] * len(rows)
            return [db.execute(sql, row).rowcount == 1 for row in rows]

    def extend(self, key: str, owner: str, lease: float) -> bool:
        """Renew *owner*'s lease on *key*."""
        with self._transaction() as db:
            now = self._clock()
            sql = f"UPDATE {self.table} SET expires = ? WHERE key = ? AND owner = ? AND answer IS NULL AND expires > ?"
            return bool(db.execute(sql, (now + lease, key, owner, now)).rowcount == 1)

    def release(self, key: str, owner: str) -> bool:
        """Remove *owner*'s claim on *key*."""
        return self.release_many([key], owner)[0]

    def release_many(self, keys: Sequence[str], owner: str) -> list[bool]:
        """:meth:`release` for each key, in one transaction."""
        with self._transaction() as db:
            now = self._clock()
            sql = f"DELETE FROM {self.table} WHERE key = ? AND owner = ? AND answer IS NULL AND expires > ?"
            return [db.execute(sql, (key, owner, now)).rowcount == 1 for key in keys]

    def read(self, key: str) -> Claim | None:
        """The live entry of *key*, or ``None``."""
        now = self._clock()
        row = self._row(self._connection(), key, now)
        return None if row is None else _seen(row, now)


def _seen(row: tuple[str, str | None, bytes | None, float], now: float) -> Claim:
    fingerprint, _, answer, expires = row
    return Claim(
        False, fingerprint, None if answer is None else bytes(answer), 0.0 if answer is not None else expires - now
    )
