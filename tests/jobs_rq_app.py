"""The job application the RQ test's web side and its ``rq worker`` processes both import.

``MULTISTATUS_TEST_REDIS`` names the redis-server; the handler notes, in Redis,
which process ran from which item, and the answer of each item it ran.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import redis
from rq import Queue

import multistatus as ms
from multistatus.jobs import Jobs, RedisJobStore, rq_runner

QUEUE = "multistatus-test-jobs"
RUNS = "test:runs"  # "pid:start" of each run of the handler
DONE = "test:done"  # each item's href, each time the handler finished it


def handler(results: ms.Results, items: Sequence[Any], start: int) -> None:
    client = redis.Redis.from_url(os.environ["MULTISTATUS_TEST_REDIS"])
    client.rpush(RUNS, f"{os.getpid()}:{start}")
    for position in range(start, len(items)):
        time.sleep(items[position]["delay"])
        href = f"/items/{items[position]['id']}"
        client.rpush(DONE, href)
        results.succeeded(href, status=201, id=str(items[position]["id"]))


def jobs() -> Jobs:
    """The same Jobs in the web process and in each worker."""
    client = redis.Redis.from_url(os.environ["MULTISTATUS_TEST_REDIS"])
    queue = Queue(QUEUE, connection=client)
    runner = rq_runner(queue, "tests.jobs_rq_app:jobs")
    return Jobs(RedisJobStore(client), handler, runner=runner, lease=1.0, flush_items=5, flush_seconds=60)
