"""Real WebDAV clients against the demo's WebDAV server on 127.0.0.1: cadaver, webdav4, webdavclient3.

Each test skips, saying why, when its client is not installed (cadaver: Debian
``apt-get install cadaver``; ``pip install webdav4 webdavclient3``).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

import multistatus as ms
from multistatus.demo import dav_app


class _Quiet(WSGIRequestHandler):
    def log(self, *args: object) -> None:
        pass


@contextmanager
def dav_server(root: Path) -> Iterator[str]:
    """The WebDAV server over *root* on a free 127.0.0.1 port, stopped on exit."""
    server = make_server("127.0.0.1", 0, dav_app(root), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/dav/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


CADAVER = shutil.which("cadaver")
NS = "http://example.com/cadaver"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    (folder / "my folder").mkdir(parents=True)
    (folder / "my folder" / "a file.txt").write_bytes(b"hello\n")
    (folder / "my folder" / "caf\u00e9 \u00fcn\u00ef \u65e5\u672c.txt").write_bytes(b"x\n")
    return folder


@pytest.mark.skipif(CADAVER is None, reason="cadaver is not installed (Debian: apt-get install cadaver)")
def test_cadaver_lists_and_manages_dead_properties(root: Path, tmp_path: Path) -> None:
    script = "\n".join(
        [
            f"set namespace {NS}",
            'ls "my folder"',
            'propset "my folder/a file.txt" color blue',
            'propget "my folder/a file.txt" color',
            'propnames "my folder/a file.txt"',
            'propdel "my folder/a file.txt" color',
            'propget "my folder/a file.txt" color',
            "quit",
            "",
        ]
    )
    assert CADAVER is not None
    with dav_server(root) as url:
        out = subprocess.run(
            [CADAVER, url],
            check=False,
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            env={"HOME": str(tmp_path), "LANG": "C.UTF-8"},
        )
    text = out.stdout
    assert "Listing collection `/dav/my folder/': succeeded." in text, text
    assert "a file.txt" in text, text
    assert "caf\u00e9 \u00fcn\u00ef \u65e5\u672c.txt" in text, text
    assert "Setting property on `my folder/a file.txt': succeeded." in text, text
    assert "Value of color is: blue" in text, text
    assert f"{NS} color" in text, text
    assert "Deleting property on `my folder/a file.txt': succeeded." in text, text
    assert "Could not fetch property: 404 Not Found" in text, text
    assert "failed" not in text.lower(), text


def test_json_on_request_from_a_plain_http_client(root: Path) -> None:
    with dav_server(root) as url:
        req = urllib.request.Request(url, method="PROPFIND", headers={"Depth": "1", "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            ctype, body = resp.headers["Content-Type"], resp.read()
    assert ctype == "application/json"
    assert [r.href for r in ms.from_json(body)] == ["/dav/", "/dav/my%20folder/"]


def test_webdav4(root: Path, tmp_path: Path) -> None:
    client_mod = pytest.importorskip("webdav4.client", reason="webdav4 is not installed (pip install webdav4)")
    with dav_server(root) as url:
        client = client_mod.Client(url)
        names = sorted(Path(e["name"]).name for e in client.ls("my folder", detail=True))
        assert names == sorted(["a file.txt", "caf\u00e9 \u00fcn\u00ef \u65e5\u672c.txt"])
        assert client.isdir("my folder")
        assert not client.isdir("my folder/a file.txt")
        info = client.info("my folder/a file.txt")
        assert info["content_length"] == 6
        source = tmp_path / "up.txt"
        source.write_bytes(b"uploaded \xe2\x9c\x93")
        client.upload_file(source, "my folder/up load.txt")
        target = tmp_path / "down.txt"
        client.download_file("my folder/up load.txt", target)
        assert target.read_bytes() == source.read_bytes()
        assert client.exists("my folder/up load.txt")


def test_webdavclient3(root: Path) -> None:
    wc = pytest.importorskip("webdav3.client", reason="webdavclient3 is not installed (pip install webdavclient3)")
    with dav_server(root) as url:
        client = wc.Client({"webdav_hostname": url})
        listed = client.list("my folder/")
        assert "a file.txt" in listed, listed
        assert client.info("my folder/a file.txt")["size"] == "6"
        assert client.is_dir("my folder/")
        option = {"namespace": NS, "name": "color", "value": "green"}
        client.set_property("my folder/a file.txt", option)
        assert client.get_property("my folder/a file.txt", {"namespace": NS, "name": "color"}) == "green"
