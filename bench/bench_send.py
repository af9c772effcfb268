"""Items per second: ``send_batch`` vs a hand-written ``requests`` loop, against the demo, in one run.

Not a test: run ``PYTHONPATH=. python bench/bench_send.py [--items N] [--rounds R]``.

The demo's batch endpoint (no quota, no faults, nothing saved, no keys kept)
runs in a separate process on a free 127.0.0.1 port, served by werkzeug's
threaded server, so that the client's work is what differs between the runs:

``send_batch``
    ``ms.send_batch(items, url, session)`` with a ``requests.Session``: chunks of
    100, an ``Idempotency-Key`` per chunk and a key per item, the answer parsed
    into a ``MultiStatus`` (on a worker thread, while the next chunk is on the
    wire), each item matched to its response, the outcome built.
``requests loop``
    what a developer writes without the library: the same chunks of 100, each
    posted with ``json.dumps`` on the same session, ``response.json()`` read and
    the 201s counted.  No keys, no matching, no retries.

Rounds are interleaved (each round runs both, in turn first); the figure is the
median of client items/s over loop items/s, against the goal of issue 26 (>= 0.8x).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import requests

import multistatus as ms

CHUNK = 100
GOAL = 0.8
SERVER = """
import sys
from werkzeug.serving import make_server, WSGIRequestHandler
from multistatus.demo import make_app
class Quiet(WSGIRequestHandler):
    def log(self, *args): pass
server = make_server("127.0.0.1", int(sys.argv[1]), make_app(quota=None), threaded=True, request_handler=Quiet)
print("ready", flush=True)
server.serve_forever()
"""


def items(count: int) -> Iterator[dict[str, str]]:
    return ({"id": str(n), "name": f"item {n}"} for n in range(count))


def with_client(url: str, count: int) -> float:
    with requests.Session() as session:
        start = time.perf_counter()
        outcome = ms.send_batch(items(count), url, session, policy=ms.BatchPolicy(chunk_size=CHUNK))
        elapsed = time.perf_counter() - start
    assert outcome.ok, outcome.summary
    assert outcome.summary.succeeded == count, outcome.summary
    return count / elapsed


def with_loop(url: str, count: int) -> float:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    created = 0
    with requests.Session() as session:
        start = time.perf_counter()
        chunk: list[dict[str, str]] = []
        for item in items(count):
            chunk.append(item)
            if len(chunk) == CHUNK:
                answer = session.post(url, data=json.dumps(chunk), headers=headers, timeout=30).json()
                created += sum(1 for r in answer["responses"] if r["status"] == 201)
                chunk = []
        if chunk:
            answer = session.post(url, data=json.dumps(chunk), headers=headers, timeout=30).json()
            created += sum(1 for r in answer["responses"] if r["status"] == 201)
        elapsed = time.perf_counter() - start
    assert created == count, created
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "ready"
        url = f"http://127.0.0.1:{port}/batch"
        urllib.request.urlopen(url, timeout=10).read()  # (warm: imports, first request)
        with_client(url, 1000)
        with_loop(url, 1000)
        ratios, client_rates, loop_rates = [], [], []
        for n in range(args.rounds):  # (the order alternates: neither always runs on a warmer machine)
            if n % 2:
                loop = with_loop(url, args.items)
                client = with_client(url, args.items)
            else:
                client = with_client(url, args.items)
                loop = with_loop(url, args.items)
            client_rates.append(client)
            loop_rates.append(loop)
            ratios.append(client / loop)
            print(
                f"round {n + 1}: send_batch {client:,.0f} items/s, requests loop {loop:,.0f} items/s, {client / loop:.2f}x"
            )
        ratio = statistics.median(ratios)
        print(
            f"\n{args.items:,} items in chunks of {CHUNK}, median of {args.rounds} rounds: "
            f"send_batch {statistics.median(client_rates):,.0f} items/s, "
            f"requests loop {statistics.median(loop_rates):,.0f} items/s: "
            f"{ratio:.2f}x (goal >= {GOAL}x: {'met' if ratio >= GOAL else 'NOT met'})"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
