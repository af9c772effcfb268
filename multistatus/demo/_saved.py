"""What the demo's batch endpoint saves, and where it keeps its idempotency keys.

:class:`SavedItems` is an SQLite table of the items ``POST /batch`` accepted,
with how many times each was saved, listed at ``GET /batch/items``: anyone can
count executions from outside.  Two demo processes given the same data folder
share it.  :func:`open_store` reads ``--store``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..idempotency import MemoryStore, SQLiteStore

if TYPE_CHECKING:
    from ..idempotency import Store

__all__ = ["ITEMS_FILE", "KEYS_FILE", "SavedItems", "open_store"]

#: The file of the saved items in the data folder.
ITEMS_FILE = "items.sqlite"
#: The file of the idempotency keys in the data folder (the default store).
KEYS_FILE = "keys.sqlite"


class SavedItems:
    """The items the demo saved, in the SQLite file *path* (one row per id, with its count of saves).

    Each thread has its own connection; a save is one statement (an upsert), so
    processes sharing the file count every save.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        with self._connection() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                " saves INTEGER NOT NULL, item TEXT NOT NULL)"
            )

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def save(self, item_id: str, name: str, item: object) -> None:
        """Save the item *item_id* (again: its count of saves goes up by one)."""
        text = json.dumps(item, separators=(",", ":"), ensure_ascii=False)
        self._connection().execute(
            "INSERT INTO items (id, name, saves, item) VALUES (?, ?, 1, ?) ON CONFLICT (id) DO UPDATE"
            " SET saves = saves + 1, name = excluded.name, item = excluded.item",
            (item_id, name, text),
        )

    def listing(self) -> list[dict[str, Any]]:
        """Every saved item, in the order first saved: ``{"id", "saves", "name"}``."""
        rows = self._connection().execute("SELECT id, saves, name FROM items ORDER BY rowid").fetchall()
        return [{"id": item_id, "saves": saves, "name": name} for item_id, saves, name in rows]

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def open_store(url: str | None, data: str | Path | None) -> Store:
    """The idempotency store *url* names: ``sqlite:PATH``, ``redis://HOST:PORT/DB``, ``memory:``.

    ``None`` is the SQLite file :data:`KEYS_FILE` in the data folder *data*.

    Raises:
        ValueError: *url* is none of those.
    """
    if url is None:
        if data is None:
            raise ValueError("the default store is a file in the data folder: give one, or a store")
        return SQLiteStore(Path(data) / KEYS_FILE)
    if url == "memory:":
        return MemoryStore()
    if url.startswith("sqlite:") and len(url) > len("sqlite:"):
        return SQLiteStore(url[len("sqlite:") :])
    if url.startswith(("redis://", "rediss://", "unix://")):
        from ..idempotency import RedisStore

        return RedisStore(url)
    raise ValueError(f"--store {url!r}: use sqlite:PATH, redis://HOST:PORT/DB or memory:")
