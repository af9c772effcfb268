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
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from .._http import Reply, ServeOptions, problem_reply, read_problem, reply
from .._model import Error, MultiStatus, Response
from .._model._frozen import thaw_json
from ._answer import REPLAYED, Answer
from ._key import fingerprint, parse_key, store_key
from ._store import DEFAULT_LEASE, Store

__all__ = ["Idempotency", "InFlight", "InvalidKey", "Mismatch", "Missing", "Outcome", "Refusal", "Replay", "Run"]

_REPLAYED_FIELD = (REPLAYED, "true")


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
            and self.store.complete(self.key, self.owner, answer.encode())
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """A request refused because of its key: a problem document with :attr:`status`.

    The kinds are the subclasses :class:`Missing`, :class:`InvalidKey` (400),
    :class:`InFlight` (409) and :class:`Mismatch` (422); their titles and
    details follow draft-ietf-httpapi-idempotency-key-header §2.7.

    Attributes:
        type: the URI of the endpoint's idempotency policy (the problem ``type``
            and a ``Link: <...>; rel="describedby"``), or ``None``.

    Example:
        >>> from multistatus.idempotency import Idempotency, MemoryStore, Missing
        >>> refused = Idempotency(MemoryStore(), required=True).begin("POST", "/batch", key=None)
        >>> isinstance(refused, Missing)
        True
        >>> r = refused.reply(accept="application/json")
        >>> r.status, r.header("content-type")
        (400, 'application/problem+json')
        >>> r.body
        b'{"title":"Idempotency-Key is missing","status":400,"detail":"This operation is idempotent and it requires correct usage of Idempotency Key: send a unique key (a UUID is recommended) in the Idempotency-Key header field."}'
    """

    status: ClassVar[int] = 400
    title: ClassVar[str] = ""
    DETAIL: ClassVar[str] = ""

    type: str | None = None

    @property
    def detail(self) -> str:
        """What this occurrence is about."""
        return self.DETAIL

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait before a retry (409 only), or ``None``."""
        return None

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The header fields sent with the problem: ``Retry-After``, ``Link`` to the policy."""
        fields = []
        if self.retry_after is not None:
            fields.append(("Retry-After", str(self.retry_after)))
        if self.type is not None:
            fields.append(("Link", f'<{self.type}>; rel="describedby"'))
        return tuple(fields)

    def reply(
        self,
        *,
        accept: str | None = None,
        method: str | None = None,
        content_type: str | None = None,
        default: str | None = None,
    ) -> Reply:
        """The problem answer, negotiated (see :func:`~multistatus.problem_reply`), with ``Retry-After`` and ``Link``."""
        return problem_reply(
            self.status, title=self.title, detail=self.detail, type=self.type, accept=accept, method=method,
            content_type=content_type, default=default, headers=self.headers,
        )  # fmt: skip

    def response(self, href: str, *, id: str | None = None) -> Response:  # noqa: A002 - the JSON member is "id"
        """This refusal as one item's response of a batch (the problem in ``error``, ``retry-after`` in ``headers``).

        Example:
            >>> from multistatus.idempotency import InFlight
            >>> r = InFlight(wait=3).response("/items/1", id="1")
            >>> r.status.code, r.headers["retry-after"], r.error.problem["title"]
            (409, '3', 'A request is outstanding for this Idempotency-Key')
        """
        problem: dict[str, object] = {} if self.type is None else {"type": self.type}
        problem.update(title=self.title, status=self.status, detail=self.detail)
        headers = {} if self.retry_after is None else {"retry-after": str(self.retry_after)}
        return Response(href, status=self.status, id=id, error=Error((), problem), headers=headers)


@dataclass(frozen=True, slots=True, kw_only=True)
class Missing(Refusal):
    """400: the endpoint requires an ``Idempotency-Key`` and the request has none (draft §2.7).

    Example:
        >>> from multistatus.idempotency import Missing
        >>> Missing().status, Missing().title
        (400, 'Idempotency-Key is missing')
    """

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Idempotency-Key is missing"
    DETAIL: ClassVar[str] = (
        "This operation is idempotent and it requires correct usage of Idempotency Key: send a unique key"
        " (a UUID is recommended) in the Idempotency-Key header field."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class InvalidKey(Refusal):
    """400: the ``Idempotency-Key`` is malformed; :attr:`reason` says how (draft Security Considerations).

    Example:
        >>> from multistatus.idempotency import InvalidKey
        >>> InvalidKey(reason="an Idempotency-Key cannot be empty").detail
        'an Idempotency-Key cannot be empty'
    """

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Idempotency-Key is invalid"

    reason: str = "an Idempotency-Key is 1 to 255 visible ASCII characters"

    @property
    def detail(self) -> str:
        """The reason."""
        return self.reason


@dataclass(frozen=True, slots=True, kw_only=True)
class Mismatch(Refusal):
    """422: the key was used before with a different payload (draft §2.7).

    Example:
        >>> from multistatus.idempotency import Mismatch
        >>> Mismatch().status, Mismatch().title
        (422, 'Idempotency-Key is already used')
    """

    status: ClassVar[int] = 422
    title: ClassVar[str] = "Idempotency-Key is already used"
    DETAIL: ClassVar[str] = (
        "This operation is idempotent and it requires correct usage of Idempotency Key."
        " Idempotency Key MUST not be reused across different payloads of this operation."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class InFlight(Refusal):
    """409: the first request with the key is still being processed; retry after :attr:`retry_after` seconds (draft §2.7).

    Example:
        >>> from multistatus.idempotency import InFlight
        >>> InFlight(wait=5).status, InFlight(wait=5).headers
        (409, (('Retry-After', '5'),))
    """

    status: ClassVar[int] = 409
    title: ClassVar[str] = "A request is outstanding for this Idempotency-Key"
    DETAIL: ClassVar[str] = (
        "A request with the same Idempotency-Key for the same operation is being processed or is outstanding."
    )

    wait: int = 1

    @property
    def retry_after(self) -> int:
        """Seconds to wait before a retry."""
        return self.wait


#: What :meth:`Idempotency.begin` returns.
Outcome = Run | Replay | Refusal


def retry_after_of(lease_left: float) -> int:
    """Whole seconds to wait for a lease with *lease_left* seconds to run (at least 1)."""
    return max(1, math.ceil(lease_left))


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

    def __post_init__(self) -> None:
        if not (isinstance(self.lease, (int, float)) and self.lease > 0):
            raise ValueError(f"the lease is a positive number of seconds, not {self.lease!r}")
        object.__setattr__(self, "methods", frozenset(m.upper() for m in self.methods))
        object.__setattr__(self, "include", tuple(self.include))

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
