"""PROPFIND ``Depth: 1`` of a folder of 2,000 files: the demo vs Apache mod_dav vs WsgiDAV, in one run.

Each server serves a copy of the same folder on a free 127.0.0.1 port; one
request per server per round, interleaved, a fresh connection each time (as
curl does), the same body (``--body allprop``, the default, or ``prop``: resourcetype,
getcontentlength, getetag and getlastmodified, what a file-system client asks).  Printed: the median wall time, the
server's CPU time per request (``/proc``: user + system of the server's
processes, Apache's workers included), and the ratios to Apache.

Needs: Linux, root (Apache drops to ``www-data``), ``apache2`` with
``mod_dav_fs`` (Debian: ``apt-get install apache2``) and WsgiDAV in some
Python (``--wsgidav /path/to/venv/bin/wsgidav``; ``pip install wsgidav
cheroot`` in a venv of its own, it is no dependency of multistatus).  A
server that is missing is left out, saying so.

Run from the checkout: ``PYTHONPATH=. python bench/bench_dav_listing.py
[--files 2000] [--rounds 30] [--wsgidav PATH]``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BODIES = {  # allprop, and the properties a file-system client asks for (davfs2, rclone)
    "allprop": b'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><allprop/></propfind>',
    "prop": b'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/>'
    b"<getcontentlength/><getetag/><getlastmodified/></prop></propfind>",
}
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of *pid* and of its children that are still running (Apache's workers)."""
    pids = [pid]
    with contextlib.suppress(OSError):  # (a kernel without the children file: the parent only)
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICK


def make_folder(root: Path, files: int) -> None:
    root.mkdir()
    for i in range(files):
        (root / f"file-{i:05d}.txt").write_bytes(b"some content %d\n" % i)


def apache(work: Path, root: Path, port: int) -> subprocess.Popen[bytes]:
    conf = work / "apache"
    (conf / "logs").mkdir(parents=True)
    lockdir = conf / "lock"
    lockdir.mkdir()
    shutil.chown(lockdir, "www-data", "www-data")
    (conf / "httpd.conf").write_text(
        f"""ServerRoot {conf}
PidFile {conf}/httpd.pid
ErrorLog {conf}/logs/error.log
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
User www-data
Group www-data
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule mime_module {MODULES}/mod_mime.so
LoadModule alias_module {MODULES}/mod_alias.so
LoadModule dav_module {MODULES}/mod_dav.so
LoadModule dav_fs_module {MODULES}/mod_dav_fs.so
TypesConfig /etc/mime.types
DavLockDB {lockdir}/DavLock
Alias /dav {root}
<Directory {root}>
  Dav On
  Require all granted
</Directory>
"""
    )
    return subprocess.Popen([APACHE, "-f", str(conf / "httpd.conf"), "-DFOREGROUND"])


def demo(work: Path, root: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "multistatus", "demo", "--dav", str(root), "--port", str(port)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)


def wsgidav(work: Path, root: Path, port: int, exe: str) -> subprocess.Popen[bytes]:
    cmd = [exe, "--host", "127.0.0.1", "--port", str(port), "--root", str(root), "--auth", "anonymous", "-q", "-q"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)


def propfind(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Depth": "1", "Content-Type": "text/xml; charset=utf-8"}
        conn.request("PROPFIND", path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--wsgidav", default=shutil.which("wsgidav"), help="the wsgidav command")
    parser.add_argument(
        "--body", choices=sorted(BODIES), default="allprop", help="the PROPFIND body (default: allprop)"
    )
    args = parser.parse_args()
    body = BODIES[args.body]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        servers: dict[str, tuple[subprocess.Popen[bytes], int, str]] = {}
        try:
            for name in ("apache", "demo", "wsgidav"):
                root = work / f"share-{name}"
                make_folder(root, args.files)
                port = free_port()
                if name == "apache":
                    if os.geteuid() != 0 or not (MODULES / "mod_dav_fs.so").exists():
                        print("apache: left out (needs root and apache2 with mod_dav_fs)")
                        continue
                    shutil.chown(root, "www-data", "www-data")
                    proc, path = apache(work, root, port), "/dav/"
                elif name == "demo":
                    proc, path = demo(work, root, port), "/dav/"
                else:
                    if not args.wsgidav:
                        print("wsgidav: left out (no wsgidav command; --wsgidav PATH)")
                        continue
                    proc, path = wsgidav(work, root, port, args.wsgidav), "/"
                servers[name] = (proc, port, path)
                wait_for(port, proc, name)
                status, answer = propfind(port, path, body)  # (warm up, and check the answer)
                count = len(re.findall(rb"</([A-Za-z0-9_.-]+:)?response>", answer))
                if status != 207 or count != args.files + 1:
                    raise RuntimeError(f"{name}: {status}, {count} responses")
                print(f"{name}: ready on {port}", file=sys.stderr, flush=True)
            walls: dict[str, list[float]] = {n: [] for n in servers}
            cpus: dict[str, list[float]] = {n: [] for n in servers}
            for _ in range(args.rounds):
                for name, (proc, port, path) in servers.items():
                    cpu = cpu_seconds(proc.pid)
                    start = time.perf_counter()
                    status, _answer = propfind(port, path, body)
                    walls[name].append(time.perf_counter() - start)
                    cpus[name].append(cpu_seconds(proc.pid) - cpu)
                    assert status == 207, (name, status)
        finally:
            for proc, _port, _path in servers.values():
                proc.terminate()
            for proc, _port, _path in servers.values():
                proc.wait(10)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"PROPFIND Depth: 1 ({args.body}) of {args.files} files, {args.rounds} rounds interleaved (load {load})")
        base_wall = statistics.median(walls["apache"]) if "apache" in walls else None
        base_cpu = statistics.mean(cpus["apache"]) if "apache" in cpus else None
        print(f"{'server':10} {'wall (median)':>14} {'ratio':>7} {'server CPU (mean)':>18} {'ratio':>7}")
        for name in servers:
            wall, cpu = statistics.median(walls[name]), statistics.mean(cpus[name])
            wr = f"{wall / base_wall:6.2f}x" if base_wall else "      -"
            cr = f"{cpu / base_cpu:6.2f}x" if base_cpu else "      -"
            print(f"{name:10} {wall:12.4f} s {wr} {cpu:16.4f} s {cr}")


if __name__ == "__main__":
    main()
