"""The HTML view in a real browser: headless Chromium renders the demo's answers and reports what a reader sees.

The page under test stays scriptless and is served with the same
``Content-Security-Policy`` the library sends.  A wrapper page of the test's
own (same origin) frames it at 1280 and 390 pixels and reads the browser's
DOM and layout: failed rows marked with a text badge, the failure anchors
pointing at rows that exist, no horizontal overflow.  Skipped, saying so, when
no Chromium is installed (Debian: ``apt-get install chromium``).

``MULTISTATUS_SCREENSHOTS=DIR`` saves the screenshots there too (the docs'
``docs/_static/html-view.png`` and ``html-view-phone.png`` are made that way).
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from multistatus import demo
from tests.conftest import QuietHandler

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and os.access(p, os.X_OK)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no headless browser: install Chromium (Debian package 'chromium') to run the browser test"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:x="http://example.com/ns">'
    "<D:prop><D:displayname/><D:resourcetype/><D:getcontentlength/><x:color/></D:prop></D:propfind>"
)
# Runs in the wrapper only; it reads the framed page through the DOM and layout the browser built.
WRAPPER = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="%(page)s" style="width:%(width)spx;height:900px;border:0"></iframe><pre id="out"></pre>
<script>
window.onload = function () {
  var d = document.getElementById("f").contentDocument, root = d.documentElement;
  var rows = Array.prototype.slice.call(d.querySelectorAll("tbody tr"));
  var rights = Array.prototype.map.call(d.body.querySelectorAll("*"), function (e) {
    return e.getBoundingClientRect().right; });
  document.getElementById("out").textContent = JSON.stringify({
    viewport: root.clientWidth, scrollWidth: root.scrollWidth, right: Math.max.apply(null, rights),
    rows: rows.map(function (r) { var b = r.querySelector(".badge");
      return [r.id, r.className, b.textContent, b.getBoundingClientRect().width > 0,
              getComputedStyle(r).backgroundColor]; }),
    anchors: Array.prototype.map.call(d.querySelectorAll("nav a"), function (a) {
      var target = d.querySelector(a.getAttribute("href"));
      return [a.getAttribute("href"), target ? target.className : null]; }),
    caption: d.querySelector("caption").textContent,
    rowHeaders: d.querySelectorAll('tbody th[scope="row"]').length,
    folders: d.querySelectorAll("tbody .tag").length,
    scripts: d.querySelectorAll("script").length,
    fontSize: parseFloat(getComputedStyle(d.body).fontSize),
    styled: getComputedStyle(d.querySelector("table")).borderCollapse
  });
};
</script></body></html>"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo's batch and PROPFIND answers as text/html, served with their own headers next to the wrappers."""
    root = tmp_path_factory.mktemp("pages")
    app = make_server("127.0.0.1", 0, demo.make_app(), threaded=True, request_handler=QuietHandler)
    threading.Thread(target=app.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{app.port}"
    policy = ""
    try:
        for name, method, path, data, extra in (
            ("batch", "GET", "/batch", None, {}),
            ("propfind", "PROPFIND", "/files/", PROPFIND.encode(), {"Depth": "1"}),
        ):
            req = urllib.request.Request(
                base + path, data=data, method=method, headers={"Accept": "text/html", **extra}
            )
            with urllib.request.urlopen(req, timeout=10) as resp:
                assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
                policy = resp.headers["Content-Security-Policy"]
                (root / f"{name}.html").write_bytes(resp.read())
    finally:
        app.shutdown()
        app.server_close()
    assert policy == "default-src 'none'; style-src 'unsafe-inline'"
    for name in ("batch", "propfind"):
        for width in (1280, 390):
            (root / f"wrap-{name}-{width}.html").write_text(WRAPPER % {"page": f"{name}.html", "width": width})

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            if not self.path.startswith("/wrap-"):  # the page under test: the library's own strict policy
                self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
            pass

    static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    threading.Thread(target=static.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{static.server_address[1]}", root
    finally:
        static.shutdown()
        static.server_close()


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def seen(url: str, tmp_path: Path) -> dict[str, Any]:
    dom = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("width", [1280, 390])
def test_the_batch_answer_as_a_reader_sees_it(pages: tuple[str, Path], tmp_path: Path, width: int) -> None:
    base, _ = pages
    view = seen(f"{base}/wrap-batch-{width}.html", tmp_path)
    assert view["styled"] == "collapse"  # the inline style applied under the page's own CSP
    assert view["scripts"] == 0
    assert width - 20 <= view["viewport"] <= width  # (less a vertical scrollbar)
    assert view["scrollWidth"] <= view["viewport"]  # no horizontal overflow
    assert view["right"] <= view["viewport"] + 0.5
    failed = [row for row in view["rows"] if row[1] == "failed"]
    assert [row[0] for row in failed] == ["item-4", "item-7", "item-10"]
    for _, _, badge, visible, background in failed:
        assert badge == "\u2717 failed"
        assert visible
        assert background != "rgba(0, 0, 0, 0)"  # ...and a row class the style colours
    assert [a[0] for a in view["anchors"]] == ["#item-4", "#item-7", "#item-10"]
    assert all(target == "failed" for _, target in view["anchors"])  # every anchor lands on its failed row
    assert view["rowHeaders"] == 10
    assert "10 responses" in view["caption"]
    assert view["fontSize"] >= 14  # readable on a phone: no shrunken desktop page


@pytest.mark.parametrize("width", [1280, 390])
def test_a_propfind_answer_as_a_reader_sees_it(pages: tuple[str, Path], tmp_path: Path, width: int) -> None:
    base, _ = pages
    view = seen(f"{base}/wrap-propfind-{width}.html", tmp_path)
    assert width - 20 <= view["viewport"] <= width
    assert view["scrollWidth"] <= view["viewport"]
    assert view["right"] <= view["viewport"] + 0.5
    assert view["folders"] == 2  # /files/ and /files/photos/
    assert all(row[1] == "succeeded" for row in view["rows"])  # a 404 propstat is not a failure
    assert view["anchors"] == []


@pytest.mark.parametrize(("name", "size"), [("html-view", "1280,900"), ("html-view-phone", "390,844")])
def test_screenshots(pages: tuple[str, Path], tmp_path: Path, name: str, size: str) -> None:
    base, _ = pages
    shot = tmp_path / f"{name}.png"
    chromium(tmp_path, f"--window-size={size}", "--hide-scrollbars", f"--screenshot={shot}", f"{base}/batch.html")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    target = os.environ.get("MULTISTATUS_SCREENSHOTS")
    if target:
        shutil.copy(shot, Path(target) / shot.name)
