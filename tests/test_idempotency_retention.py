"""A store's retention is a number of seconds the ``Idempotency-Retention`` field can say: checked once, up front.

NaN, infinity or a negative retention used to be taken by the stores and fail
at the first keyed request (``int(nan)`` writing the field: a 500 for every
request under a key), or keep nothing without a word.  Every store constructor
(idempotency keys and jobs, in memory, SQLite and Redis) refuses it by one rule,
and ``Idempotency`` checks a store of the application's own the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from multistatus import jobs
from multistatus.idempotency import Idempotency, MemoryStore, SQLiteStore
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

BAD = pytest.mark.parametrize(
    "retention", [float("nan"), float("inf"), -1.0, "60", True], ids=["nan", "infinity", "negative", "text", "bool"]
)


def _redis_client() -> Any:
    redis = pytest.importorskip("redis")
    return redis.Redis(host="127.0.0.1", port=9)  # (never connected: the constructor refuses first)


STORES: dict[str, Any] = {
    "idempotency-memory": lambda tmp, r: MemoryStore(retention=r),
    "idempotency-sqlite": lambda tmp, r: SQLiteStore(tmp / "k.db", retention=r),
    "idempotency-redis": lambda tmp, r: _idempotency_redis()(_redis_client(), retention=r),
    "jobs-memory": lambda tmp, r: jobs.MemoryJobStore(retention=r),
    "jobs-sqlite": lambda tmp, r: jobs.SQLiteJobStore(tmp / "j.db", retention=r),
    "jobs-redis": lambda tmp, r: _jobs_redis()(_redis_client(), retention=r),
}


def _idempotency_redis() -> Any:
    from multistatus.idempotency import RedisStore

    return RedisStore


def _jobs_redis() -> Any:
    return jobs.RedisJobStore


@BAD
@pytest.mark.parametrize("kind", list(STORES))
def test_every_store_refuses_a_retention_that_is_no_number_of_seconds(
    tmp_path: Path, kind: str, retention: Any
) -> None:
    with pytest.raises(ValueError, match="the retention is a finite number of seconds >= 0"):
        STORES[kind](tmp_path, retention)
    assert list(tmp_path.iterdir()) == []  # refused before any file was made


@BAD
def test_a_store_of_the_applications_own_is_checked_when_the_endpoint_is_set_up(retention: Any) -> None:
    class Own(MemoryStore):
        pass

    store = Own()
    store.retention = retention  # (a store of its own may say anything)
    with pytest.raises(ValueError, match="the retention is a finite number of seconds >= 0"):
        Idempotency(store)


def test_a_short_retention_is_said_in_whole_seconds() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        get_results(environ).record_success("/items/1", status=201)
        return respond(environ)(environ, start_response)

    client = Client(MultiStatusMiddleware(app, idempotency=Idempotency(MemoryStore(retention=0.5))))
    answer = client.post("/items", json=[{"id": "1"}], headers={"Idempotency-Key": "k-1"})
    assert answer.status_code == 207
    assert answer.headers["Idempotency-Retention"] == "0"
