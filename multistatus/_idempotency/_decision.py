"""The decision for one request with an ``Idempotency-Key``: run it, replay its answer, or refuse.

:meth:`Idempotency.begin` reads the key, fingerprints the request, claims the
key in the store, and returns one of (draft-ietf-httpapi-idempotency-key-header
§2.6 "Idempotency Enforcement", §2.7 "Error Handling")::

    Run          the key is claimed (or there is none and none is required): run the
                 request, then Run.complete(answer) (or Run.release() to let a retry run it)
    Replay       the key's request completed: send Replay.reply(...) (Idempotent-Replayed: true)
    InFlight     409, with Retry-After: the key's first request is still running
    Mismatch     422: the key was used with another payload
    Missing      400: the endpoint requires a key and there is none
    InvalidKey   400: the key is not 1 to 255 visible ASCII characters

The refusals are :class:`Refusal` values: :meth:`Refusal.reply` answers with a
problem document through :func:`~multistatus.problem_reply` (negotiated
``application/problem+json``, ``application/problem+xml`` or ``DAV:error``).
Edges (middleware, framework helpers) call :meth:`~Idempotency.begin` and act
on the outcome; nothing here reads a socket.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._http import Reply, ServeOptions, problem_reply, read_problem, reply
from .._limits import retention_seconds
from .._model import MultiStatus
from .._model._frozen import thaw_json
from ._answer import REPLAYED, Answer
from ._key import fingerprint, parse_key, store_key
from ._refusal import InFlight, InvalidKey, Mismatch, Missing, Refusal, retry_after_of
from ._store import DEFAULT_LEASE, Store

__all__ = ["Idempotency", "Outcome", "Replay", "Run"]

_REPLAYED_FIELD = (REPLAYED, "true")
#: The largest body the middleware reads to fingerprint a request, by default (bytes).
DEFAULT_MAX_BODY = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Run:
    """Run the request: its key is claimed for it (or it has no key and needs none).

    Attributes:
        store: the store holding the claim (``None`` when nothing was claimed).
        key: the store key claimed, or ``None``.
        owner: this request's owner token.
        lease: the lease in seconds.
        fingerprint: the request's fingerprint.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.idempotency import Answer, Idempotency, MemoryStore
        >>> idem = Idempotency(MemoryStore())
        >>> run = idem.begin("POST", "/batch", key='"k-1"', body=b"[]")
        >>> run.claimed, run.complete(Answer.of(ms.MultiStatus(), status=207))
        (True, True)
    """

    store: Store | None
    key: str | None
    owner: str
    lease: float
    fingerprint: str

    @property
    def claimed(self) -> bool:
        """A key was claimed: :meth:`complete` keeps the answer for replays."""
        return self.key is not None

    def complete(self, answer: Answer) -> bool:
        """Keep *answer* for the replays of this key.

        Returns:
            ``True`` when kept; ``False`` when nothing was claimed or the lease
            lapsed (another request may have the key now: its answer stands).
        """
        return (
            self.store is not None
            and self.key is not None
            and self.store.complete(self.key, self.fingerprint, self.owner, answer.encode())
        )

    def release(self) -> bool:
        """Give the key up without an answer (e.g. the request failed before doing anything): a retry runs."""
        return self.store is not None and self.key is not None and self.store.release(self.key, self.owner)

    def extend(self, lease: float | None = None) -> bool:
        """Renew the lease for *lease* seconds (the original lease when ``None``), if still held."""
        if self.store is None or self.key is None:
            return False
        return self.store.extend(self.key, self.owner, self.lease if lease is None else lease)


@dataclass(frozen=True, slots=True)
class Replay:
    """The key's request completed: answer with what it answered.

    Attributes:
        answer: the stored :class:`Answer` (status, the application's header fields, the document).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.idempotency import Answer, Idempotency, MemoryStore
        >>> idem = Idempotency(MemoryStore())
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201)])
        >>> idem.begin("POST", "/batch", key="k-1").complete(Answer.of(doc, status=201))
        True
        >>> again = idem.begin("POST", "/batch", key="k-1")
        >>> r = again.reply(accept="application/xml", policy="collapse-uniform")
        >>> r.status, r.header("Idempotent-Replayed"), again.doc == doc
        (201, 'true', True)
    """

    answer: Answer

    @property
    def status(self) -> int:
        """The status the first answer was sent with."""
        return self.answer.status

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The application's header fields of the first answer (never ``Set-Cookie``)."""
        return self.answer.headers

    @property
    def document(self) -> bytes | None:
        """The document's JSON form, or ``None``."""
        return self.answer.document

    @property
    def doc(self) -> MultiStatus | None:
        """The document (:class:`~multistatus.MultiStatus`) read back, or ``None``."""
        return self.answer.doc

    def reply(
        self,
        *,
        accept: str | None = None,
        prefer: str | None = None,
        brief: str | None = None,
        method: str | None = None,
        content_type: str | None = None,
        options: ServeOptions | None = None,
        **settings: object,
    ) -> Reply:
        """The replay rendered for *this* request's ``Accept`` and ``Prefer``, marked ``Idempotent-Replayed: true``.

        A document is rendered by :func:`~multistatus.reply` (so its status follows the
        endpoint's policy and the new ``Prefer``, as the first answer's did); a problem by
        :func:`~multistatus.problem_reply` with the first status; no body: the first status.
        The application's kept header fields follow the rendered ones.
        """
        answer = self.answer
        tail = (*answer.headers, _REPLAYED_FIELD)
        doc = answer.doc
        if doc is not None:
            r = reply(
                doc, accept=accept, prefer=prefer, brief=brief, method=method, content_type=content_type,
                options=options, **settings,
            )  # fmt: skip
            return Reply(r.status, (*r.headers, *tail), r.body)
        if answer.problem is not None:
            error = read_problem(json.loads(answer.problem), status=answer.status)
            members = thaw_json(error.problem)
            default = settings.get("default", options.default if options is not None else None)
            return problem_reply(
                answer.status,
                title=members.pop("title", None),
                detail=members.pop("detail", None),
                type=members.pop("type", None),
                accept=accept,
                method=method,
                content_type=content_type,
                default=default if isinstance(default, str) else None,
                conditions=error.conditions,
                headers=tail,
                **{k: v for k, v in members.items() if k != "status"},
            )
        return Reply(answer.status, tail, b"")


#: What :meth:`Idempotency.begin` returns.
Outcome = Run | Replay | Refusal


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The idempotency settings of an endpoint, and the decision for each request (:meth:`begin`).

    Args:
        store: where keys, leases and answers are kept (:mod:`multistatus.idempotency`).
        lease: seconds a claim lasts: longer than the slowest request, or extend it.
        required: a request of one of *methods* without a key is refused with 400.
        methods: the methods that take a key (others always run, unclaimed).
        include: the request header fields that count in the fingerprint.
        header: the request header field carrying the key (what edges read).
        member: the member of a batch item carrying its own key.
        policy: the URI of the endpoint's idempotency policy (problem ``type``, ``Link``).
        scope: for the middleware: a function of the request (the WSGI environ, the
            ASGI scope) that says who is asking, e.g. the account id; ``None``: everyone
            shares one key space.  :meth:`begin` takes the scope itself as a string.
        max_body: the largest request body the middleware reads to fingerprint
            (bytes); a larger one is answered 413.

    How long answers are kept is the store's setting (``retention=`` of
    :class:`~multistatus.idempotency.SQLiteStore` and the others), read back as
    :attr:`retention`.

    Example:
        >>> from multistatus.idempotency import Idempotency, MemoryStore, Run
        >>> idem = Idempotency(MemoryStore(), lease=10.0)
        >>> first = idem.begin("POST", "/batch", key='"abc"', body=b"[1]")
        >>> type(first).__name__, idem.begin("POST", "/batch", key='"abc"', body=b"[1]").status
        ('Run', 409)
        >>> idem.begin("POST", "/batch", key='"abc"', body=b"[2]").status
        422
    """

    store: Store
    lease: float = DEFAULT_LEASE
    required: bool = False
    methods: frozenset[str] = frozenset(("POST", "PATCH"))
    include: tuple[str, ...] = ()
    header: str = "Idempotency-Key"
    member: str = "idempotency_key"
    policy: str | None = None
    scope: Callable[[Any], str] | None = None
    max_body: int = DEFAULT_MAX_BODY

    def __post_init__(self) -> None:
        if not (isinstance(self.lease, (int, float)) and self.lease > 0):
            raise ValueError(f"the lease is a positive number of seconds, not {self.lease!r}")
        retention_seconds(getattr(self.store, "retention", None))  # (a store of the application's own too)
        if type(self.max_body) is not int or self.max_body < 0:
            raise ValueError(f"max_body is a number of bytes, not {self.max_body!r}")
        if self.scope is not None and not callable(self.scope):
            raise TypeError(f"scope is a function of the request, not {type(self.scope).__name__}")
        object.__setattr__(self, "methods", frozenset(m.upper() for m in self.methods))
        object.__setattr__(self, "include", tuple(self.include))

    @property
    def retention(self) -> float:
        """Seconds a completed answer is kept: the store's ``retention``.

        Example:
            >>> from multistatus.idempotency import Idempotency, MemoryStore
            >>> Idempotency(MemoryStore(retention=3600)).retention
            3600.0
        """
        return float(self.store.retention)

    def begin(
        self,
        method: str,
        target: str,
        *,
        key: str | None,
        body: bytes = b"",
        content_type: str | None = None,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        scope: str = "",
    ) -> Outcome:
        """Decide what to do with a request: see the module docstring for the outcomes.

        Args:
            method: the request method.
            target: the path and query.
            key: the ``Idempotency-Key`` field value as received, or ``None``.
            body: the body bytes.
            content_type: the ``Content-Type`` field value.
            headers: the request's header fields (only those in *include* are read).
            scope: who is asking (the application's function of the request, e.g. the
                account id): one scope never sees another's keys or answers.

        Returns:
            :class:`Run`, :class:`Replay` or a :class:`Refusal`.
        """
        owner = secrets.token_hex(16)
        if method.upper() not in self.methods or (key is None and not self.required):
            return Run(None, None, owner, self.lease, "")
        if key is None:
            return Missing(type=self.policy)
        try:
            parsed = parse_key(key)
        except ValueError as exc:
            return InvalidKey(reason=str(exc), type=self.policy)
        fp = fingerprint(method, target, body, content_type, headers, include=self.include)
        skey = store_key("r", scope, parsed)
        claim = self.store.claim(skey, fp, owner, self.lease)
        if claim.won:
            return Run(self.store, skey, owner, self.lease, fp)
        if claim.fingerprint != fp:
            return Mismatch(type=self.policy)
        if claim.answer is None:
            return InFlight(wait=retry_after_of(claim.lease_left), type=self.policy)
        return Replay(Answer.decode(claim.answer))
