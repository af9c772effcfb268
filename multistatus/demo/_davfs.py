"""The WebDAV demo's file-system side: request bodies read in bounded pieces, trees walked without recursion.

Every tree operation works on an explicit stack, so a folder nested thousands
of levels deep costs memory, not Python's recursion limit.  A resource that
vanishes while it is being listed (another request moved or deleted it) is
simply not listed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .._exceptions import LimitExceeded

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from ._davstore import Folder

__all__ = ["Entry", "body_chunks", "copy_tree", "read_body", "remove_tree", "walk", "write_file"]

#: How much of a body is read at a time.
PIECE = 64 * 1024
#: ``href(rel, is_dir)``: the href of a relative path.
Href = Callable[[str, bool], str]


# -- bodies ---------------------------------------------------------------------------
def body_chunks(request: Request, limit: int) -> Iterator[bytes]:
    """The body of *request* in pieces of at most :data:`PIECE` bytes, never more than *limit* in all.

    The count runs over what is read, whatever the framing (``Content-Length``
    or chunked), so a body is refused at the limit, not after it was read.

    Raises:
        LimitExceeded: the body is longer than *limit* bytes (status hint 413).
    """
    declared = request.content_length
    if declared is not None and declared > limit:
        raise LimitExceeded(f"the body is over {limit} bytes")
    stream = request.stream  # (Content-Length or wsgi.input_terminated bound it; else it is empty)
    total = 0
    while chunk := stream.read(min(PIECE, limit + 1 - total)):
        total += len(chunk)
        if total > limit:
            raise LimitExceeded(f"the body is over {limit} bytes")
        yield chunk


def read_body(request: Request, limit: int) -> bytes:
    """The whole body of *request*, read by :func:`body_chunks` (so at most *limit* bytes)."""
    return b"".join(body_chunks(request, limit))


def write_file(target: Path, chunks: Iterator[bytes]) -> None:
    """Write *chunks* to *target*: into a new file beside it, renamed over it only once all is written.

    A body refused halfway (or any other failure) leaves no file behind, and an
    existing *target* unchanged.
    """
    temp = target.parent / f".put-{secrets.token_hex(8)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        if target.exists():
            shutil.copymode(target, temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# -- listing --------------------------------------------------------------------------
class Entry(NamedTuple):
    """One resource of a listing: its path, its relative path, its ``os.stat`` result, whether it is a symbolic link."""

    path: str
    rel: str
    st: os.stat_result
    link: bool

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.st.st_mode)


def _child(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def walk(folder: Folder, top: Entry, depth: int | None, most: int | None = None) -> list[Entry] | None:
    """*top* and the resources below it, down to *depth* levels (``None``: all), or ``None`` when over *most*.

    Level by level, sorted by name; each folder is read with one
    :func:`os.scandir`, each member costs one ``stat`` (its
    :class:`os.DirEntry`'s).  *top* was confined to the folder when its URL was
    located, and a member that is not a symbolic link is inside its parent, so
    only a symbolic link is resolved: it is listed when it points inside the
    folder, and never descended into.  An entry that cannot be read (gone
    since its folder was read) is left out.  *most* (``None``: no limit) counts
    every resource listed, *top* included.
    """
    out = [top]
    level = [top]
    rounds = 0
    while level and (depth is None or rounds < depth):
        rounds += 1
        nxt: list[Entry] = []
        for parent in level:
            if not parent.is_dir or parent.link:
                continue
            try:
                with os.scandir(parent.path) as it:
                    children = sorted(it, key=_name)
            except OSError:  # (gone, or no longer a folder)
                continue
            for child in children:
                try:
                    link = child.is_symlink()
                    if link and not folder.holds(child.path):
                        continue  # a symbolic link pointing out of the folder
                    st = child.stat()
                except OSError:  # (gone since the folder was read, or a link to nothing)
                    continue
                nxt.append(Entry(child.path, _child(parent.rel, child.name), st, link))
            if most is not None and len(out) + len(nxt) > most:
                return None
        out.extend(nxt)
        level = nxt
    return out


# -- DELETE and COPY --------------------------------------------------------------------
def remove_tree(top: Path, rel: str, href: Href) -> tuple[list[str], dict[str, int]]:
    """Delete *top* (a tree, members first, symbolic links not followed).

    Returns:
        The relative paths removed, and the status of each member that could
        not go (a collection that kept a member is ``424``, which
        :func:`~multistatus.webdav.collection_failures` leaves out).
    """
    removed: list[str] = []
    failures: dict[str, int] = {}
    kept: set[str] = set()  # collections that keep a member
    stack: list[tuple[Path, str, bool]] = [(top, rel, False)]
    while stack:
        path, path_rel, emptied = stack.pop()
        is_dir = emptied
        status = 0
        try:
            if emptied and path_rel in kept:
                status = 424
            elif emptied:
                path.rmdir()
            elif stat.S_ISDIR(path.lstat().st_mode):
                is_dir = True
                names = sorted(p.name for p in path.iterdir())
                stack.append((path, path_rel, True))
                stack.extend((path / n, _child(path_rel, n), False) for n in reversed(names))
                continue
            else:
                path.unlink()
        except FileNotFoundError:
            pass  # (gone already: as good as removed)
        except OSError:
            status = 403
        if status:
            failures[href(path_rel, is_dir)] = status
            kept.add(path_rel.rpartition("/")[0])
        else:
            removed.append(path_rel)
    return removed, failures


def copy_tree(
    source: Path, dest: Path, rels: tuple[str, str], href: Href, *, members: bool = True
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Copy *source* to *dest* (a new name); a collection with its *members* (else empty, ``Depth: 0``).

    *rels* are the relative paths of *source* and *dest*.  A member that is a
    symbolic link is copied as a link.

    Returns:
        The ``(source, copy)`` relative paths copied, and the status of each
        destination member that could not be made (nothing below it was tried).
    """
    pairs: list[tuple[str, str]] = []
    failures: dict[str, int] = {}
    stack = [(source, dest, *rels)]
    while stack:
        src, dst, src_rel, dst_rel = stack.pop()
        is_dir = False
        try:
            if src != source and src.is_symlink():
                os.symlink(os.readlink(src), dst)
            elif src.is_dir():
                is_dir = True
                dst.mkdir()
                names = sorted(p.name for p in src.iterdir()) if members else []
                stack.extend((src / n, dst / n, _child(src_rel, n), _child(dst_rel, n)) for n in reversed(names))
            else:
                shutil.copy2(src, dst)
        except OSError:
            failures[href(dst_rel, is_dir)] = 403
            continue
        pairs.append((src_rel, dst_rel))
    return pairs, failures
