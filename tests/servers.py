"""Programs started as servers on 127.0.0.1 for the tests: a free port, start until it listens, stop by PID.

Used by the ``example_servers`` fixture of tests/conftest.py and by the test
modules that start a server of their own.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

__all__ = ["LIFETIME", "ROOT", "RUNNER", "SESSION_LIFETIME", "free_port", "start", "stop"]

ROOT = Path(__file__).resolve().parent.parent
#: Runs a program of examples/ as ``__main__``, ended by itself after LIFETIME seconds.
RUNNER = Path(__file__).resolve().parent / "example_server.py"
#: Seconds: a server left behind stops by itself.
LIFETIME = 300
#: Seconds, for a server kept for the whole test session.
SESSION_LIFETIME = 1800


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    """Run *command* from the repository's root until it listens on *port* (30 seconds at most)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()  # pragma: no cover - a server that never listens
    raise RuntimeError(f"{command} did not start")  # pragma: no cover


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server :func:`start` started, by its process."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        process.kill()
        process.wait(10)
    if process.stderr:
        process.stderr.close()
