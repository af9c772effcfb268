"""What is kept of an answer for its replays, and the bytes a store keeps it as.

An :class:`Answer` is the status, the application's own header fields and
the document in its JSON form (``to_json``) or a problem in its
``application/problem+json`` form: never the representation that was sent,
so that a replay is rendered afresh for the ``Accept`` and ``Prefer`` of the
request that asks again.  ``Set-Cookie`` is never kept (a replay must not hand
one client's session to a retry), nor the fields the rendering writes anew.

A batch item's answer is its :class:`~multistatus.Response` in the JSON form of
a one-response document; replayed, it is marked :attr:`~multistatus.Response.replayed`,
which both representations carry (``"replayed": true`` in JSON, ``<ms:replayed/>`` in XML).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from .._json import error_to_dict, from_json, to_json
from .._json._writer import HEAD, response_text
from .._model import Error, MultiStatus, Response
from .._model._response import check_header_field
from .._xml import from_xml

__all__ = [
    "NOT_KEPT",
    "REPLAYED",
    "RETENTION",
    "RETRY_LATER",
    "Answer",
    "decode_response",
    "encode_response",
    "retry_later",
    "sent_answer",
]

#: Header fields never kept for a replay (lower case): cookies, and what the rendering writes anew.
NOT_KEPT = frozenset(
    (
        "set-cookie",
        "set-cookie2",
        "content-type",
        "content-length",
        "content-security-policy",
        "vary",
        "preference-applied",
        "x-content-type-options",
        "idempotent-replayed",
        "idempotency-retention",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "date",
    )
)
#: The header field (and per-item header) that marks a replay, with the value ``true``.
REPLAYED = "Idempotent-Replayed"
#: The header field the middleware sends with every answer under a key: seconds the answer is kept.
RETENTION = "Idempotency-Retention"
_FORMS = ("multistatus", "problem", "empty")
#: Writes the head line of a stored answer (one encoder: ``json.dumps`` with options makes one per call).
_HEAD_LINE = json.JSONEncoder(separators=(",", ":"))
_JSON_HEAD = HEAD.encode("ascii")  # (how to_json starts every document)
#: The readers of the documents an application may have rendered itself, by content type.
_DOCUMENTS: dict[str, Callable[[bytes], MultiStatus]] = {
    "application/json": from_json,
    "application/xml": from_xml,
    "text/xml": from_xml,
}


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer a request gave, as kept for its replays.

    Attributes:
        status: the status code that was sent.
        headers: the application's own header fields, in order, those in
            :data:`NOT_KEPT` (``Set-Cookie`` among them) left out.
        document: the multistatus document's JSON form, or ``None``.
        problem: the problem document's ``application/problem+json`` form, or ``None``.

    Raises:
        ValueError: a bad status or header field, both a document and a problem,
            or a problem that is not a JSON object.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.idempotency import Answer
        >>> a = Answer.of(ms.MultiStatus([ms.Response("/items/1", status=201)]), status=207,
        ...               headers=[("ETag", '"7"'), ("Set-Cookie", "s=1")])
        >>> a.headers, a.document
        ((('ETag', '"7"'),), b'{"responses":[{"href":"/items/1","status":201}],...}')
        >>> Answer.decode(a.encode()) == a
        True
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    document: bytes | None = None
    problem: bytes | None = None

    def __post_init__(self) -> None:
        if type(self.status) is not int or not 100 <= self.status <= 599:
            raise ValueError(f"an answer's status is a code from 100 to 599, not {self.status!r}")
        if self.document is not None and self.problem is not None:
            raise ValueError("an answer has a document or a problem, not both")
        if self.problem is not None and not _json_object(self.problem):
            raise ValueError(
                f"an answer's problem is a JSON object (application/problem+json), not {self.problem[:40]!r}"
            )
        object.__setattr__(self, "headers", kept_headers(self.headers))

    @classmethod
    def of(
        cls,
        value: MultiStatus | Error | None,
        *,
        status: int,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    ) -> Answer:
        """The answer of a request that was answered with *value* (a document, a problem, or nothing).

        Example:
            >>> import multistatus as ms
            >>> from multistatus.idempotency import Answer
            >>> Answer.of(ms.Error(problem={"title": "Conflict", "status": 409}), status=409).problem
            b'{"title":"Conflict","status":409}'
        """
        pairs = tuple(headers.items() if isinstance(headers, Mapping) else headers)
        if isinstance(value, MultiStatus):
            return cls(status, pairs, document=to_json(value))
        if isinstance(value, Error):
            text = json.dumps(error_to_dict(value), ensure_ascii=False, separators=(",", ":"))
            return cls(status, pairs, problem=text.encode("utf-8"))
        if value is None:
            return cls(status, pairs)
        raise TypeError(f"an answer is a MultiStatus, an Error or None, not {type(value).__name__}")

    def encode(self) -> bytes:
        """The bytes a store keeps: a JSON head line (status, headers, form), then the document or problem."""
        form, body = (
            ("multistatus", self.document)
            if self.document is not None
            else ("problem", self.problem)
            if self.problem is not None
            else ("empty", b"")
        )
        head = {"status": self.status, "headers": [list(h) for h in self.headers], "form": form}
        return b"".join((_HEAD_LINE.encode(head).encode("utf-8"), b"\n", body))

    @classmethod
    def decode(cls, data: bytes) -> Answer:
        """The answer :meth:`encode` wrote.

        Raises:
            ValueError: *data* is not what :meth:`encode` writes.
        """
        line, sep, body = bytes(data).partition(b"\n")
        try:
            head = json.loads(line)
            status, headers, form = head["status"], head["headers"], head["form"]
            pairs = tuple((name, value) for name, value in headers)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"not a stored answer: {exc}") from exc
        if not sep or form not in _FORMS:
            raise ValueError("not a stored answer: no form line")
        if form == "multistatus":
            return cls(status, pairs, document=body)
        if form == "problem":
            return cls(status, pairs, problem=body)
        return cls(status, pairs)

    @property
    def doc(self) -> MultiStatus | None:
        """The document (read back from its JSON form), or ``None``."""
        return None if self.document is None else from_json(self.document)


#: The statuses that tell a client to come back later: an answer with one of them is never kept.
RETRY_LATER = frozenset((429, 503))


def retry_later(status: int, headers: Iterable[tuple[str, str]]) -> bool:
    """Whether an answer tells the client to retry later: 429, 503, or any status with ``Retry-After``.

    Such an answer is not the request's result: it is not kept, the key is
    released, and the retry runs (Stripe keeps nothing for a rate-limited request).

    Example:
        >>> from multistatus.idempotency import retry_later
        >>> retry_later(429, []), retry_later(500, [("Retry-After", "5")]), retry_later(422, [])
        (True, True, False)
    """
    return status in RETRY_LATER or any(name.lower() == "retry-after" for name, _ in headers)


def sent_answer(
    status: int,
    headers: Iterable[tuple[str, str]],
    doc: MultiStatus | None,
    body: bytes | None,
    *,
    as_sent: bool = False,
) -> Answer | None:
    """The answer to keep for a response an edge sent, or ``None`` when it cannot be kept.

    *doc* is the document this library rendered for the response (``None`` when
    the application answered with bytes of its own); *body* the bytes sent
    (``None`` when not collected).  A document is kept as its JSON form; bytes the
    application rendered itself are read back (JSON or XML), and a
    problem+json document checked, as a replay would read them: what does not
    read is not kept.  An empty body is kept as it is.  Any other body (the
    application's own representation, HTML) cannot be rendered again for another
    request: ``None``; nor is an answer that says to retry later (:func:`retry_later`).

    *as_sent*: the request had no ``Prefer`` or ``Brief``, so the JSON this
    library sent for *doc* is the document's own JSON form, and those bytes are
    kept as they are instead of being written again.
    """
    pairs = tuple(headers)
    if retry_later(status, pairs):
        return None
    ctype = next((v for k, v in pairs if k.lower() == "content-type"), "").split(";")[0].strip().lower()
    try:
        if doc is not None:
            if as_sent and body and ctype == "application/json" and body.startswith(_JSON_HEAD):
                return Answer(status, pairs, document=body)
            return Answer.of(doc, status=status, headers=pairs)
        if body and ctype in _DOCUMENTS:
            return Answer.of(_DOCUMENTS[ctype](body), status=status, headers=pairs)
        if body is not None and ctype == "application/problem+json":
            return Answer(status, pairs, problem=body)  # (a JSON object, or ValueError)
        if body == b"":
            return Answer(status, pairs)
    except (ValueError, TypeError):  # (not a multistatus or a problem after all; a field that cannot be sent again)
        pass
    return None


def kept_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """*headers* without those in :data:`NOT_KEPT`, each kept one checked so it can be sent again as it is."""
    out = []
    for field in headers:
        if not isinstance(field, tuple) or len(field) != 2:
            raise TypeError(f"header fields are (name, value) pairs, not {field!r}")
        if isinstance(field[0], str) and field[0].lower() in NOT_KEPT:
            continue  # (never sent again: nothing to check)
        check_header_field(*field)
        out.append(field)
    return tuple(out)


def encode_response(response: Response) -> bytes:
    """A batch item's answer as a store keeps it: the JSON form of a one-response document.

    Without the ``summary`` member, which readers ignore (docs/json-format.rst): one
    response's text, written by the same writer as :func:`~multistatus.to_json`.
    """
    return (HEAD + response_text(response) + "]}").encode("utf-8")


def decode_response(data: bytes) -> Response:
    """The item answer :func:`encode_response` wrote, marked :attr:`~multistatus.Response.replayed`."""
    return replace(from_json(data).responses[0], replayed=True)


def _json_object(data: bytes) -> bool:
    """Whether *data* is a JSON object (what a replay reads a problem document as)."""
    try:
        return isinstance(json.loads(data), dict)
    except (ValueError, RecursionError):  # (not JSON, not UTF-8, nested past the parser's depth)
        return False
