"""A real redis-server on a free loopback port, for the tests of the Redis stores (skipped with a reason when absent)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import free_port

REDIS_SERVER = shutil.which("redis-server")


def redis_server() -> Iterator[str]:
    """Start redis-server on a free loopback port; yield its URL; stop it by its PID."""
    if REDIS_SERVER is None:
        pytest.skip(
            "redis-server is not installed (Debian: apt-get install redis-server): the Redis job store is not tested"
        )
    redis = pytest.importorskip("redis", reason="the redis package is not installed (pip install multistatus[redis])")
    port = free_port()
    args = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        os.kill(proc.pid, 15)
        proc.wait(10)
