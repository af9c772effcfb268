"""Generate PROPFIND-style multistatus documents for the XML benchmarks.

Each response has an href with percent-encoded non-ASCII, one 200 propstat with
8 ``DAV:`` properties (resourcetype, getetag, getlastmodified, ...) and a
custom-namespace property holding nested XML; every third response also has a
404 propstat.  Two spellings: ``prefix`` (``D:`` everywhere, as Apache and
SabreDAV write) and ``default`` (``xmlns="DAV:"``, as IIS and Exchange write).

The text is produced piece by piece, so a million-response document can be
written to disk without holding it: ``python bench/gen.py 1000000 out.xml``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

NS = "http://example.com/ns"
VARIANTS = ("prefix", "default")


def _response(i: int, d: str) -> str:
    collection = i % 10 == 0
    name = f"Ordner-{i}" if collection else f"Datei-{i}.txt"
    href = f"/dav/files/j%C3%BCrgen/Gr%C3%BC%C3%9Fe%20{i // 100}/{name}{'/' if collection else ''}"
    rtype = f"<{d}resourcetype><{d}collection/></{d}resourcetype>" if collection else f"<{d}resourcetype/>"
    ok = (
        f"<{d}propstat><{d}prop>"
        f"{rtype}"
        f"<{d}displayname>{name}</{d}displayname>"
        f'<{d}getetag>"{i:08x}-5a1b"</{d}getetag>'
        f"<{d}getlastmodified>Mon, 12 Jan 1998 09:25:56 GMT</{d}getlastmodified>"
        f"<{d}creationdate>1997-12-01T17:42:21-08:00</{d}creationdate>"
        f"<{d}getcontentlength>{i * 17}</{d}getcontentlength>"
        f"<{d}getcontenttype>text/plain; charset=utf-8</{d}getcontenttype>"
        f"<{d}getcontentlanguage>de</{d}getcontentlanguage>"
        f'<X:meta><X:tag kind="color">r&amp;d</X:tag><X:owner><X:name>Jürgen</X:name></X:owner></X:meta>'
        f"</{d}prop><{d}status>HTTP/1.1 200 OK</{d}status></{d}propstat>"
    )
    missing = ""
    if i % 3 == 0:
        missing = (
            f"<{d}propstat><{d}prop><{d}quota-used-bytes/><X:color/></{d}prop>"
            f"<{d}status>HTTP/1.1 404 Not Found</{d}status></{d}propstat>"
        )
    return f"<{d}response><{d}href>{href}</{d}href>{ok}{missing}</{d}response>"


def pieces(n: int, variant: str = "prefix") -> Iterator[str]:
    """The document text in pieces: head, one piece per response, tail."""
    if variant == "prefix":
        d, root = "D:", f'<D:multistatus xmlns:D="DAV:" xmlns:X="{NS}">'
    else:
        d, root = "", f'<multistatus xmlns="DAV:" xmlns:X="{NS}">'
    yield '<?xml version="1.0" encoding="utf-8"?>\n' + root
    for i in range(n):
        yield _response(i, d)
    yield f"</{d}multistatus>"


def document(n: int, variant: str = "prefix") -> bytes:
    """The whole document as bytes."""
    return "".join(pieces(n, variant)).encode("utf-8")


def write(n: int, path: str, variant: str = "prefix") -> int:
    """Write the document to *path* piece by piece; returns its size in bytes."""
    size = 0
    with open(path, "wb") as f:
        buffer: list[str] = []
        for piece in pieces(n, variant):
            buffer.append(piece)
            if len(buffer) >= 1000:
                size += f.write("".join(buffer).encode("utf-8"))
                buffer.clear()
        size += f.write("".join(buffer).encode("utf-8"))
    return size


if __name__ == "__main__":
    count, out = int(sys.argv[1]), sys.argv[2]
    print(f"{write(count, out, sys.argv[3] if len(sys.argv) > 3 else 'prefix'):,} bytes")
