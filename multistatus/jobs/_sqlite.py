"""A job store in an SQLite database: safe across the processes of one machine.

Two tables: one row per job, one row per finished item.  Each operation is one
``BEGIN IMMEDIATE`` transaction, which compares the owner and its lease before
it writes.  Connections as in :class:`~multistatus.idempotency.SQLiteStore`
(WAL mode, one per thread and process).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Sequence

from .._jobs import DEFAULT_JOB_RETENTION, JobRecord, Progress
from .._limits import retention_seconds
from .._model._job import TERMINAL_STATES, JobState
from ..idempotency._database import SQLiteDatabase

__all__ = ["SQLiteJobStore"]

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {t} (id TEXT PRIMARY KEY, state TEXT NOT NULL, total INTEGER NOT NULL,"
    " done INTEGER NOT NULL, payload BLOB, owner TEXT, lease_until REAL NOT NULL, cancel INTEGER NOT NULL,"
    " ends REAL)",
    "CREATE TABLE IF NOT EXISTS {t}_items (id TEXT NOT NULL, position INTEGER NOT NULL, answer BLOB NOT NULL,"
    " PRIMARY KEY (id, position)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS {t}_ends ON {t} (ends)",
)
_ROW = "SELECT state, total, done, payload, owner, lease_until, cancel, ends FROM {t} WHERE id = ?"


class SQLiteJobStore(SQLiteDatabase):
    """Job records in the tables *table* and *table*\\ ``_items`` of the SQLite database *path*.

    Tombstones (and the rows of jobs that ended longer ago than twice the retention) are
    removed, a hundred at a time, when a job is created.

    Args:
        path: the database file (it may be the idempotency store's).
        retention: seconds a job's results are kept once it ended.
        table: the jobs table's name.
        timeout: seconds to wait for another process's write lock.
        clock: the time in seconds.

    Example:
        >>> import tempfile, os
        >>> from multistatus.jobs import SQLiteJobStore
        >>> store = SQLiteJobStore(os.path.join(tempfile.mkdtemp(), "jobs.db"))
        >>> store.create("j1", b"[1]", 1)
        >>> store.claim("j1", "runner-1", 30).state, store.record("j1", "runner-1", 0, [b"a"], 30)
        ('not-started', 'ok')
        >>> store.finish("j1", "runner-1", "succeeded"), store.read("j1").answers
        (True, (b'a',))
        >>> store.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        retention: float = DEFAULT_JOB_RETENTION,
        table: str = "multistatus_jobs",
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.retention = retention_seconds(retention)  # (before the file is made)
        super().__init__(path, table=table, timeout=timeout, clock=clock, schema=_SCHEMA)

    def _get(
        self, db: sqlite3.Connection, job_id: str
    ) -> tuple[str, int, int, bytes, str | None, float, int, float | None] | None:
        row: tuple[str, int, int, bytes, str | None, float, int, float | None] | None = db.execute(
            _ROW.format(t=self.table), (job_id,)
        ).fetchone()
        return row

    def _view(self, db: sqlite3.Connection, job_id: str, now: float, answers: bool) -> JobRecord | None:
        row = self._get(db, job_id)
        if row is None:
            return None
        state, total, done, payload, owner, lease_until, cancel, ends = row
        if ends is not None and ends <= now:
            return JobRecord(job_id, state, total, (), done, b"", bool(cancel), 0.0, gone=True)  # type: ignore[arg-type]
        kept: tuple[bytes, ...] = ()
        if answers:
            rows = db.execute(
                f"SELECT answer FROM {self.table}_items WHERE id = ? ORDER BY position", (job_id,)
            ).fetchall()
            kept = tuple(bytes(a) for (a,) in rows)
        left = lease_until - now if owner is not None and lease_until > now else 0.0
        return JobRecord(job_id, state, total, kept, done, bytes(payload), bool(cancel), left)  # type: ignore[arg-type]

    def create(self, job_id: str, payload: bytes, total: int) -> None:
        """Keep a new job (see :class:`~multistatus.jobs.JobStore`)."""
        t = self.table
        with self._transaction() as db:
            now = self._clock()
            old = [r[0] for r in db.execute(f"SELECT id FROM {t} WHERE ends <= ? LIMIT 100", (now - self.retention,))]
            for gone in old:
                db.execute(f"DELETE FROM {t} WHERE id = ?", (gone,))
            ended = [
                r[0]
                for r in db.execute(f"SELECT id FROM {t} WHERE ends <= ? AND payload IS NOT NULL LIMIT 100", (now,))
            ]
            for stale in ended:  # (the answers go; a tombstone stays)
                db.execute(f"DELETE FROM {t}_items WHERE id = ?", (stale,))
                db.execute(f"UPDATE {t} SET payload = NULL WHERE id = ?", (stale,))
            db.execute(f"DELETE FROM {t}_items WHERE id = ?", (job_id,))
            db.execute(
                f"INSERT INTO {t} (id, state, total, done, payload, owner, lease_until, cancel, ends)"
                " VALUES (?, 'not-started', ?, 0, ?, NULL, 0, 0, NULL)",
                (job_id, int(total), bytes(payload)),
            )

    def read(self, job_id: str, *, answers: bool = True) -> JobRecord | None:
        """The job's record, a tombstone, or ``None``."""
        with self._transaction() as db:  # (one snapshot of the job and its items)
            return self._view(db, job_id, self._clock(), answers)

    def claim(self, job_id: str, owner: str, lease: float) -> JobRecord | None:
        """Take the job if it is not started or its lease lapsed."""
        with self._transaction() as db:
            now = self._clock()
            row = self._get(db, job_id)
            if row is None or row[0] in TERMINAL_STATES or (row[4] is not None and row[5] > now):
                return None
            record = self._view(db, job_id, now, True)
            db.execute(
                f"UPDATE {self.table} SET state = 'running', owner = ?, lease_until = ? WHERE id = ?",
                (owner, now + lease, job_id),
            )
            return record

    def record(self, job_id: str, owner: str, start: int, answers: Sequence[bytes], lease: float) -> Progress:
        """Append *answers* if *owner* holds the job and *start* is the next item."""
        t = self.table
        with self._transaction() as db:
            now = self._clock()
            row = self._get(db, job_id)
            if row is None or row[4] != owner or row[5] <= now or row[2] != start:
                return "lost"
            db.executemany(
                f"INSERT INTO {t}_items (id, position, answer) VALUES (?, ?, ?)",
                [(job_id, start + i, bytes(a)) for i, a in enumerate(answers)],
            )
            db.execute(
                f"UPDATE {t} SET done = ?, lease_until = ? WHERE id = ?", (start + len(answers), now + lease, job_id)
            )
            return "canceled" if row[6] else "ok"

    def finish(self, job_id: str, owner: str, state: JobState) -> bool:
        """End the job held by *owner*."""
        if state not in TERMINAL_STATES:
            return False
        with self._transaction() as db:
            now = self._clock()
            sql = f"UPDATE {self.table} SET state = ?, owner = NULL, ends = ? WHERE id = ? AND owner = ? AND lease_until > ?"
            return bool(db.execute(sql, (state, now + self.retention, job_id, owner, now)).rowcount == 1)

    def cancel(self, job_id: str) -> JobRecord | None:
        """Stop the job at once if nobody runs it, else ask its runner to stop."""
        t = self.table
        with self._transaction() as db:
            now = self._clock()
            row = self._get(db, job_id)
            if row is None:
                return None
            if row[0] not in TERMINAL_STATES:
                if row[4] is None or row[5] <= now:
                    sql = f"UPDATE {t} SET cancel = 1, state = 'canceled', owner = NULL, ends = ? WHERE id = ?"
                    db.execute(sql, (now + self.retention, job_id))
                else:
                    db.execute(f"UPDATE {t} SET cancel = 1 WHERE id = ?", (job_id,))
            return self._view(db, job_id, now, True)
