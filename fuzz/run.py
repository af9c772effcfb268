"""Run the multistatus fuzz targets: ``python fuzz/run.py TARGET --minutes N`` (or ``all``).

With atheris importable, each target runs under libFuzzer (coverage-guided, the
``multistatus`` package instrumented); otherwise a Hypothesis-based fallback
feeds ``st.binary()`` and mutations of the seeds.  Either way the seeds are the
bodies and captures of ``tests/data/*/`` and ``to_xml``/``to_json`` of documents
from ``tests/strategies.py``.

Each target runs in a child process (one at a time: the machine is shared).
Findings (the smallest input per signature, with its traceback) go to
``fuzz/findings/<target>/``; the growing corpus to ``fuzz/findings/corpus/<target>/``
and the logs to ``fuzz/findings/logs/``.  ``--replay FILE...`` runs one target
on saved inputs and prints what each breaks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "findings"
TARGET_NAMES = (
    "from_xml",
    "xml_feeder",
    "from_json",
    "from_body",
    "cli",
    "webdav_body",
    "webdav_headers",
    "webdav_report",
    "webdav_conditions",
    "read_batch",
    "demo",
)
#: Share of the time each target gets under ``all`` (the parsers with most code get more).
WEIGHTS = {
    "from_xml": 8,
    "xml_feeder": 6,
    "from_json": 5,
    "from_body": 7,
    "cli": 6,
    "webdav_body": 6,
    "webdav_headers": 3,
    "webdav_report": 5,
    "webdav_conditions": 3,
    "read_batch": 4,
    "demo": 8,
}
DEFAULT_TIMEOUT = 10  # seconds one input may take before it is a hang


def have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


# -- findings ------------------------------------------------------------------------
class Recorder:
    """Keeps the smallest input per finding signature under ``fuzz/findings/<target>/``."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.folder = OUT / target
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index_path = self.folder / "index.json"
        self.index: dict[str, dict[str, object]] = {}
        if self.index_path.exists():
            try:
                self.index = json.loads(self.index_path.read_text())
            except ValueError:
                self.index = {}
        self.new = 0
        self._flushed = 0.0

    def record(self, report: object, data: bytes) -> None:
        sig = report.signature  # type: ignore[attr-defined]
        entry = self.index.get(sig)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", sig)[:120] + "-" + hashlib.sha1(sig.encode()).hexdigest()[:8]
        if entry is None:
            self.new += 1
            print(f"FINDING [{sig}] {report.message.splitlines()[0][:300]}", flush=True)  # type: ignore[attr-defined]
            entry = self.index[sig] = {"count": 0, "size": None, "file": slug + ".bin", "kind": report.kind}  # type: ignore[attr-defined]
        entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
        if entry["size"] is None or len(data) < int(entry["size"]):  # type: ignore[call-overload]
            entry["size"] = len(data)
            (self.folder / (slug + ".bin")).write_bytes(data)
            (self.folder / (slug + ".txt")).write_text(
                f"target: {self.target}\nsignature: {sig}\ninput ({len(data)} bytes): {data!r}\n\n"
                f"{report.message}\n\n{report.traceback}",  # type: ignore[attr-defined]
                encoding="utf-8",
            )
            self.flush(force=True)
        else:
            self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._flushed > 5:
            self.index_path.write_text(json.dumps(self.index, indent=1, sort_keys=True))
            self._flushed = now


def _import_targets(instrument: bool) -> object:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    if instrument:
        import atheris

        # (every part a target reaches is imported here: a module first imported later is not instrumented)
        with atheris.instrument_imports(include=["multistatus"]):
            import multistatus
            import multistatus._client
            import multistatus._collector
            import multistatus._http
            import multistatus.cli
            import multistatus.demo
            import multistatus.webdav
            import multistatus.wsgi  # noqa: F401
    import targets

    return targets


def _write_seeds(targets: object, target: str, corpus: Path) -> int:
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = targets.seed_corpus(target)  # type: ignore[attr-defined]
    for seed in seeds:
        name = corpus / ("seed-" + hashlib.sha1(seed).hexdigest())
        if not name.exists():
            name.write_bytes(seed)
    return len(seeds)


# -- child: atheris ------------------------------------------------------------------
def child_atheris(target: str, seconds: int, timeout: int) -> None:
    import atheris

    targets = _import_targets(instrument=True)
    recorder = Recorder(target)
    corpus = OUT / "corpus" / target
    count = _write_seeds(targets, target, corpus)
    print(f"[{target}] atheris: {count} seeds, {seconds}s", flush=True)
    run_one = targets.run_one  # type: ignore[attr-defined]

    def test_one(data: bytes) -> None:
        report = run_one(target, data)
        if report is not None:
            recorder.record(report, data)

    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",
        f"-max_len={targets.MAX_INPUT}",  # type: ignore[attr-defined]
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        f"-artifact_prefix={OUT / target}/",
        f"-dict={HERE / 'multistatus.dict'}",
        "-reload=0",
    ]
    atheris.Setup(args, test_one)
    try:
        atheris.Fuzz()
    finally:
        recorder.flush(force=True)


# -- child: hypothesis ---------------------------------------------------------------
class Hang(BaseException):
    """One input ran past the timeout."""


TOKENS = (
    b"<",
    b">",
    b"</",
    b"/>",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"&foo;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<!DOCTYPE x>",
    b'<?xml version="1.0" encoding="utf-16"?>',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\xc3",
    b"\xed\xa0\x80",
    b'xmlns:D="DAV:"',
    b'xml:lang="de"',
    b"<D:response>",
    b"</D:response>",
    b"<D:href>/a</D:href>",
    b"<D:status>HTTP/1.1 200 OK</D:status>",
    b"<D:prop>",
    b"</D:prop>",
    b'"responses"',
    b'"status"',
    b'"href"',
    b"null",
    b"1e400",
    b"NaN",
    b"[",
    b"{",
    b"\\ud800",
    b"\r\n\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"\x1f\x8b",
    b"PROPFIND ",
    b"PROPPATCH ",
    b"COPY ",
    b"MOVE ",
    b"\nDepth: infinity",
    b"\nDestination: /dav/",
    b"\nOverwrite: F",
    b"\nContent-Length: 9",
    b"\n====\n",
    b"/dav/sub/",
    b"%2e%2e/",
    b"<D:propertyupdate>",
    b"<D:set>",
    b"<D:remove>",
    b"<D:allprop/>",
    b'"items"',
)


def child_hypothesis(target: str, seconds: int, timeout: int) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    targets = _import_targets(instrument=False)
    recorder = Recorder(target)
    seeds = targets.seed_corpus(target)  # type: ignore[attr-defined]
    run_one = targets.run_one  # type: ignore[attr-defined]
    max_input = targets.MAX_INPUT  # type: ignore[attr-defined]

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang

    signal.signal(signal.SIGALRM, on_alarm)
    stats = {"executions": 0, "hangs": 0}

    def execute(data: bytes) -> None:
        data = data[:max_input]
        stats["executions"] += 1
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            report = run_one(target, data)
        except Hang:
            stats["hangs"] += 1
            (recorder.folder / f"hang-{hashlib.sha1(data).hexdigest()[:12]}.bin").write_bytes(data)
            print(f"FINDING [{target}/hang] an input ran over {timeout}s ({len(data)} bytes)", flush=True)
            return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if report is not None:
            recorder.record(report, data)

    @st.composite
    def mutated(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, 8))):
            op = draw(st.integers(0, 6))
            pos = draw(st.integers(0, len(data)))
            if op == 0 and data:  # flip a bit
                at = min(pos, len(data) - 1)
                data[at] ^= 1 << draw(st.integers(0, 7))
            elif op == 1:  # insert bytes
                data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
            elif op == 2:  # delete a range
                data[pos : pos + draw(st.integers(1, 64))] = b""
            elif op == 3:  # insert a token
                data[pos:pos] = draw(st.sampled_from(TOKENS))
            elif op == 4:  # duplicate a range
                size = draw(st.integers(1, 256))
                data[pos:pos] = data[pos : pos + size]
            elif op == 5:  # splice another seed
                other = draw(st.sampled_from(seeds))
                cut = draw(st.integers(0, len(other)))
                data[pos:] = other[cut:]
            else:  # truncate
                del data[pos:]
        return bytes(data)

    inputs = st.one_of(st.binary(max_size=2048), mutated(), mutated(), mutated())

    @settings(
        max_examples=500,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs)
    def batch(data: bytes) -> None:
        execute(data)

    start = time.monotonic()
    print(f"[{target}] hypothesis: {len(seeds)} seeds, {seconds}s", flush=True)
    for seed in seeds:
        execute(seed)
    while time.monotonic() - start < seconds:
        batch()
    recorder.flush(force=True)
    elapsed = time.monotonic() - start
    summary = {
        "target": target,
        "engine": "hypothesis",
        "executions": stats["executions"],
        "hangs": stats["hangs"],
        "seconds": round(elapsed, 1),
        "findings": len(recorder.index),
    }
    print("SUMMARY " + json.dumps(summary), flush=True)


# -- parent --------------------------------------------------------------------------
def _parse_atheris_log(text: str) -> dict[str, object]:
    out: dict[str, object] = {}
    execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    if execs:
        out["executions"] = int(execs[-1])
    else:
        counts = re.findall(r"^#(\d+)\s", text, re.MULTILINE)
        if counts:
            out["executions"] = int(counts[-1])
    cov = re.findall(r"cov: (\d+) ft: (\d+)(?: corp: (\d+)/)?", text)
    if cov:
        out["coverage_edges"], out["features"] = int(cov[-1][0]), int(cov[-1][1])
        if cov[-1][2]:
            out["corpus"] = int(cov[-1][2])
    speed = re.findall(r"exec/s: (\d+)", text)
    if speed:
        out["exec_per_s"] = int(speed[-1])
    if "ALARM: working on the last Unit" in text or "timeout" in re.findall(r"Test unit written to \S*(timeout)", text):
        out["hang"] = True
    crash = re.findall(r"Test unit written to (\S+)", text)
    if crash:
        out["artifacts"] = crash
    return out


def run_target(target: str, seconds: int, engine: str, timeout: int) -> dict[str, object]:
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{target}.log"
    cmd = [sys.executable, str(Path(__file__).resolve()), target, "--child", "--seconds", str(seconds)]
    cmd += ["--engine", engine, "--timeout", str(timeout)]
    start = time.monotonic()
    print(f"== {target}: {engine}, {seconds}s (log: {log_path})", flush=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", env=env
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if line.startswith(("FINDING", "SUMMARY", "==")) or "DONE" in line or "ALARM" in line:
                print("   " + line.rstrip()[:400], flush=True)
        proc.wait()
    elapsed = time.monotonic() - start
    text = log_path.read_text(encoding="utf-8", errors="replace")
    result: dict[str, object] = {"target": target, "engine": engine, "wall_seconds": round(elapsed, 1)}
    result["exit_code"] = proc.returncode
    if engine == "atheris":
        result.update(_parse_atheris_log(text))
    else:
        found = re.findall(r"^SUMMARY (.*)$", text, re.MULTILINE)
        if found:
            result.update({k: v for k, v in json.loads(found[-1]).items() if k not in ("target", "engine")})
    index = OUT / target / "index.json"
    result["finding_signatures"] = json.loads(index.read_text()) if index.exists() else {}
    return result


def replay(target: str, files: list[str]) -> int:
    targets = _import_targets(instrument=False)
    bad = 0
    for name in files:
        data = Path(name).read_bytes()
        report = targets.run_one(target, data)  # type: ignore[attr-defined]
        if report is None:
            print(f"{name}: ok")
        else:
            bad += 1
            print(f"{name}: {report.signature}\n{report.traceback}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=(*TARGET_NAMES, "all"))
    parser.add_argument("--minutes", type=float, default=1.0, help="total fuzzing time (spread over targets for all)")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per input before a hang")
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="run the target on these inputs and exit")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.replay:
        if args.target == "all":
            parser.error("--replay needs one target")
        return replay(args.target, args.replay)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if have_atheris() else "hypothesis"
    if args.child:
        (child_atheris if engine == "atheris" else child_hypothesis)(args.target, args.seconds, args.timeout)
        return 0

    total = max(1, round(args.minutes * 60))
    names = TARGET_NAMES if args.target == "all" else (args.target,)
    weight = sum(WEIGHTS[n] for n in names)
    results = []
    for name in names:
        seconds = max(10, round(total * WEIGHTS[name] / weight))
        results.append(run_target(name, seconds, engine, args.timeout))
    print("\n== summary")
    any_finding = False
    for r in results:
        sigs = r["finding_signatures"]
        assert isinstance(sigs, dict)
        any_finding = any_finding or bool(sigs) or bool(r.get("hang"))
        print(json.dumps({k: v for k, v in r.items() if k != "finding_signatures"}))
        for sig, entry in sigs.items():
            print(
                f"   finding {sig}: {entry['count']} inputs, smallest {entry['size']} bytes -> {OUT / r['target'] / entry['file']}"
            )
    summary_path = OUT / "logs" / "summary.json"
    summary_path.write_text(json.dumps(results, indent=1))
    return 1 if any_finding else 0


if __name__ == "__main__":
    sys.exit(main())
