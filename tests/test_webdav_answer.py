"""multistatus.webdav, the answer side: PROPFIND responses, §16 conditions, collection failures; no I/O."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import multistatus as ms
from multistatus import webdav

Z = "{http://example.com/z}"


def test_propfind_prop_found_missing_forbidden() -> None:
    calls: list[str] = []

    def etag() -> str:
        calls.append("etag")
        return '"1"'

    def expensive() -> str:
        calls.append("expensive")
        return "x"

    props = webdav.Properties(
        {"{DAV:}getetag": etag, Z + "size": expensive, "{DAV:}resourcetype": [ms.Element("{DAV:}collection")]},
        [ms.Property(Z + "color", "blue", lang="en")],
        forbidden=[Z + "secret"],
    )
    asked = webdav.PropFind("prop", (Z + "color", "{DAV:}getetag", Z + "nope", Z + "secret"))
    r = webdav.propfind_response("/dav/a", asked, props)
    assert [(ps.status.code, ps.names) for ps in r.propstats] == [
        (200, (Z + "color", "{DAV:}getetag")),
        (404, (Z + "nope",)),
        (403, (Z + "secret",)),
    ]
    assert r.propstats[0].props[0].lang == "en"
    assert calls == ["etag"]  # the expensive live property was never computed


def test_propfind_allprop_hidden_include_and_propname() -> None:
    props = webdav.Properties(
        {"{DAV:}getetag": '"1"', Z + "big": lambda: "x"}, [ms.Property(Z + "c", "v")], hidden=[Z + "big"]
    )
    r = webdav.propfind_response("/a", webdav.PropFind("allprop"), props)
    assert r.propstats[0].names == ("{DAV:}getetag", Z + "c")
    r = webdav.propfind_response("/a", webdav.PropFind("allprop", (Z + "big", Z + "none")), props)
    assert [(ps.status.code, ps.names) for ps in r.propstats] == [
        (200, ("{DAV:}getetag", Z + "c", Z + "big")),
        (404, (Z + "none",)),
    ]
    r = webdav.propfind_response("/a", webdav.PropFind("propname"), props)
    assert r.propstats[0].names == ("{DAV:}getetag", Z + "big", Z + "c")
    assert all(p.value == "" for p in r.propstats[0].props)


def test_propfind_response_records_in_results() -> None:
    results = ms.Results()
    webdav.propfind_response("/a", webdav.PropFind(), webdav.Properties(), results=results)
    assert len(results) == 1
    assert results.responses[0].propstats[0].status.code == 200


def test_condition_codes_are_the_rfc_4918_names() -> None:
    assert webdav.PROPFIND_FINITE_DEPTH == "{DAV:}propfind-finite-depth"
    assert webdav.CANNOT_MODIFY_PROTECTED_PROPERTY == "{DAV:}cannot-modify-protected-property"
    assert webdav.LOCK_TOKEN_SUBMITTED == "{DAV:}lock-token-submitted"
    for name in (
        "LOCK_TOKEN_MATCHES_REQUEST_URI",
        "NO_CONFLICTING_LOCK",
        "NO_EXTERNAL_ENTITIES",
        "PRESERVED_LIVE_PROPERTIES",
    ):
        assert getattr(webdav, name) == "{DAV:}" + name.lower().replace("_", "-")


def test_error_reply_is_a_dav_error_document_clients_read() -> None:
    r = webdav.error_reply(423, webdav.condition(webdav.LOCK_TOKEN_SUBMITTED, ["/dav/locked/"]), method="DELETE")
    assert (r.status, r.header("Content-Type")) == (423, "text/xml; charset=utf-8")
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_body(r.body, "text/xml", status=423)
    assert info.value.error is not None
    assert info.value.error.condition_names == ("{DAV:}lock-token-submitted",)
    assert info.value.error.conditions[0].children[0].text == "/dav/locked/"
    as_json = webdav.error_reply(403, webdav.PROPFIND_FINITE_DEPTH, accept="application/json")
    assert as_json.header("Content-Type") == "application/problem+json"
    assert webdav.error_reply(403, webdav.PROPFIND_FINITE_DEPTH, default="application/xml").header("Content-Type") == (
        "application/xml; charset=utf-8"
    )


def test_collection_failures_lists_only_the_failures() -> None:
    doc = webdav.collection_failures(
        [("/c/a", 204), ("/c/b", 423), ("/c/d", (403, ms.Error(["{DAV:}x"]))), ("/c/", 424), ("/c/e", 201)]
    )
    assert doc is not None
    assert [(r.href, r.status.code if r.status else None) for r in doc] == [("/c/b", 423), ("/c/d", 403)]
    assert doc.responses[1].error is not None
    assert webdav.collection_failures({}) is None


PACKAGE = Path(ms.__file__).parent / "webdav"


def test_the_webdav_package_is_sans_io() -> None:
    forbidden = ("werkzeug", "socket", "http", "urllib", "wsgiref", "asyncio", "subprocess", "sqlite3")
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
                assert not any(edge in name for edge in ("wsgi", "demo", "cli")), f"{path.name} imports {name}"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 460


def test_importable_without_werkzeug() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'werkzeug' or name.startswith('werkzeug.'):\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from multistatus import webdav\n"
        "print(webdav.parse_propfind(b'').kind, webdav.parse_depth('1'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["allprop", "1"]


def test_public_names_have_examples() -> None:
    for name in webdav.__all__:
        obj = getattr(webdav, name)
        if isinstance(obj, str) or name == "Depth":
            continue
        assert ">>>" in (obj.__doc__ or ""), name
