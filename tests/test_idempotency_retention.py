"""A store's retention is a number of seconds the ``Idempotency-Retention`` field can say: checked once, up front.

NaN, infinity or a negative retention used to be taken by the stores and fail
at the first keyed request (``int(nan)`` writing the field: a 500 for every
request under a key), or keep nothing without a word.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from multistatus.idempotency import Idempotency, MemoryStore, SQLiteStore
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond


@pytest.mark.parametrize("retention", [float("nan"), float("inf"), -1.0], ids=["nan", "infinity", "negative"])
@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_retention_that_is_no_number_of_seconds_is_refused(tmp_path: Path, kind: str, retention: float) -> None:
    store: Any = (
        MemoryStore(retention=retention) if kind == "memory" else SQLiteStore(tmp_path / "k.db", retention=retention)
    )
    with pytest.raises(ValueError, match="retention"):
        Idempotency(store)


def test_a_short_retention_is_said_in_whole_seconds() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        get_results(environ).record_success("/items/1", status=201)
        return respond(environ)(environ, start_response)

    client = Client(MultiStatusMiddleware(app, idempotency=Idempotency(MemoryStore(retention=0.5))))
    answer = client.post("/items", json=[{"id": "1"}], headers={"Idempotency-Key": "k-1"})
    assert answer.status_code == 207
    assert answer.headers["Idempotency-Retention"] == "0"
