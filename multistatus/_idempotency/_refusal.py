"""The refusals of a request because of its key: 400 missing or invalid, 409 in flight, 422 reused.

Each is a :class:`Refusal`: a problem document (draft-ietf-httpapi-idempotency-key-header
§2.7, with its titles and details) answered through :func:`~multistatus.problem_reply`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from .._http import Reply, problem_reply
from .._model import Error, Response

__all__ = ["InFlight", "InvalidKey", "Mismatch", "Missing", "Refusal", "retry_after_of", "short_body"]


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
        b'{"title":"Idempotency-Key is missing","status":400,"detail":"This operation is idempotent and it requires correct usage of Idempotency Key. Send a unique key (a UUID is recommended) in the Idempotency-Key header field."}'
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
        "This operation is idempotent and it requires correct usage of Idempotency Key. Send a unique key"
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


def retry_after_of(lease_left: float) -> int:
    """Whole seconds to wait for a lease with *lease_left* seconds to run (at least 1)."""
    return max(1, math.ceil(lease_left))


def short_body(received: int, length: object) -> str:
    """The detail of a 400 for a keyed request whose body ended before its ``Content-Length``.

    Such a request is answered without claiming its key: the fingerprint of part
    of a body would bind the key to it, and the whole body's retry would be
    refused as a reuse with another payload.

    Example:
        >>> from multistatus._idempotency._refusal import short_body
        >>> short_body(14, "120")
        'The body ended after 14 of its 120 bytes (Content-Length); nothing was run. Send it again whole.'
    """
    return (
        f"The body ended after {received} of its {length} bytes (Content-Length); nothing was run. Send it again whole."
    )
