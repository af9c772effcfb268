"""The WebDAV demo's class 2 and conditional requests: LOCK, UNLOCK, the ``If`` family of headers, 423.

Before a request is handled, :meth:`Class2.guard` evaluates its conditional
header fields against the target (RFC 9110 §13.2.2, RFC 4918 §10.4, through
:func:`~multistatus.webdav.evaluate_conditions`: 412, or 304 for GET and HEAD)
and checks that a request changing a locked resource submitted a token of
each lock in the way (RFC 4918 §7: 423 ``DAV:lock-token-submitted`` naming
the lock roots).  What a request changes: its target (and for DELETE and
MOVE everything below it), and, when it adds or removes a member, the
collection above it (a ``Depth: 0`` lock protects a collection's members).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from werkzeug.wrappers import Request

from .._http._reply import Reply
from ..webdav import (
    LOCK_TOKEN_MATCHES_REQUEST_URI,
    LOCK_TOKEN_SUBMITTED,
    NO_CONFLICTING_LOCK,
    ActiveLock,
    ResourceState,
    condition,
    evaluate_conditions,
    lock_conflict,
    lock_reply,
    locks_without_token,
    new_lock_token,
    parse_destination,
    parse_lock_depth,
    parse_lock_token,
    parse_lockinfo,
    parse_timeout,
    stat_etag,
)
from ..wsgi import respond_problem
from ._davfs import read_body, write_file
from ._davlocks import LockStore
from ._davstore import NameTooLong

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

    from ._davsync import ChangeLog

__all__ = ["TOKENS", "Class2"]

#: The environ key of the lock tokens a request's ``If`` header submitted.
TOKENS = "multistatus.demo.dav.tokens"
#: Methods that add or remove a member of the collection above their target (when they create or delete).
_MEMBERSHIP = frozenset({"PUT", "MKCOL", "DELETE", "MOVE", "COPY", "LOCK"})


def _parent(rel: str) -> str | None:
    return rel.rpartition("/")[0] if rel else None


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


class Class2:
    """Locks and conditions; mixed into the demo's request handlers (which set the attributes below)."""

    locks: LockStore
    changes: ChangeLog
    max_body_bytes: int

    def locate(self, url_path: str) -> tuple[Path, str] | None:  # pragma: no cover - (the handlers' own)
        raise NotImplementedError

    def href(self, rel: str, is_dir: bool) -> str:  # pragma: no cover - (the handlers' own)
        raise NotImplementedError

    # -- the state of a resource ----------------------------------------------------------
    def state(self, target: Path, rel: str) -> ResourceState:
        """The target as the conditions see it: exists, strong ETag (files), modification time, and its
        state tokens: the covering locks' and, for a collection, its ``DAV:sync-token`` (RFC 6578 §5)."""
        tokens = [lock.token for lock in self.locks.covering(rel)]
        try:
            st = target.stat()
        except OSError:  # (an unmapped URL, or a name the file system cannot take)
            return ResourceState(exists=False, lock_tokens=tokens)
        if target.is_dir():
            tokens.append(self.changes.token())
            return ResourceState(exists=True, last_modified=int(st.st_mtime), lock_tokens=tokens)
        return ResourceState(exists=True, etag=stat_etag(st), last_modified=int(st.st_mtime), lock_tokens=tokens)

    def _lookup(self, request: Request, tag: str) -> ResourceState | None:
        """The state of the resource a tagged ``If`` list names (``None``: not one of this server's)."""
        try:
            dest = parse_destination(tag, request.url)
            located = self.locate(dest.path) if dest.same_server else None
        except (ValueError, NameTooLong):
            return None
        return self.state(*located) if located is not None else None

    def _destination(self, request: Request) -> tuple[Path, str] | None:
        try:
            dest = parse_destination(request.headers.get("Destination"), request.url)
            return self.locate(dest.path) if dest.same_server else None
        except (ValueError, NameTooLong):
            return None  # (the handler answers it)

    def _in_the_way(self, method: str, target: Path, rel: str, request: Request) -> list[list[ActiveLock]]:
        """The groups of locks a *method* on *target* must hold a token of (one token per group)."""
        groups: list[list[ActiveLock]] = []

        def changes(path: Path, path_rel: str, *, tree: bool, member: bool) -> None:
            groups.append(self.locks.covering(path_rel))
            if tree:
                by_root: dict[str, list[ActiveLock]] = {}
                for lock in self.locks.below(path_rel):
                    by_root.setdefault(lock.root, []).append(lock)
                groups.extend(by_root.values())
            parent = _parent(path_rel)
            if member and parent is not None:
                groups.append(self.locks.covering(parent))

        exists = _exists(target)
        if method in ("PUT", "MKCOL", "PROPPATCH"):
            changes(target, rel, tree=False, member=method in _MEMBERSHIP and not exists)
        elif method in ("DELETE", "MOVE"):
            changes(target, rel, tree=True, member=True)
        elif method == "LOCK" and not exists:
            changes(target, rel, tree=False, member=True)
            groups.pop(0)  # (the target's own locks are LOCK's conflicts, not tokens to hold)
        if method in ("COPY", "MOVE") and (dest := self._destination(request)) is not None:
            dest_path, dest_rel = dest
            changes(dest_path, dest_rel, tree=_exists(dest_path), member=True)
        return [group for group in groups if group]

    def guard(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes] | None:
        """The answer that stops the request (304, 412, 423), or ``None`` to handle it.

        Keeps the tokens the ``If`` header submitted in ``environ[TOKENS]``.
        """
        environ = request.environ
        method = request.method
        state = self.state(target, rel)
        evaluation = evaluate_conditions(method, request.headers, state, lookup=lambda t: self._lookup(request, t))
        environ[TOKENS] = evaluation.tokens
        if evaluation.status == 304:
            start_response("304 Not Modified", [("ETag", state.etag)] if state.etag else [])
            return []
        if evaluation.status is not None:
            detail = f"the {evaluation.field} condition does not hold"
            return respond_problem(environ, start_response, 412, detail=detail)
        if method in ("GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT", "UNLOCK"):
            return None
        missing: list[ActiveLock] = []
        submitted = frozenset(evaluation.tokens)  # (once: the groups x the tokens would be quadratic)
        for group in self._in_the_way(method, target, rel, request):
            missing.extend(locks_without_token(group, submitted))
        if missing:
            roots = list(dict.fromkeys(lock.root for lock in missing))
            detail = "the resource is locked: submit the lock token in an If header"
            return respond_problem(
                environ, start_response, 423, detail=detail, conditions=[condition(LOCK_TOKEN_SUBMITTED, roots)]
            )
        return None

    # -- LOCK and UNLOCK ------------------------------------------------------------------
    def do_lock(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        """LOCK (RFC 4918 §9.10): a new lock, a refresh (no body), or the lock of an unmapped URL (§7.3)."""
        environ = request.environ
        info = parse_lockinfo(read_body(request, self.max_body_bytes))
        timeout = parse_timeout(request.headers.get("Timeout"))
        if info is None:  # a refresh: the If header names the lock (§9.10.2)
            submitted = set(environ.get(TOKENS, ()))
            named = [lock for lock in self.locks.covering(rel) if lock.token in submitted]
            if not named:
                detail = "a LOCK without a body refreshes a lock of this resource named in the If header"
                return respond_problem(environ, start_response, 412, detail=detail)
            self.locks.refresh(named[0].token, timeout)
            refreshed = self.locks.covering(rel)
            lock = next(lock for lock in refreshed if lock.token == named[0].token)
            return _send(lock_reply(lock, refreshed=True), start_response)
        depth: Literal["0", "infinity"] = "0" if parse_lock_depth(request.headers.get("Depth")) == "0" else "infinity"
        overlapping = self.locks.covering(rel) + (self.locks.below(rel) if depth == "infinity" else [])
        conflict = lock_conflict(info.scope, overlapping)
        if conflict is not None:
            return respond_problem(
                environ,
                start_response,
                423,
                detail=f"the resource is already locked ({conflict.scope})",
                conditions=[condition(NO_CONFLICTING_LOCK, [conflict.root])],
            )
        created = not _exists(target)
        if created:
            if not target.parent.is_dir():
                return respond_problem(environ, start_response, 409, detail="the parent collection does not exist")
            write_file(target, iter(()))  # (an empty resource, RFC 4918 §7.3)
            self.changes.record([rel])
        lock = ActiveLock(new_lock_token(), self.href(rel, target.is_dir()), info.scope, depth, timeout, info.owner)
        self.locks.add(rel, lock)
        return _send(lock_reply(lock, created=created), start_response)

    def do_unlock(self, request: Request, start_response: StartResponse, target: Path, rel: str) -> Iterable[bytes]:
        """UNLOCK (RFC 4918 §9.11): the lock named by ``Lock-Token`` must cover the Request-URI (else 409)."""
        environ = request.environ
        token = parse_lock_token(request.headers.get("Lock-Token"))
        if token not in {lock.token for lock in self.locks.covering(rel)}:
            return respond_problem(
                environ,
                start_response,
                409,
                detail="no lock with that token covers this resource",
                conditions=[LOCK_TOKEN_MATCHES_REQUEST_URI],
            )
        self.locks.remove(token)
        start_response("204 No Content", [("Content-Length", "0")])
        return []


def _send(reply: Reply, start_response: StartResponse) -> list[bytes]:
    start_response(reply.status_line, list(reply.headers))
    return [reply.body]
