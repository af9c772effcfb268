"""The demo's WebDAV server (multistatus.demo.dav_app), in process: methods, confinement, limits, JSON.

One test reaches inside, to the demo's ``PropertyStore``: that a transaction
which raises part-way leaves nothing behind cannot be provoked through HTTP.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

import multistatus as ms
from multistatus.demo import dav_app, default_database, make_app
from multistatus.demo._davstore import PropertyStore

Z = "{http://example.com/z}"
PATCH = (
    b'<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/z"><D:set><D:prop>'
    b'<Z:note xml:lang="en" kind="k">see <Z:b>this</Z:b></Z:note></D:prop></D:set></D:propertyupdate>'
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "a b.txt").write_bytes(b"hello")
    (folder / "sub").mkdir()
    (folder / "sub" / "caf\u00e9.txt").write_bytes(b"x")
    return folder


@pytest.fixture
def client(root: Path) -> Client:
    return Client(dav_app(root, max_resources=5))


def propfind(client: Client, path: str, depth: str | None, **headers: str) -> object:
    if depth is not None:
        headers["Depth"] = depth
    return client.open(path, method="PROPFIND", headers=headers)


def test_options_and_get(client: Client) -> None:
    r = client.options("/dav/")
    assert r.headers["DAV"] == "1, 2"
    assert "PROPPATCH" in r.headers["Allow"]
    r = client.get("/dav/a%20b.txt")
    assert r.data == b"hello"
    assert r.headers["ETag"]
    assert client.head("/dav/a%20b.txt").data == b""


def test_propfind_depths_and_hrefs(client: Client) -> None:
    r = propfind(client, "/dav/", "1")
    assert r.status_code == 207
    assert r.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert [x.href for x in ms.from_xml(r.data)] == ["/dav/", "/dav/a%20b.txt", "/dav/sub/"]
    r = propfind(client, "/dav/", None)  # no Depth: infinity, within max_resources
    assert "/dav/sub/caf%C3%A9.txt" in [x.href for x in ms.from_xml(r.data)]
    assert [x.href for x in ms.from_xml(propfind(client, "/dav/sub", "0").data)] == ["/dav/sub/"]


def test_depth_infinity_beyond_the_limit_is_403_finite_depth(root: Path, client: Client) -> None:
    for i in range(5):
        (root / f"f{i}").write_bytes(b"")
    r = propfind(client, "/dav/", "infinity")
    assert r.status_code == 403
    assert b"propfind-finite-depth" in r.data
    # The limit is on what Depth: infinity covers, never on one folder's listing (8 resources > 5):
    r = propfind(client, "/dav/", "1")
    assert r.status_code == 207
    assert len(ms.from_xml(r.data).responses) == 8
    assert propfind(client, "/dav/sub/", "infinity").status_code == 207
    assert propfind(client, "/dav/", "2").status_code == 400


def test_proppatch_stores_dead_properties_losslessly(root: Path, client: Client) -> None:
    r = client.open("/dav/a%20b.txt", method="PROPPATCH", data=PATCH)
    assert r.status_code == 207
    assert [ps.status.code for ps in ms.from_xml(r.data).responses[0].propstats] == [200]
    body = b'<propfind xmlns="DAV:"><prop><note xmlns="http://example.com/z"/></prop></propfind>'
    got = ms.from_xml(client.open("/dav/a%20b.txt", method="PROPFIND", data=body, headers={"Depth": "0"}).data)
    prop = got.responses[0].propstats[0].props[0]
    assert prop == ms.Property(Z + "note", ["see ", ms.Element(Z + "b", "this")], lang="en", attributes={"kind": "k"})
    assert default_database(root).exists()
    # A fresh server over the same folder finds it again (SQLite beside the folder).
    again = Client(dav_app(root))
    got = ms.from_xml(again.open("/dav/a%20b.txt", method="PROPFIND", data=body, headers={"Depth": "0"}).data)
    assert got.responses[0].propstats[0].props[0] == prop


def test_listings_carry_each_resource_its_own_dead_properties(root: Path, client: Client) -> None:
    """One query per listing: each resource gets its own dead properties, at every depth, and only its own."""
    (root / "sub" / "deeper").mkdir()
    for path in ("", "a%20b.txt", "sub/", "sub/caf%C3%A9.txt", "sub/deeper/"):
        body = (
            b'<propertyupdate xmlns="DAV:"><set><prop><tag xmlns="urn:t">'
            + path.encode()
            + b"</tag></prop></set></propertyupdate>"
        )
        assert client.open("/dav/" + path, method="PROPPATCH", data=body).status_code == 207
    ask = b'<propfind xmlns="DAV:"><prop><tag xmlns="urn:t"/></prop></propfind>'

    def listed(path: str, depth: str) -> dict[str, str | None]:
        r = client.open(path, method="PROPFIND", data=ask, headers={"Depth": depth})
        assert r.status_code == 207
        out: dict[str, str | None] = {}
        for response in ms.from_xml(r.data):
            found = [p for ps in response.propstats if ps.status.code == 200 for p in ps.props]
            out[response.href] = found[0].text if found else None
        return out

    assert listed("/dav/", "1") == {"/dav/": "", "/dav/a%20b.txt": "a%20b.txt", "/dav/sub/": "sub/"}
    assert listed("/dav/sub/", "1") == {
        "/dav/sub/": "sub/",
        "/dav/sub/caf%C3%A9.txt": "sub/caf%C3%A9.txt",
        "/dav/sub/deeper/": "sub/deeper/",
    }
    assert listed("/dav/sub/", "0") == {"/dav/sub/": "sub/"}
    assert listed("/dav/", "infinity")["/dav/sub/deeper/"] == "sub/deeper/"


def test_proppatch_of_a_protected_property_changes_nothing(client: Client) -> None:
    body = (
        b'<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/z"><D:set><D:prop><Z:x>1</Z:x>'
        b"<D:getetag>no</D:getetag></D:prop></D:set></D:propertyupdate>"
    )
    doc = ms.from_xml(client.open("/dav/a%20b.txt", method="PROPPATCH", data=body).data)
    pstats = {ps.status.code: ps for ps in doc.responses[0].propstats}
    assert set(pstats) == {403, 424}
    assert pstats[403].error is not None
    assert pstats[403].error.condition_names == ("{DAV:}cannot-modify-protected-property",)
    names = b'<propfind xmlns="DAV:"><propname/></propfind>'
    listed = ms.from_xml(client.open("/dav/a%20b.txt", method="PROPFIND", data=names, headers={"Depth": "0"}).data)
    assert Z + "x" not in listed.responses[0].propstats[0].names


def test_bad_bodies(client: Client) -> None:
    assert client.open("/dav/", method="PROPFIND", data=b"<propfind", headers={"Depth": "0"}).status_code == 400
    assert (
        client.open("/dav/", method="PROPFIND", data=b"<propfind xmlns='DAV:'/>", headers={"Depth": "0"}).status_code
        == 422
    )
    assert client.open("/dav/a%20b.txt", method="PROPPATCH", data=b"").status_code == 400


def test_json_on_request(client: Client) -> None:
    r = propfind(client, "/dav/", "1", Accept="application/json")
    assert r.headers["Content-Type"] == "application/json"
    assert [x.href for x in ms.from_json(r.data)] == ["/dav/", "/dav/a%20b.txt", "/dav/sub/"]


def test_copy_move_delete_and_properties_follow(root: Path, client: Client) -> None:
    client.open("/dav/a%20b.txt", method="PROPPATCH", data=PATCH)
    assert client.open("/dav/sub/", method="COPY", headers={"Destination": "/dav/copy/"}).status_code == 201
    assert (root / "copy" / "caf\u00e9.txt").exists()
    r = client.open("/dav/a%20b.txt", method="MOVE", headers={"Destination": "http://localhost/dav/copy/m.txt"})
    assert r.status_code == 201
    assert not (root / "a b.txt").exists()
    props = ms.from_xml(propfind(client, "/dav/copy/m.txt", "0").data).responses[0].propstats[0].names
    assert Z + "note" in props
    r = client.open("/dav/copy/m.txt", method="COPY", headers={"Destination": "/dav/sub/", "Overwrite": "F"})
    assert r.status_code == 412
    assert client.open("/dav/copy/", method="MOVE", headers={"Destination": "/dav/copy/in/"}).status_code == 403
    assert (
        client.open("/dav/copy/", method="MOVE", headers={"Destination": "http://elsewhere/dav/x"}).status_code == 502
    )
    assert client.open("/dav/copy/", method="MOVE").status_code == 400
    assert client.delete("/dav/copy/").status_code == 204
    assert client.delete("/dav/copy/").status_code == 404
    assert client.open("/dav/new", method="MKCOL").status_code == 201
    assert client.open("/dav/new", method="MKCOL").status_code == 405
    assert client.open("/dav/no/new", method="MKCOL").status_code == 409
    assert client.put("/dav/no/f.txt", data=b"x").status_code == 409


@pytest.mark.skipif(os.geteuid() == 0, reason="root can delete from a read-only folder")
def test_delete_of_a_collection_with_failures_lists_only_them(root: Path, client: Client) -> None:
    locked = root / "locked"
    locked.mkdir()
    (locked / "stays.txt").write_bytes(b"")
    (root / "sub" / "x.txt").write_bytes(b"")
    locked.chmod(0o500)
    try:
        r = client.delete("/dav/")
        assert r.status_code == 403  # the root itself stays
        r = client.delete("/dav/locked/")
        assert r.status_code == 207
        assert [x.href for x in ms.from_xml(r.data)] == ["/dav/locked/stays.txt"]
    finally:
        locked.chmod(0o700)


def test_delete_of_a_collection_with_failures_through_a_stub(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "sub" / "y.txt").write_bytes(b"")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "y.txt":
            raise PermissionError("no")
        real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    r = Client(dav_app(root)).delete("/dav/sub/")
    assert r.status_code == 207
    doc = ms.from_xml(r.data)
    assert [(x.href, x.status.code if x.status else 0) for x in doc] == [("/dav/sub/y.txt", 403)]
    assert not (root / "sub" / "caf\u00e9.txt").exists()  # the other member went


@pytest.mark.parametrize("path", ["/dav/../etc/passwd", "/dav/%2e%2e/x", "/dav/sub/%2e%2e/%2e%2e/x", "/dav/a%00b"])
def test_paths_stay_in_the_folder(client: Client, path: str) -> None:
    assert client.get(path).status_code in (400, 404)
    assert client.put(path, data=b"x").status_code in (400, 404)


def test_symbolic_links_out_of_the_folder_are_not_followed(root: Path, tmp_path: Path, client: Client) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    assert client.get("/dav/escape/secret.txt").status_code == 404
    assert client.put("/dav/escape/new.txt", data=b"x").status_code == 404
    assert not (outside / "new.txt").exists()
    listed = [x.href for x in ms.from_xml(propfind(client, "/dav/", "1").data)]
    assert "/dav/escape/" not in listed


def test_mounted_in_the_demo_next_to_the_other_endpoints(root: Path) -> None:
    client = Client(make_app(dav=root))
    assert propfind(client, "/dav/", "0").status_code == 207
    assert propfind(client, "/files/", "0").status_code == 207
    assert Client(make_app()).get("/dav/").status_code == 404


def test_run_refuses_dav_beyond_loopback(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from multistatus.demo import run

    assert run("0.0.0.0", 0, dav=root) == 2
    assert "127.0.0.1" in capsys.readouterr().out
    assert run("127.0.0.1", 0, dav=root / "missing") == 2


def test_members_that_are_symbolic_links_are_copied_as_links(root: Path, client: Client) -> None:
    (root / "sub" / "link").symlink_to("caf\u00e9.txt")
    assert client.open("/dav/sub/", method="COPY", headers={"Destination": "/dav/copy/"}).status_code == 201
    assert os.readlink(root / "copy" / "link") == "caf\u00e9.txt"


def test_a_member_gone_during_delete_counts_as_deleted(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        real_unlink(self, missing_ok)
        if self.name == "caf\u00e9.txt":
            raise FileNotFoundError(self)  # (as if another client deleted it first)

    monkeypatch.setattr(Path, "unlink", unlink)
    assert Client(dav_app(root)).delete("/dav/sub/").status_code == 204
    assert not (root / "sub").exists()


def test_overwriting_a_collection_that_keeps_a_member_moves_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "dest").mkdir()
    (root / "dest" / "stays.txt").write_bytes(b"")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "stays.txt":
            raise PermissionError("no")
        real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    r = Client(dav_app(root)).open("/dav/sub/", method="MOVE", headers={"Destination": "/dav/dest/"})
    assert r.status_code == 207
    assert [x.href for x in ms.from_xml(r.data)] == ["/dav/dest/stays.txt"]
    assert (root / "sub" / "caf\u00e9.txt").exists()


def test_the_demo_passes_its_allowed_hosts_to_the_webdav_server(root: Path) -> None:
    for allow, status in (((), 421), (["mybox.local"], 207)):
        client = Client(make_app(dav=root, allow_hosts=allow))
        r = client.open("/dav/", method="PROPFIND", headers={"Depth": "0"}, base_url="http://mybox.local:8000/")
        assert r.status_code == status


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        pytest.param("PROPFIND", "/dav", {"Depth": "0"}, 207, id="prefix-without-slash"),
        pytest.param("GET", "/elsewhere/", {}, 404, id="outside-the-prefix"),
        pytest.param("PROPFIND", "http://localhost/dav/", {"Depth": "0"}, 207, id="absolute-form"),
        pytest.param("PATCH", "/dav/a%20b.txt", {}, 405, id="unknown-method"),
        pytest.param("PUT", "/dav/sub/", {}, 405, id="put-on-a-collection"),
        pytest.param("DELETE", "/dav/", {}, 403, id="delete-the-root"),
        pytest.param("COPY", "/dav/a%20b.txt", {"Destination": "/elsewhere/x"}, 403, id="destination-outside"),
        pytest.param("GET", "/dav/a%20b.txt#x", {}, 400, id="fragment"),
    ],
)
def test_request_edges(client: Client, method: str, path: str, headers: dict[str, str], status: int) -> None:
    environ = {"RAW_URI": path} if "://" in path or "#" in path else {}
    r = client.open(path.partition("#")[0], method=method, headers=headers, environ_overrides=environ)
    assert r.status_code == status


def test_dav_app_settings(root: Path) -> None:
    with pytest.raises(ValueError, match="not a folder"):
        dav_app(root / "missing")
    with pytest.raises(ValueError, match="max_resources"):
        dav_app(root, max_resources=0)
    client = Client(dav_app(root, prefix="/x", database=":memory:"))
    assert propfind(client, "/x/", "1").status_code == 207


def test_a_folder_gone_while_listed_is_left_out(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("sub"):
            raise FileNotFoundError(path)  # (moved away by another request meanwhile)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    r = propfind(Client(dav_app(root)), "/dav/", "infinity")
    assert [x.href for x in ms.from_xml(r.data)] == ["/dav/", "/dav/a%20b.txt", "/dav/sub/"]


def test_a_property_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    store = PropertyStore(tmp_path / "p.sqlite")

    def fail() -> None:
        with store.transaction() as tx:
            tx.set("a", ms.Property(Z + "x", "1"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert store.get("a") == []
    store.close()
