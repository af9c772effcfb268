"""Shared fixtures: the corpus of real server captures and the facts they must parse to.

Server captures (Apache mod_dav, WsgiDAV, Radicale) are copied in ``tests/data``.
RFC 4918's own examples stay in ``../shared/corpus/rfc4918`` (next to the
checkout, or wherever ``MULTISTATUS_SHARED`` points) and their tests are skipped
when it is absent.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from werkzeug.serving import WSGIRequestHandler

import multistatus as ms
from tests.servers import RUNNER, SESSION_LIFETIME, free_port, start, stop

# -- Hypothesis profiles ---------------------------------------------------------------
# "default" keeps the README's test command fast on a 2-core machine; "long" is for
# deep runs before a release:  MULTISTATUS_HYPOTHESIS=long python -m pytest
PROFILES = {"default": 40, "long": 2000}
for _name, _count in PROFILES.items():
    settings.register_profile(
        _name, max_examples=_count, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
    )
PROFILE = os.environ.get("MULTISTATUS_HYPOTHESIS", "default")
if PROFILE not in PROFILES:
    raise pytest.UsageError(f"MULTISTATUS_HYPOTHESIS={PROFILE!r}: use one of {', '.join(PROFILES)}")
settings.load_profile(PROFILE)


def scaled(factor: float = 1) -> settings:
    """The loaded profile with *factor* times its examples: more for the cheapest properties,
    fewer (a factor below 1) for the dearest, whose every example is a large document."""
    return settings(max_examples=max(1, round(PROFILES[PROFILE] * factor)))


class QuietHandler(WSGIRequestHandler):
    """werkzeug's request handler without the access log (for the tests' own servers)."""

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's signature
        pass


HERE = Path(__file__).parent
DATA = HERE / "data"
SHARED = Path(os.environ.get("MULTISTATUS_SHARED", HERE.parent.parent / "shared"))
RFC_DIR = SHARED / "corpus" / "rfc4918"
SERVERS = ("apache2", "wsgidav", "radicale")


@dataclass(frozen=True)
class Case:
    """One captured (or RFC example) body and what its manifest says about it."""

    server: str
    name: str
    entry: dict[str, Any]
    folder: Path

    @property
    def body_path(self) -> Path | None:
        body = self.entry.get("body_file")
        return self.folder / body if body else None

    @property
    def http_path(self) -> Path | None:
        raw = self.entry.get("file")
        return self.folder / raw if raw else None

    @property
    def facts(self) -> dict[str, Any] | None:
        facts: dict[str, Any] | None = self.entry.get("facts")
        return facts

    @property
    def is_multistatus(self) -> bool:
        return bool(self.facts) and self.facts["root"] == "{DAV:}multistatus"  # type: ignore[index]

    def body(self) -> bytes:
        assert self.body_path is not None
        return self.body_path.read_bytes()

    def param(self) -> Any:
        return pytest.param(self, id=f"{self.server}/{self.name}")


def _load(server: str, folder: Path) -> list[Case]:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return []
    cases = json.loads(manifest.read_text(encoding="utf-8"))["cases"]
    return [Case(server, c["case"], c, folder) for c in cases]


def all_cases() -> list[Case]:
    """Every case: the server captures from tests/data and the RFC examples when present."""
    cases: list[Case] = []
    for server in SERVERS:
        cases += _load(server, DATA / server)
    cases += _load("rfc4918", RFC_DIR)
    return cases


def multistatus_cases() -> list[Any]:
    """pytest params for every case whose body is a DAV:multistatus document."""
    out = [c.param() for c in all_cases() if c.is_multistatus]
    if not RFC_DIR.exists():
        out.append(pytest.param(None, id="rfc4918-absent", marks=pytest.mark.skip(reason=f"{RFC_DIR} absent")))
    return out


def other_body_cases() -> list[Any]:
    """pytest params for captures whose body exists but is not a multistatus."""
    return [c.param() for c in all_cases() if c.body_path is not None and not c.is_multistatus]


# -- facts ------------------------------------------------------------------------
def _status_facts(status: ms.Status) -> tuple[int, str]:
    return status.code, status.phrase


def _expected_status(line: str | None, code: int | None) -> tuple[int, str] | None:
    """(code, reason phrase) read from the raw status line with a plain regex."""
    if line is None:
        return None
    match = re.fullmatch(r"\s*(?:HTTP/[\d.]+\s+)?(\d{3})(?:\s+(.*?))?\s*", line, re.DOTALL)
    assert match is not None, line
    assert int(match.group(1)) == code
    reason = match.group(2)
    # No phrase on the wire: the parser shows the canonical one.
    return code, reason if reason else ms.Status(code).phrase


def expected_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The manifest's facts, in the comparable shape :func:`facts_of` produces."""
    responses = []
    for r in facts["responses"]:
        propstats = []
        for p in r["propstats"]:
            attributes = p.get("attributes") or {}
            propstats.append(
                {
                    "status": _expected_status(p["status"], p["status_code"]),
                    "props": p["props"],
                    "values": p["values"],
                    "children": p["children"],
                    "attributes": {k: v for k, v in attributes.items() if v},
                    "error": p.get("error"),
                    "description": p.get("responsedescription"),
                }
            )
        responses.append(
            {
                "hrefs": [h.strip() for h in r["hrefs"]],
                "status": _expected_status(r["status"], r["status_code"]),
                "propstats": propstats,
                "error": r.get("error"),
                "description": r.get("responsedescription"),
                "location": r["location"].strip() if r.get("location") else None,
            }
        )
    return {
        "responses": responses,
        "description": facts.get("responsedescription"),
        "sync_token": facts["sync_token"].strip() if facts.get("sync_token") else None,
    }


def facts_of(doc: ms.MultiStatus) -> dict[str, Any]:
    """What a parsed document says, in the shape of the corpus manifests' facts."""
    responses = []
    for r in doc.responses:
        propstats = []
        for ps in r.propstats:
            values: dict[str, str] = {}
            children: dict[str, list[str]] = {}
            attributes: dict[str, dict[str, str]] = {}
            for prop in ps.props:
                if prop.children:
                    children[prop.name] = [c.tag for c in prop.children]
                else:
                    values[prop.name] = prop.text or ""
                attrs = dict(prop.attributes)
                if prop.lang is not None:
                    attrs["{http://www.w3.org/XML/1998/namespace}lang"] = prop.lang
                if attrs:
                    attributes[prop.name] = attrs
            propstats.append(
                {
                    "status": _status_facts(ps.status),
                    "props": list(ps.names),
                    "values": values,
                    "children": children,
                    "attributes": attributes,
                    "error": list(ps.error.condition_names) if ps.error is not None else None,
                    "description": ps.description,
                }
            )
        responses.append(
            {
                "hrefs": list(r.hrefs),
                "status": _status_facts(r.status) if r.status is not None else None,
                "propstats": propstats,
                "error": list(r.error.condition_names) if r.error is not None else None,
                "description": r.description,
                "location": r.location,
            }
        )
    return {"responses": responses, "description": doc.description, "sync_token": doc.sync_token}


# -- the programs of examples/ as servers on 127.0.0.1 (tests/servers.py) --------------
@pytest.fixture(scope="session", autouse=True)
def _children_share_bytecode(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The Python processes the tests start share one bytecode cache, in the session's temporary directory.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (as in many CI images), every
    command, server and worker the tests start would compile the package and its
    dependencies afresh: 0.1 to 0.3 CPU-seconds each, over a hundred times.  The
    cache lives under pytest's temporary directory (``PYTHONPYCACHEPREFIX``), so
    nothing is written into the checkout or site-packages; the tests' own process
    is left as it started.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        # (the parent of the worker's directory: the workers of one run share it)
        patch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.getbasetemp().parent / "pycache"))
        patch.delenv("PYTHONDONTWRITEBYTECODE")
        yield


@pytest.fixture(scope="session")
def example_servers() -> Iterator[Callable[[list[str]], str]]:
    """Start programs of examples/ as servers (``serve(args) -> base URL``), stopped by PID after the session.

    The examples keep no state between requests, so one server per command serves
    every module of a worker that asks for it (three modules ask for the same five).
    """
    started: dict[tuple[str, ...], tuple[subprocess.Popen[bytes], str]] = {}

    def serve(args: list[str]) -> str:
        if tuple(args) not in started:
            port = free_port()
            command = [sys.executable, str(RUNNER), str(SESSION_LIFETIME), *(a.format(port=port) for a in args)]
            started[tuple(args)] = (start(command, port), f"http://127.0.0.1:{port}")
        return started[tuple(args)][1]

    yield serve
    for process, _ in started.values():
        stop(process)
