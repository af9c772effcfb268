"""litmus, the WebDAV server test suite, against the demo's WebDAV server on 127.0.0.1.

Runs when the ``litmus`` binary is installed (Debian: ``apt-get install litmus``);
skips, saying so, otherwise.  Every test of every group (``basic``,
``copymove``, ``props``, ``locks``, ``http``: 104 tests) must pass, none skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from multistatus.demo import dav_app

LITMUS = shutil.which("litmus")


class _Quiet(WSGIRequestHandler):
    def log(self, *args: object) -> None:
        pass


@contextmanager
def dav_server(root: Path) -> Iterator[str]:
    """The WebDAV server over *root* on a free 127.0.0.1 port, stopped on exit; yields ``http://127.0.0.1:PORT/dav/``."""
    server = make_server("127.0.0.1", 0, dav_app(root), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/dav/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.skipif(LITMUS is None, reason="litmus is not installed (Debian: apt-get install litmus)")
@pytest.mark.parametrize("group", ["basic", "copymove", "props", "locks", "http"])
def test_litmus_group_passes_completely(group: str, tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    assert LITMUS is not None
    env = {**os.environ, "TESTS": group, "HOME": str(tmp_path)}
    with dav_server(root) as url:
        out = subprocess.run(
            [LITMUS, url], check=False, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120
        )
    summary = re.search(rf"summary for `{group}': of (\d+) tests run: (\d+) passed, (\d+) failed", out.stdout)
    assert summary is not None, out.stdout + out.stderr
    run, passed, failed = map(int, summary.groups())
    assert (passed, failed) == (run, 0), out.stdout
    assert "SKIPPED" not in out.stdout, out.stdout
