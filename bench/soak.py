"""Soak the demo server: ``python bench/soak.py [--minutes 15] [--threads 8]``.

Starts ``multistatus demo`` with ``--dav`` over a temporary folder under a real
WSGI server (waitress when importable, else werkzeug's threaded server) in a
subprocess on a free 127.0.0.1 port, and drives it from several client threads
for a bounded time (and a bounded number of requests) with a mix of: GET,
PROPFIND (Depth 0, 1, infinity), PROPPATCH (set and remove, up to 60
properties), COPY and MOVE (also onto names other threads use at the same
time), chunked PUT (one over the 64 MiB limit now and then), DELETE, MKCOL,
malformed bodies, connections dropped mid-request, and ``POST /batch``.

Every ten seconds it samples the server's resident memory (``VmRSS`` of
``/proc/PID/status``) and open file descriptors.  It counts the statuses, the
5xx answers, the bodies that are not well-formed (XML that does not parse, a
207 ``from_xml``/``from_json`` refuses, JSON that does not parse), and answers
crossed between requests: each thread works in its own folder and writes a
unique marker into every file, property value and batch item id, and every
answer must carry the markers of its own request (a GET the content last PUT,
a PROPFIND the href and property values asked for, a batch the ids sent) and
no marker of another thread.  At the end it stops the server by its PID and
prints a summary and the RSS curve (one value per minute).

Not a test (nothing here runs in the suite): ``--minutes 0.2`` is a smoke run.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import multistatus as ms  # noqa: E402

#: The demo's PUT limit (``multistatus.demo._dav.MAX_PUT_BYTES``): an over-limit PUT sends one chunk more.
PUT_LIMIT = 64 * 1024 * 1024
#: The demo's batch body limit (``multistatus.demo._batch.MAX_BODY``).
BATCH_LIMIT = 64 * 1024
MARKER = re.compile(r"mk(\d+)x(\d+)z")
NS = "urn:soak"
SAMPLE_SECONDS = 10.0
#: The file names each thread uses in its folder, percent-encoded as the server writes hrefs.
NAMES = (*(f"f{i}.txt" for i in range(10)), "caf%C3%A9%201.txt", "a%25b%3F.txt")


# -- the server ------------------------------------------------------------------------
def serve(dav: str, kind: str) -> None:
    """Run the demo over *dav* on a free port (the child process); prints ``PORT n`` once listening."""
    from multistatus.demo import make_app

    app = make_app(dav=dav)
    if kind == "waitress":
        import logging

        from waitress.server import create_server

        logging.getLogger("waitress").setLevel(logging.ERROR)  # (dropped connections are expected here)
        server = create_server(app, host="127.0.0.1", port=0, threads=8, channel_timeout=30)
        print(f"PORT {server.effective_port}", flush=True)
        server.run()
    else:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log(self, *args: object) -> None:
                pass

        wserver = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
        print(f"PORT {wserver.port}", flush=True)
        wserver.serve_forever()


def start_server(dav: Path, kind: str, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", str(dav), "--server", kind]
    err = open(log, "wb")  # noqa: SIM115 - the child's stderr, kept for the report
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=str(ROOT))
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    if not line.startswith("PORT "):
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}; see {log}")
    return proc, int(line.split()[1])


def stop_server(proc: subprocess.Popen[bytes]) -> int:
    """Stop the server by its PID: SIGTERM, then SIGKILL after five seconds."""
    os.kill(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(5)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        return proc.wait(5)


def sample(pid: int) -> tuple[int, int]:
    """The server's resident memory (KiB, ``VmRSS``) and open file descriptors."""
    rss = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


# -- the tallies -----------------------------------------------------------------------
@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    operations: collections.Counter[str] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    crossed: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    transport: collections.Counter[str] = field(default_factory=collections.Counter)
    dropped: int = 0

    def note(self, what: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            self.operations[what] += 1

    def add(self, bucket: list[str], message: str) -> None:
        with self.lock:
            bucket.append(message[:500])


class Crossed(Exception):
    """An answer that does not belong to its request."""


# -- one client thread -----------------------------------------------------------------
def _propfind_body(names: list[str] | None = None) -> bytes:
    if names is None:
        return b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'
    props = "".join(f'<s:{n} xmlns:s="{NS}"/>' for n in names)
    return f'<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/>{props}</D:prop></D:propfind>'.encode()


def _proppatch_body(sets: dict[str, str], removes: list[str]) -> bytes:
    parts = [f'<D:propertyupdate xmlns:D="DAV:" xmlns:s="{NS}">']
    if sets:
        parts.append("<D:set><D:prop>" + "".join(f"<s:{n}>{v}</s:{n}>" for n, v in sets.items()) + "</D:prop></D:set>")
    if removes:
        parts.append("<D:remove><D:prop>" + "".join(f"<s:{n}/>" for n in removes) + "</D:prop></D:remove>")
    return ("".join(parts) + "</D:propertyupdate>").encode()


MALFORMED = (
    ("PROPFIND", b"<D:propfind xmlns:D='DAV:'><D:prop>"),
    ("PROPFIND", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><propfind xmlns="DAV:"><prop>&a;</prop></propfind>'),
    ("PROPFIND", b"<propfind xmlns='DAV:'><nothing/></propfind>"),
    ("PROPPATCH", b"\xff\xfe<\x00"),
    ("PROPPATCH", b"<propertyupdate xmlns='DAV:'/>"),
    ("PROPPATCH", b""),
    ("MKCOL", b"<x/>"),
)


class Client:
    """One thread's loop: its own folder ``/dav/t<N>/``, its own connection, its own random mix."""

    def __init__(self, number: int, port: int, tally: Tally, deadline: float, most: int) -> None:
        self.number = number
        self.port = port
        self.tally = tally
        self.deadline = deadline
        self.most = most
        self.rng = random.Random(number)
        self.sent = 0
        self.folder = f"/dav/t{number}/"
        self.files: dict[str, str] = {}  # name -> the marker its content carries
        self.conn: http.client.HTTPConnection | None = None

    def marker(self) -> str:
        self.sent += 1
        return f"mk{self.number}x{self.sent}z"

    # -- transport ---------------------------------------------------------------------
    def request(
        self, what: str, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, bytes] | None:
        headers = dict(headers or {})
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                chunked = headers.get("Transfer-Encoding") == "chunked"
                self.conn.request(method, path, body=body, headers=headers, encode_chunked=chunked)  # type: ignore[arg-type]
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = None
                if attempt or not isinstance(exc, (http.client.RemoteDisconnected, BrokenPipeError)):
                    with self.tally.lock:
                        self.tally.transport[f"{what}: {type(exc).__name__}"] += 1
                    return None
                continue  # (a kept-alive connection the server closed meanwhile: once more, fresh)
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            ctype = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            self.tally.note(what, response.status)
            self.check(what, method, path, response.status, ctype, data)
            return response.status, ctype, data
        return None

    def check(self, what: str, method: str, path: str, status: int, ctype: str, data: bytes) -> None:
        where = f"{what}: {method} {path} -> {status} {ctype}"
        if status >= 500:
            self.tally.add(self.tally.server_errors, f"{where}: {data[:300]!r}")
        if method == "GET" and status == 200 and path.startswith(self.folder):
            return  # (a file's content: checked by the caller)
        if data and "xml" in ctype:
            try:
                ET.fromstring(data)
                if status == 207:
                    ms.from_xml(data)
            except (ET.ParseError, ms.MultiStatusError) as exc:
                self.tally.add(self.tally.malformed, f"{where}: {exc}: {data[:300]!r}")
        elif data and "json" in ctype:
            try:
                json.loads(data)
                if status == 207:
                    ms.from_json(data)
            except (ValueError, ms.MultiStatusError) as exc:
                self.tally.add(self.tally.malformed, f"{where}: {exc}: {data[:300]!r}")
        for match in MARKER.finditer(data.decode("utf-8", "replace")):
            if int(match.group(1)) != self.number:
                self.tally.add(self.tally.crossed, f"{where}: carries {match.group()} of another thread")
                break

    def crossed(self, message: str) -> None:
        self.tally.add(self.tally.crossed, f"thread {self.number}: {message}")

    # -- operations ----------------------------------------------------------------------
    def put(self) -> None:
        name = self.rng.choice(NAMES)
        mark = self.marker()
        content = f"{mark}\n".encode() * self.rng.choice((1, 10, 1000))
        if self.rng.random() < 0.5:
            pieces = [content[i : i + 4096] for i in range(0, len(content), 4096)]  # (a list: sent again on a retry)
            got = self.request("put-chunked", "PUT", self.folder + name, pieces, {"Transfer-Encoding": "chunked"})
        else:
            got = self.request("put", "PUT", self.folder + name, content)
        if got and got[0] in (201, 204):
            self.files[name] = mark

    def put_over_limit(self) -> None:
        block = b"x" * (1024 * 1024)
        pieces = [block] * (PUT_LIMIT // len(block) + 1)
        name = self.folder + "big.bin"
        got = self.request("put-over-limit", "PUT", name, pieces, {"Transfer-Encoding": "chunked"})
        if got and got[0] != 413:
            self.tally.add(self.tally.unexpected, f"an over-limit PUT got {got[0]}")

    def get(self) -> None:
        if not self.files:
            return self.put()
        name = self.rng.choice(sorted(self.files))
        got = self.request("get", "GET", self.folder + name)
        if got and got[0] == 200:
            first = got[2].split(b"\n", 1)[0].decode("utf-8", "replace")
            if first != self.files[name]:
                self.crossed(f"GET {name} gave {first!r}, last PUT {self.files[name]!r}")
        elif got:
            self.tally.add(self.tally.unexpected, f"thread {self.number}: GET {name} it wrote: {got[0]}")
        return None

    def propfind(self) -> None:
        depth = self.rng.choice(("0", "1", "infinity"))
        target = self.folder if depth != "0" or not self.files else self.folder + self.rng.choice(sorted(self.files))
        body = _propfind_body()
        if depth == "infinity" and self.rng.random() < 0.3:
            target = "/dav/"  # (everyone's folders, bounded by max_resources, else 403; no dead values)
            body = _propfind_body([])
        got = self.request(f"propfind-{depth}", "PROPFIND", target, body, {"Depth": depth})
        if not got or got[0] != 207 or "xml" not in got[1]:
            return
        hrefs = [r.href for r in ms.from_xml(got[2])]
        if not hrefs or hrefs[0] != target:
            self.crossed(f"PROPFIND {target} answered first {hrefs[:1]}")
        if target != "/dav/" and any(not h.startswith(self.folder) for h in hrefs):
            self.crossed(f"PROPFIND {target} lists {[h for h in hrefs if not h.startswith(self.folder)][:3]}")

    def proppatch(self) -> None:
        if not self.files:
            return self.put()
        name = self.rng.choice(sorted(self.files))
        count = self.rng.choice((1, 3, 60))
        mark = self.marker()
        sets = {f"p{i}": f"{mark}-{i}" for i in range(count)}
        removes = [f"gone{i}" for i in range(self.rng.randrange(3))]
        path = self.folder + name
        got = self.request("proppatch", "PROPPATCH", path, _proppatch_body(sets, removes), {"Content-Type": "text/xml"})
        if not got or got[0] != 207:
            return None
        got = self.request("propfind-props", "PROPFIND", path, _propfind_body(list(sets)), {"Depth": "0"})
        if not got or got[0] != 207 or "xml" not in got[1]:
            return None
        doc = ms.from_xml(got[2])
        values = {p.name: p.value for r in doc for ps in r.propstats if ps.status.code == 200 for p in ps.props}
        want = {f"{{{NS}}}{n}": v for n, v in sets.items()}
        wrong = [n for n, v in want.items() if values.get(n) != v]
        if doc.responses[0].href != path or wrong:
            self.crossed(f"PROPFIND after PROPPATCH of {path}: href {doc.responses[0].href}, wrong {wrong[:3]}")
        return None

    def copy_move(self) -> None:
        if not self.files:
            return self.put()
        method = self.rng.choice(("COPY", "MOVE"))
        name = self.rng.choice(sorted(self.files))
        overwrite = self.rng.choice(("T", "F"))
        if self.rng.random() < 0.5:  # within the thread's folder: the expectations follow
            dest_name = self.rng.choice(NAMES)
            headers = {"Destination": self.folder + dest_name, "Overwrite": overwrite}
            got = self.request(method.lower(), method, self.folder + name, None, headers)
            if got and got[0] in (201, 204) and dest_name != name:
                self.files[dest_name] = self.files[name]
                if method == "MOVE":
                    del self.files[name]
            return None
        # onto names every thread uses at once: conflicts, 412, 404 when another moved it first
        dest = f"/dav/shared/s{self.rng.randrange(4)}.txt"
        source = self.rng.choice((self.folder + name, f"/dav/shared/s{self.rng.randrange(4)}.txt"))
        if source == dest:
            return None
        got = self.request(
            f"{method.lower()}-shared", method, source, None, {"Destination": dest, "Overwrite": overwrite}
        )
        if got and got[0] in (201, 204) and method == "MOVE" and source.startswith(self.folder):
            del self.files[name]
        return None

    def delete(self) -> None:
        if self.rng.random() < 0.7 and self.files:
            name = self.rng.choice(sorted(self.files))
            got = self.request("delete", "DELETE", self.folder + name)
            if got and got[0] == 204:
                del self.files[name]
            return
        sub = f"{self.folder}d{self.rng.randrange(3)}/"
        self.request("mkcol", "MKCOL", sub)
        self.request("put-in-mkcol", "PUT", sub + "x.txt", self.marker().encode())
        self.request("delete-tree", "DELETE", sub)

    def malformed(self) -> None:
        method, body = self.rng.choice(MALFORMED)
        target = self.folder if method != "MKCOL" else f"{self.folder}m{self.rng.randrange(3)}"
        got = self.request(f"malformed-{method.lower()}", method, target, body, {"Content-Type": "application/xml"})
        if got and got[0] not in (400, 413, 415, 422):
            self.tally.add(self.tally.unexpected, f"a malformed {method} got {got[0]}: {got[2][:200]!r}")

    def batch(self) -> None:
        mark = self.marker()
        items = [{"id": f"{mark}-{i}", "name": f"n{i}"} for i in range(self.rng.choice((1, 5, 12)))]
        if self.rng.random() < 0.1:
            items.append({"id": f"{mark}-bad", "name": ""})
        accept = self.rng.choice(("application/json", "application/xml", "text/html", "*/*"))
        body = json.dumps(items).encode()
        if self.rng.random() < 0.05:
            body = b"[" + b"0," * (BATCH_LIMIT // 2) + b"0]"  # over the batch limit: 413
        elif self.rng.random() < 0.05:
            body = b'[{"id": "x", "name": '
        got = self.request("batch", "POST", "/batch", body, {"Content-Type": "application/json", "Accept": accept})
        if not got or got[0] != 207 or len(body) > BATCH_LIMIT or not body.endswith(b"]"):
            return
        if "json" in got[1]:
            ids = [r.id for r in ms.from_json(got[2])]
        elif "xml" in got[1]:
            ids = [r.id for r in ms.from_xml(got[2])]
        else:
            ids = sorted(set(re.findall(rf"{mark}-(?:\d+|bad)", got[2].decode("utf-8", "replace"))))
            items = sorted(items, key=lambda i: i["id"])
        if ids != [i["id"] for i in items]:
            self.crossed(f"POST /batch with {[i['id'] for i in items][:3]}... answered {ids[:3]}...")

    def drop(self) -> None:
        """A connection closed mid-request: a partial head, a partial body, or before reading the answer."""
        how = self.rng.randrange(3)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
                if how == 0:
                    sock.sendall(b"PROPFIND " + self.folder.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nDep")
                elif how == 1:
                    body = _proppatch_body({"p0": self.marker()}, [])
                    head = f"PROPPATCH {self.folder} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n"
                    sock.sendall(head.encode() + body[: len(body) // 2])
                else:
                    sock.sendall(f"GET {self.folder} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # (closed with a RST)
        except OSError as exc:
            with self.tally.lock:
                self.tally.transport[f"drop: {type(exc).__name__}"] += 1
            return
        with self.tally.lock:
            self.tally.dropped += 1

    # -- the loop ----------------------------------------------------------------------
    MIX = (
        ("get", 14),
        ("put", 12),
        ("propfind", 16),
        ("proppatch", 10),
        ("copy_move", 12),
        ("delete", 6),
        ("malformed", 6),
        ("batch", 12),
        ("drop", 3),
    )

    def run(self) -> None:
        self.request("mkcol", "MKCOL", self.folder.rstrip("/"))
        names = [n for n, _ in self.MIX]
        weights = [w for _, w in self.MIX]
        last_big = time.monotonic() - 90  # (the first at 30 s, then every two minutes)
        while time.monotonic() < self.deadline and self.tally.requests < self.most:
            # one over-limit PUT per thread about every two minutes (64 MiB each)
            if self.number % 4 == 0 and time.monotonic() - last_big > 120:
                last_big = time.monotonic() - 90  # (the first at 30 s, then every two minutes)
                self.put_over_limit()
                continue
            getattr(self, self.rng.choices(names, weights)[0])()
        if self.conn is not None:
            self.conn.close()


# -- the run -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=15.0, help="how long to drive the server (default 15)")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--max-requests", type=int, default=5_000_000, help="stop after this many requests")
    parser.add_argument("--server", choices=("auto", "waitress", "werkzeug"), default="auto")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--serve", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    kind = args.server
    if kind == "auto":
        try:
            import waitress  # noqa: F401
        except ImportError:
            kind = "werkzeug"
        else:
            kind = "waitress"
    if args.serve:
        serve(args.serve, kind)
        return 0

    base = Path(tempfile.mkdtemp(prefix="multistatus-soak-"))
    dav = base / "dav"
    dav.mkdir()
    (dav / "shared").mkdir()
    proc, port = start_server(dav, kind, base / "server.log")
    print(f"soak: {kind} on 127.0.0.1:{port} (pid {proc.pid}) over {dav}, {args.threads} threads, {args.minutes} min")
    tally = Tally()
    start = time.monotonic()
    deadline = start + args.minutes * 60
    samples: list[tuple[float, int, int]] = [(0.0, *sample(proc.pid))]
    clients = [Client(n, port, tally, deadline, args.max_requests) for n in range(args.threads)]
    threads = [threading.Thread(target=c.run, name=f"soak-{c.number}", daemon=True) for c in clients]
    for t in threads:
        t.start()
    next_sample = start + SAMPLE_SECONDS
    while any(t.is_alive() for t in threads):
        time.sleep(max(0.0, min(1.0, next_sample - time.monotonic())))
        if time.monotonic() >= next_sample and proc.poll() is None:
            samples.append((time.monotonic() - start, *sample(proc.pid)))
            next_sample += SAMPLE_SECONDS
            if len(samples) % 6 == 1:
                print(
                    f"  {samples[-1][0] / 60:5.1f} min  {tally.requests:8d} requests  RSS {samples[-1][1] / 1024:6.1f} MiB"
                )
    elapsed = time.monotonic() - start
    alive = proc.poll() is None
    if alive:
        samples.append((elapsed, *sample(proc.pid)))
    code = stop_server(proc) if alive else proc.returncode
    server_log = (base / "server.log").read_text(errors="replace")
    left_over = sorted(p.name for p in base.iterdir() if p.name not in ("dav", "server.log", ".dav.davprops.sqlite"))
    shutil.rmtree(base, ignore_errors=True)

    per_minute = []
    for minute in range(int(elapsed // 60) + 1):
        near = min(samples, key=lambda s: abs(s[0] - minute * 60))
        per_minute.append(round(near[1] / 1024, 1))
    report = {
        "server": kind,
        "threads": args.threads,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "requests_per_second": round(tally.requests / elapsed, 1) if elapsed else 0,
        "dropped_connections": tally.dropped,
        "statuses": dict(sorted(tally.statuses.items())),
        "operations": dict(sorted(tally.operations.items())),
        "5xx": len(tally.server_errors),
        "malformed": len(tally.malformed),
        "crossed": len(tally.crossed),
        "unexpected_status": len(tally.unexpected),
        "transport_errors": dict(tally.transport),
        "server_alive_at_end": alive,
        "server_exit": code,
        "server_stderr_lines": len(server_log.splitlines()),
        "left_beside_the_folder": left_over,
        "rss_mib_per_minute": per_minute,
        "fds_first_last": [samples[0][2], samples[-1][2]],
        "rss_samples_kib": [s[1] for s in samples],
    }
    print(
        f"\nrequests {tally.requests} in {elapsed:.0f} s ({report['requests_per_second']}/s), dropped {tally.dropped}"
    )
    print(f"statuses {report['statuses']}")
    print(f"operations {report['operations']}")
    print(f"5xx {report['5xx']}  malformed {report['malformed']}  crossed {report['crossed']}", end="")
    print(f"  unexpected statuses {report['unexpected_status']}")
    print(f"transport errors {report['transport_errors']}")
    print(
        f"server alive to the end: {alive}; stderr lines: {report['server_stderr_lines']}; beside the folder: {left_over}"
    )
    print(f"open fds first/last: {report['fds_first_last']}")
    print("RSS (MiB) per minute: " + " ".join(f"{v}" for v in per_minute))
    buckets = (tally.server_errors, tally.malformed, tally.crossed, tally.unexpected)
    for label, bucket in zip(("5xx", "malformed", "crossed", "unexpected"), buckets, strict=True):
        for line in bucket[:5]:
            print(f"  {label}: {line}")
    if server_log.strip():
        print("server stderr (last lines):\n  " + "\n  ".join(server_log.strip().splitlines()[-10:]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    bad = tally.server_errors or tally.malformed or tally.crossed or not alive
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
