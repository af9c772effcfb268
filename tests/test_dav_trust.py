"""The demo's WebDAV server against hostile input, through a real server on 127.0.0.1 (issue 29).

Each class of defect has its test: PROPPATCH cost (A), COPY/MOVE containment
(B), values too deep to serve (C), bodies over the limits whatever their
framing (D), DNS rebinding and uploaded pages (E), races with MOVE and DELETE
(F), trees deeper than Python's recursion limit (G), names the file system
cannot take (H).  Every server is started by the test on a free port and
stopped at its end.
"""

from __future__ import annotations

import http.client
import itertools
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.serving import WSGIRequestHandler, make_server

import multistatus as ms
from multistatus.demo import dav_app

Z = "{urn:z}"
MAX_NESTING = 64  # the nesting limit of every value (docs/xml.rst, "Limits")


class _Quiet(WSGIRequestHandler):
    def log(self, *args: object) -> None:
        pass


class Server:
    """A running demo WebDAV server; :meth:`send` makes one request on a new connection."""

    def __init__(self, port: int, root: Path) -> None:
        self.port = port
        self.root = root

    def send(
        self,
        method: str,
        path: str,
        body: bytes | Iterable[bytes] | None = None,
        *,
        host: str | None = None,
        **headers: str,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            chunked = body is not None and not isinstance(body, bytes)
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host or f"127.0.0.1:{self.port}")
            for name, value in headers.items():
                conn.putheader(name.replace("_", "-"), value)
            if isinstance(body, bytes):
                conn.putheader("Content-Length", str(len(body)))
            elif chunked:
                conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            try:
                if isinstance(body, bytes):
                    conn.send(body)
                elif body is not None:
                    for piece in body:
                        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                    conn.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # (the server answered before reading it all)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def propfind(self, path: str, depth: str = "1", body: bytes = b"") -> tuple[int, ms.MultiStatus | None]:
        status, _, data = self.send("PROPFIND", path, body, Depth=depth)
        return status, ms.from_xml(data) if status == 207 else None

    def proppatch(self, path: str, props: str) -> tuple[int, bytes]:
        body = (
            '<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop>'
            f"{props}</D:prop></D:set></D:propertyupdate>"
        ).encode()
        status, _, data = self.send("PROPPATCH", path, body)
        return status, data


@contextmanager
def serving(root: Path, **options: Any) -> Iterator[Server]:
    server = make_server("127.0.0.1", 0, dav_app(root, **options), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(server.port, root)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "share"
    folder.mkdir()
    yield folder
    for child in folder.iterdir():  # (pytest removes tmp_path recursively: not a tree 1,200 levels deep)
        remove_deep(child)


def remove_deep(top: Path) -> None:
    """Remove the tree *top*, however deep, and even below ``PATH_MAX`` (paths relative to open folders)."""
    if not top.is_dir() or top.is_symlink():
        top.unlink()
        return
    stack = [(os.open(top, os.O_RDONLY | os.O_DIRECTORY), "")]
    while stack:
        fd = stack[-1][0]
        with os.scandir(fd) as it:
            entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
        below = next((name for name, is_dir in entries if is_dir), None)
        for name, is_dir in entries:
            if not is_dir:
                os.unlink(name, dir_fd=fd)
        if below is not None:
            stack.append((os.open(below, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd), below))
            continue
        os.close(fd)
        name = stack.pop()[1]
        if stack:
            os.rmdir(name, dir_fd=stack[-1][0])
    top.rmdir()


@pytest.fixture
def dav(root: Path) -> Iterator[Server]:
    with serving(root) as server:
        yield server


def dead(doc: ms.MultiStatus | None) -> dict[str, str | None]:
    """Href to the text of its ``{urn:z}own`` dead property (``None`` when it has none)."""
    assert doc is not None
    out: dict[str, str | None] = {}
    for response in doc:
        found = [p.text for ps in response.propstats if ps.status.code == 200 for p in ps.props if p.name == Z + "own"]
        out[response.href] = found[0] if found else None
    return out


# -- A: PROPPATCH is linear in the number of properties --------------------------------------
@pytest.mark.slow
def test_proppatch_time_grows_linearly_with_the_number_of_properties(root: Path, dav: Server) -> None:
    def seconds(n: int, name: str) -> float:
        dav.send("PUT", f"/dav/{name}", b"")
        props = "".join(f"<Z:p{i}>v</Z:p{i}>" for i in range(n))
        start = time.perf_counter()
        status, data = dav.proppatch(f"/dav/{name}", props)
        took = time.perf_counter() - start
        assert status == 207, data
        return took

    # Interleaved, best of five each: a busy machine slows both sizes alike.  What tells a
    # linear store from a quadratic one is the factor of 4 between the sizes, not their size.
    timings = [(seconds(500, f"s{i}"), seconds(2000, f"l{i}")) for i in range(5)]
    small = min(t[0] for t in timings)
    large = min(t[1] for t in timings)
    # A quadratic store takes 16 times as long for 4 times the properties; a linear one about 4.
    assert large / small < 10, (small, large)
    status, doc = dav.propfind("/dav/l0", "0")
    assert status == 207
    assert doc is not None
    assert len(doc.responses[0].propstats[0].props) > 2000


# -- B: COPY and MOVE check containment before touching anything ---------------------------
def snapshot(root: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        for d in dirs:
            out[os.path.join(rel, d)] = None
        for f in files:
            out[os.path.join(rel, f)] = Path(folder, f).read_bytes()
    return out


TREE = ("a/", "a/b.txt", "a/c/", "a/c/d.txt", "ab.txt", "xa.txt")


def build(dav: Server, base: str) -> None:
    """The resources of TREE below *base*, each with a dead property naming itself."""
    for rel in TREE:
        if rel.endswith("/"):
            assert dav.send("MKCOL", f"{base}{rel}")[0] == 201
        else:
            assert dav.send("PUT", f"{base}{rel}", rel.encode())[0] == 201
    for rel in ("", *TREE):
        assert dav.proppatch(f"{base}{rel}", f"<Z:own>{rel.rstrip('/')}</Z:own>")[0] == 207


@pytest.mark.parametrize(
    ("method", "source", "destination", "overwrite", "status"),
    [
        pytest.param("COPY", "a/b.txt", "a/", "T", 403, id="copy-into-own-parent"),
        pytest.param("MOVE", "a/b.txt", "a/", "T", 403, id="move-into-own-parent"),
        pytest.param("COPY", "a/b.txt", "a/", "F", 412, id="copy-into-own-parent-no-overwrite"),
        pytest.param("COPY", "", "x/", "T", 403, id="copy-root"),
        pytest.param("MOVE", "", "ab.txt", "T", 403, id="move-root-onto-a-file"),
        pytest.param("MOVE", "", "new/", "T", 403, id="move-root"),
        pytest.param("COPY", "a/", "a/c/e/", "T", 403, id="copy-into-itself"),
        pytest.param("MOVE", "a/", "a/", "T", 403, id="move-onto-itself"),
        pytest.param("COPY", "a/c/", "", "T", 403, id="copy-onto-the-root"),
        pytest.param("COPY", "a/c/", "", "F", 412, id="copy-onto-the-root-no-overwrite"),
    ],
)
def test_copy_and_move_refuse_containment_and_change_nothing(
    root: Path, dav: Server, method: str, source: str, destination: str, overwrite: str, status: int
) -> None:
    build(dav, "/dav/")
    before = snapshot(root)
    props_before = dead(dav.propfind("/dav/", "infinity")[1])
    got, _, data = dav.send(method, f"/dav/{source}", Destination=f"/dav/{destination}", Overwrite=overwrite)
    assert got == status, data
    assert snapshot(root) == before
    assert dead(dav.propfind("/dav/", "infinity")[1]) == props_before


counter = itertools.count()
PLACES = st.sampled_from(["", *TREE, "a/new/", "xa.txt/", "a/c/new.txt", "n/"])


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for every example of a property test: each example works in a fresh collection."""
    with serving(tmp_path_factory.mktemp("shared"), max_put_bytes=LIMIT, max_body_bytes=LIMIT) as server:
        yield server


def fresh(dav: Server) -> str:
    base = f"/dav/t{next(counter)}/"
    assert dav.send("MKCOL", base)[0] == 201
    return base


@pytest.fixture(scope="module")
def built(shared: Server) -> str:
    """TREE with its dead properties, built once (13 requests); each example takes a copy in one COPY."""
    base = fresh(shared)
    build(shared, base)
    return base


@given(method=st.sampled_from(["COPY", "MOVE"]), source=PLACES, dest=PLACES, overwrite=st.sampled_from("TF"))
def test_copy_and_move_keep_dead_properties_with_their_resources(
    shared: Server, built: str, method: str, source: str, dest: str, overwrite: str
) -> None:
    base = f"/dav/t{next(counter)}/"
    assert shared.send("COPY", built, Destination=base)[0] == 201
    before = dead(shared.propfind(base, "infinity")[1])
    assert before == {base + rel: rel.rstrip("/") for rel in ("", *TREE)}  # the copy is the tree as built
    status, _, data = shared.send(method, base + source, Destination=base + dest, Overwrite=overwrite)
    assert status < 500, data
    after = dead(shared.propfind(base, "infinity")[1])
    if status >= 300:
        assert after == before
        return
    src, dst = source.rstrip("/"), dest.rstrip("/")
    assert src
    assert dst
    for href, value in after.items():
        rel = href[len(base) :].rstrip("/")
        if rel == dst or rel.startswith(dst + "/"):
            assert value == src + rel[len(dst) :], href  # a copy has the properties of its source
        else:
            assert value == rel, href  # everything else keeps its own


# -- C: a value nested deeper than the library reads is refused at PROPPATCH -----------------
@given(levels=st.integers(MAX_NESTING - 2, MAX_NESTING + 5))
def test_a_value_too_deep_to_serve_is_refused_and_everything_stays_readable(shared: Server, levels: int) -> None:
    base = fresh(shared)
    assert shared.send("PUT", base + "f.txt", b"x")[0] == 201
    value = "<Z:e>" * levels + "x" + "</Z:e>" * levels
    status, data = shared.proppatch(base + "f.txt", f"<Z:deep>{value}</Z:deep><Z:own>f.txt</Z:own>")
    if levels > MAX_NESTING:  # the reader's rule is the model's: the request is refused whole, nothing kept
        assert status == 413, data
    else:
        assert status == 207, data
        codes = {ps.status.code: ps.names for ps in ms.from_xml(data).responses[0].propstats}
        assert codes == {200: (Z + "deep", Z + "own")}
    for path, depth in ((base + "f.txt", "0"), (base, "1")):
        got, doc = shared.propfind(path, depth)
        assert got == 207
        assert dead(doc)[base + "f.txt"] == (None if levels > MAX_NESTING else "f.txt")


# -- D: bodies are read in bounded pieces, refused at the limit whatever the framing ---------
LIMIT = 100_000


def pieces(data: bytes, size: int) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


@given(
    size=st.integers(LIMIT - 2, LIMIT + 2) | st.integers(0, 3 * LIMIT),
    chunk=st.none() | st.integers(1, 70_000),
    existed=st.booleans(),
)
@example(size=LIMIT + 1, chunk=LIMIT + 1, existed=True)
def test_put_takes_at_most_the_limit_and_leaves_no_partial_file(
    shared: Server, size: int, chunk: int | None, existed: bool
) -> None:
    base = fresh(shared)
    if existed:
        assert shared.send("PUT", base + "f.bin", b"old")[0] == 201
    data = bytes(i % 251 for i in range(size))
    body = data if chunk is None else pieces(data, max(chunk, size // 500))  # (at most 500 chunks a body)
    status, _, answer = shared.send("PUT", base + "f.bin", body)
    folder = shared.root / base.strip("/").removeprefix("dav/")
    if size <= LIMIT:
        assert status == (204 if existed else 201), answer
        assert (folder / "f.bin").read_bytes() == data
    else:
        assert status == 413, answer
        assert os.listdir(folder) == (["f.bin"] if existed else [])  # no partial file, no temporary file
        if existed:
            assert (folder / "f.bin").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        pytest.param("PROPFIND", {"Depth": "0"}, id="propfind"),
        pytest.param("PROPPATCH", {}, id="proppatch"),
        pytest.param("MKCOL", {}, id="mkcol"),
    ],
)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_xml_and_mkcol_bodies_over_the_limit_are_413(
    shared: Server, method: str, headers: dict[str, str], chunked: bool
) -> None:
    base = fresh(shared)
    body = b"<x/>" + b" " * LIMIT
    path = base + "new/" if method == "MKCOL" else base
    status, _, data = shared.send(method, path, pieces(body, 4096) if chunked else body, **headers)
    # (MKCOL takes no body at all: 415 as soon as one starts, 413 when its length says it is over the limit)
    assert status == (415 if method == "MKCOL" and chunked else 413), data
    assert not (shared.root / base.strip("/").removeprefix("dav/") / "new").exists()


def test_a_declared_length_over_the_limit_is_refused_before_the_body(dav: Server) -> None:
    # 70 MiB announced, nothing sent: the answer comes at once, without waiting for the body.
    status, _, _ = dav.send("PUT", "/dav/big.bin", None, Content_Length=str(70 * 1024 * 1024))
    assert status == 413
    assert dav.send("GET", "/dav/big.bin")[0] == 404


# -- E: only the host names it was started for; uploaded pages sandboxed ---------------------
@pytest.mark.parametrize(
    ("host", "answered"),
    [
        pytest.param("127.0.0.1:{port}", True, id="ipv4"),
        pytest.param("localhost:{port}", True, id="localhost"),
        pytest.param("LocalHost", True, id="no-port-any-case"),
        pytest.param("[::1]:{port}", True, id="ipv6"),
        pytest.param("mybox.local:{port}", True, id="allowed"),
        pytest.param("[::2]", True, id="allowed-ipv6"),
        pytest.param("evil.example:{port}", False, id="rebinding"),
        pytest.param("localhost.evil.example", False, id="suffix"),
        pytest.param("127.0.0.1.evil.example:{port}", False, id="prefix"),
        pytest.param("[::1].evil", False, id="ipv6-suffix"),
        pytest.param("localhost:1:evil", False, id="two-ports"),
    ],
)
def test_only_the_hosts_it_was_started_for_are_answered(root: Path, host: str, answered: bool) -> None:
    with serving(root, allow_hosts=["mybox.local", "::2"]) as dav:
        for method, depth in (("PUT", "0"), ("PROPFIND", "1"), ("GET", "0")):
            status, _headers, data = dav.send(method, "/dav/x.txt", b"", host=host.format(port=dav.port), Depth=depth)
            if answered:
                assert status in (201, 204, 207, 200), data
            else:
                assert status == 421, data
                assert b"answers for" in data
    assert not answered or (root / "x.txt").exists()


@given(host=st.from_regex(r"\A[a-z0-9.\-\[\]:]{1,40}\Z"))
def test_any_other_host_is_421(shared: Server, host: str) -> None:
    name = host.rpartition(":")[0] if ":" in host and not host.endswith("]") else host
    if name.lower() in ("127.0.0.1", "localhost", "[::1]"):
        return
    status, _, _ = shared.send("PROPFIND", "/dav/", b"", host=host, Depth="0")
    assert status == 421, host


def test_files_are_served_sandboxed(dav: Server) -> None:
    page = b"<script>fetch('/dav/', {method: 'DELETE'})</script>"
    assert dav.send("PUT", "/dav/evil.html", page)[0] == 201
    for path in ("/dav/evil.html", "/dav/"):
        status, headers, _ = dav.send("GET", path)
        assert status == 200
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in headers["Content-Security-Policy"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]


# -- F: a resource that vanishes mid-listing is simply not listed ----------------------------
def test_listings_racing_moves_and_deletes_never_answer_5xx(root: Path, dav: Server) -> None:
    for i in range(4):
        (root / "m1" / f"d{i}" / "e").mkdir(parents=True)
        for j in range(4):
            (root / "m1" / f"d{i}" / "e" / f"f{j}.txt").write_bytes(b"x")
    statuses: list[int] = []
    done = threading.Event()

    def mover() -> None:
        try:
            for i in range(200):
                a, b = ("m1", "m2") if i % 2 == 0 else ("m2", "m1")
                statuses.append(dav.send("MOVE", f"/dav/{a}/", Destination=f"/dav/{b}/")[0])
                if i % 20 == 0:
                    statuses.append(dav.send("PUT", "/dav/gone.txt", b"x")[0])
                    statuses.append(dav.send("DELETE", "/dav/gone.txt")[0])
        finally:
            done.set()

    thread = threading.Thread(target=mover)
    thread.start()
    listings = 0
    while not done.is_set():
        for path, depth in (("/dav/", "infinity"), ("/dav/m1/", "1"), ("/dav/m2/d0/", "infinity")):
            statuses.append(dav.send("PROPFIND", path, b"", Depth=depth)[0])
            statuses.append(dav.send("GET", path.replace("/dav/", "/dav/m1/", 1) + "d1/e/f0.txt")[0])
            listings += 1
    thread.join(60)
    assert listings > 10
    assert all(s < 500 for s in statuses), sorted(set(statuses))
    assert set(statuses) <= {200, 201, 204, 207, 404}


# -- G: trees deeper than Python's recursion limit ------------------------------------------
def make_chain(top: Path, levels: int, name: str = "d") -> None:
    """*levels* nested folders *name* under *top*, a file at the bottom, made without long paths."""
    top.mkdir()
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            below = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = below
        leaf = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"deep")
        os.close(leaf)
    finally:
        os.close(fd)


def chain_depth(top: Path) -> int:
    levels = 0
    while (top / "d").is_dir():
        top, levels = top / "d", levels + 1
    return levels if (top / "bottom.txt").read_bytes() == b"deep" else -1


@pytest.mark.slow
@pytest.mark.parametrize("levels", [1, 2, 1200])
def test_copy_propfind_and_delete_of_a_deep_tree(root: Path, levels: int) -> None:
    make_chain(root / "deep", levels)
    with serving(root, max_resources=5000) as dav:
        assert dav.proppatch(f"/dav/deep/{'d/' * levels}bottom.txt", "<Z:own>bottom</Z:own>")[0] == 207
        status, _, data = dav.send("COPY", "/dav/deep/", Destination="/dav/copy/")
        assert status == 201, data
        assert chain_depth(root / "copy") == levels
        status, doc = dav.propfind("/dav/copy/", "infinity")
        assert status == 207
        assert doc is not None
        assert len(doc.responses) == levels + 2
        assert dead(doc)[f"/dav/copy/{'d/' * levels}bottom.txt"] == "bottom"
        for path in ("/dav/deep/", "/dav/copy/"):
            status, _, data = dav.send("DELETE", path)
            assert status == 204, data
    assert os.listdir(root) == []


@pytest.mark.slow
def test_a_deep_delete_that_fails_below_answers_207_with_only_the_failure(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_chain(root / "deep", 1200)
    (root / "side.txt").write_bytes(b"")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "bottom.txt":
            raise PermissionError("no")
        real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with serving(root) as dav:
        status, _, data = dav.send("DELETE", "/dav/deep/")
    assert status == 207, data
    doc = ms.from_xml(data)
    assert [(r.href, r.status.code if r.status else 0) for r in doc] == [(f"/dav/deep/{'d/' * 1200}bottom.txt", 403)]
    assert chain_depth(root / "deep") == 1200  # (its ancestors stay: 424, not listed)


# -- H: names the file system cannot take ----------------------------------------------------
NAME_MAX = 255
byte_names = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b and b"\\" not in b)


@settings(max_examples=25)  # (each example is a dozen requests to the server)
@given(name=byte_names.filter(lambda b: b not in (b".", b"..")))
@example(name=b"caf\xe9.txt")
@example(name=b"\xff\xfe")
def test_any_name_in_the_folder_is_listed_and_addressed_by_its_bytes(shared: Server, name: bytes) -> None:
    base = fresh(shared)
    folder = shared.root / base.strip("/").removeprefix("dav/")
    with open(os.fsencode(folder) + b"/" + name, "wb") as f:
        f.write(b"content")
    status, doc = shared.propfind(base, "1")
    assert status == 207
    assert doc is not None
    href = base + quote(name)
    assert [r.href for r in doc] == [base, href]
    assert shared.send("GET", href)[2] == b"content"
    assert shared.send("GET", base)[0] == 200
    assert shared.proppatch(href, "<Z:own>x</Z:own>")[0] == 207
    assert dead(shared.propfind(base, "1")[1]) == {base: None, href: "x"}
    assert shared.send("COPY", href, Destination=base + "copy")[0] == 201
    assert dead(shared.propfind(base + "copy", "0")[1]) == {base + "copy": "x"}
    assert shared.send("MOVE", base + "copy", Destination=href + "2")[0] == 201
    for path in (href, href + "2"):
        assert shared.send("DELETE", path)[0] == 204
    assert os.listdir(folder) == []


@settings(max_examples=25)  # (each example is seven requests to the server)
@given(length=st.integers(NAME_MAX - 3, NAME_MAX + 60))
@example(length=NAME_MAX)
@example(length=NAME_MAX + 1)
def test_a_name_over_name_max_is_414_for_every_method(shared: Server, length: int) -> None:
    base = fresh(shared)
    name = quote("é" * (length // 2) + "x" * (length % 2))  # (length bytes in UTF-8)
    fits = length <= NAME_MAX
    for method, body, ok in (
        ("PUT", b"x", 201),
        ("PROPFIND", b"", 207),
        ("GET", None, 200),
        ("PROPPATCH", b"<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop><o/></D:prop></D:set></D:propertyupdate>", 207),
        ("DELETE", None, 204),
        ("MKCOL", None, 201),
    ):
        status, _, data = shared.send(method, base + name, body, Depth="0")
        assert status == (ok if fits else 414), (method, data)
    status, _, data = shared.send("COPY", base, Destination=base + name + "/x")
    assert status == 403 if not fits else status in (201, 403), data


def test_a_path_over_path_max_is_414(dav: Server) -> None:
    path = "/dav/" + "/".join(["s" * 200] * 21)
    for method in ("PUT", "MKCOL", "GET", "PROPFIND", "DELETE"):
        assert dav.send(method, path)[0] == 414
    assert dav.send("MKCOL", "/dav/ok/")[0] == 201
    assert dav.send("COPY", "/dav/ok/", Destination=path)[0] == 403


@pytest.mark.slow
def test_a_tree_reaching_past_path_max_on_disk_answers_no_5xx(root: Path) -> None:
    # 42 levels of 100-byte names: 4,242 bytes of path below the folder, more than PATH_MAX (4,096).
    # (How deep a tree may be is the business of test_copy_propfind_and_delete_of_a_deep_tree.)
    make_chain(root / "deep", 42, "d" * 100)
    with serving(root, max_resources=5000) as dav:
        status, doc = dav.propfind("/dav/deep/", "infinity")
        assert status == 207
        assert doc is not None
        assert 30 < len(doc.responses) < 42  # (what lies beyond PATH_MAX is not listed)
        assert dav.send("COPY", "/dav/deep/", Destination="/dav/copy/")[0] == 207
        assert dav.send("DELETE", "/dav/copy/")[0] in (204, 207)
        assert dav.send("DELETE", "/dav/deep/")[0] == 207
