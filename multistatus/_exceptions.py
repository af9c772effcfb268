"""The exception tree of multistatus.

Every error the library raises on purpose derives from :class:`MultiStatusError`,
which carries a suggested HTTP status for servers that turn the error into a
response (``status_hint``, like h11's ``error_status_hint``)::

    MultiStatusError                       status_hint
     ├── ParseError (also ValueError)        400   a body could not be read
     │    ├── LimitExceeded                  413   a size/depth/count limit was hit
     │    ├── UnsupportedMediaType           415   a body of a type the reader does not take
     │    ├── ValidationError                400   strict mode: RFC violations found
     │    ├── ConditionFailed                403   a request body breaks a named WebDAV precondition
     │    └── NotMultiStatus                 400   a response carried something else
     │                                             (an error page, a DAV:error, a problem)
     ├── NotAcceptable                       406   strict negotiation found nothing acceptable
     ├── FailedItems                         502   raise_for_failures(): some items failed
     ├── JobTimeout (also TimeoutError)      504   wait_for_job(): the job did not end in time
     └── FetchFailed (also OSError)          502   a URL gave no usable HTTP answer

Every class of the tree lives in this module (a test checks the drawing
against the classes).

Third-party errors (lxml, json) are re-raised as these, with the original kept as
``__cause__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ._model import Error, MultiStatus, Response
    from ._xml import Violation

__all__ = [
    "ConditionFailed",
    "FailedItems",
    "FetchFailed",
    "JobTimeout",
    "LimitExceeded",
    "MultiStatusError",
    "NotAcceptable",
    "NotMultiStatus",
    "ParseError",
    "UnsupportedMediaType",
    "ValidationError",
]


class MultiStatusError(Exception):
    """Base class of every error raised by multistatus.

    Attributes:
        status_hint: the HTTP status a server would answer when this error is
            caused by a request body (400 unless a subclass says otherwise).

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.from_xml(b"<nope/>")
        ... except ms.MultiStatusError as exc:
        ...     exc.status_hint
        400
    """

    status_hint: int = 400


class ParseError(MultiStatusError, ValueError):
    """A document could not be parsed: malformed, hostile or not a multistatus.

    The message says what was wrong and where.  The location is also available
    as attributes so programs can point at the problem.

    Attributes:
        line: 1-based line number in the XML input, when known.
        column: 1-based column in the XML input, when known.
        path: element path (``/D:multistatus/D:response[2]/D:status``) for XML,
            or a JSON pointer (``/responses/1/status``) for JSON, when known.

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.from_xml(b"<D:multistatus xmlns:D='DAV:'><D:response>")
        ... except ms.ParseError as exc:
        ...     print(exc.line)
        1
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.path:
            where.append(f"at {self.path}")
        if self.line is not None:
            pos = f"line {self.line}"
            if self.column is not None:
                pos += f", column {self.column}"
            where.append(pos)
        if where:
            return f"{self.message} ({'; '.join(where)})"
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.line, self.column, self.path))


def _rebuild(cls: type[ParseError], message: str, line: int | None, column: int | None, path: str | None) -> ParseError:
    return cls(message, line=line, column=column, path=path)


class LimitExceeded(ParseError):
    """The input went over a configured limit (size, depth, count).

    Servers should answer 413 for an oversized request body.

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.from_xml(b"<D:multistatus xmlns:D='DAV:'/>", limits=ms.Limits(max_bytes=10))
        ... except ms.LimitExceeded as exc:
        ...     print(exc.status_hint)
        413
    """

    status_hint = 413


class UnsupportedMediaType(ParseError):
    """A request body whose ``Content-Type`` says it is not what the reader takes.

    Servers answer 415 (RFC 9110 §15.5.16).  A body with no ``Content-Type``
    at all is read as what the reader expects.

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.read_batch(b"[1]", content_type="text/plain")
        ... except ms.UnsupportedMediaType as exc:
        ...     print(exc.status_hint, exc)
        415 the request body must be JSON (application/json), not text/plain

    .. versionadded:: 0.1.0
    """

    status_hint = 415


class ValidationError(ParseError):
    """Strict parsing found RFC 4918 violations; ``violations`` lists them all.

    Example:
        >>> import multistatus as ms
        >>> body = (b"<D:multistatus xmlns:D='DAV:'>"
        ...         b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
        ...         b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
        ...         b"</D:multistatus>")
        >>> try:
        ...     ms.from_xml(body, strict=True)
        ... except ms.ValidationError as exc:
        ...     print(exc.violations[0].code)
        duplicate-href
    """

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        first = self.violations[0]
        more = len(self.violations) - 1
        message = f"{first.code}: {first.message}"
        if more:
            message += f" (and {more} more violation{'s' if more > 1 else ''})"
        super().__init__(message, line=first.line, path=first.path)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.violations,))


class ConditionFailed(ParseError):
    """A well-formed request body that breaks a precondition WebDAV names (RFC 4918 §16).

    Answer it with a ``DAV:error`` holding :attr:`condition` and the status
    hint (403 unless the condition says otherwise), as
    ``webdav.error_reply(exc.status_hint, exc.condition, detail=str(exc))`` does:
    a REPORT the server does not know (``DAV:supported-report``), a
    ``CALDAV:time-range`` that is not a UTC date-time (``CALDAV:valid-filter``).

    Attributes:
        condition: the Clark name of the condition element.

    Example:
        >>> import multistatus as ms
        >>> from multistatus import webdav
        >>> try:
        ...     webdav.parse_report(b'<x:mine xmlns:x="urn:example"/>')
        ... except ms.ConditionFailed as exc:
        ...     print(exc.status_hint, exc.condition)
        403 {DAV:}supported-report

    .. versionadded:: 0.1.0
    """

    status_hint = 403

    def __init__(
        self,
        message: str,
        condition: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        self.condition = condition
        super().__init__(message, line=line, column=column, path=path)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_condition, (self.message, self.condition, self.line, self.column, self.path))


def _rebuild_condition(
    message: str, condition: str, line: int | None, column: int | None, path: str | None
) -> ConditionFailed:
    return ConditionFailed(message, condition, line=line, column=column, path=path)


class NotMultiStatus(ParseError):
    """The HTTP response does not carry a multistatus: an error page, a ``DAV:error``, a problem.

    Raised by :func:`from_response` and :func:`from_body` when the body is
    something else than a ``DAV:multistatus`` document: an HTML error page, a
    ``DAV:error`` document with preconditions (RFC 4918 §16), an RFC 9457
    problem (``application/problem+json``), a ``DAV:prop`` answering a LOCK,
    or no body at all.  It is a :class:`ParseError` (and so a ``ValueError``).

    Attributes:
        status: the HTTP status code of the response, when known.
        content_type: the ``Content-Type`` the server sent (``None`` if absent).
        error: the parsed :class:`Error`: the conditions of a ``DAV:error``
            document, or the members of a problem; ``None`` for other bodies.
        detail: a short human text from the body (an HTML page's title and
            text, a problem's detail), or ``None``.
        headers: the response's header fields, names in lower case (set by
            :func:`from_response` and :func:`from_async_response`; empty from
            :func:`from_body`), so that a whole-request 429 or 503 can be retried
            by its ``Retry-After`` (:func:`retry_after` takes the exception).

    Example:
        >>> import multistatus as ms
        >>> body = b'<D:error xmlns:D="DAV:"><D:lock-token-submitted/></D:error>'
        >>> try:
        ...     ms.from_body(body, "application/xml", status=423)
        ... except ms.NotMultiStatus as exc:
        ...     print(exc.status, exc.error.condition_names)
        423 ('{DAV:}lock-token-submitted',)

    .. versionchanged:: 0.1.0
       ``headers``.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        content_type: str | None = None,
        error: Error | None = None,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.content_type = content_type
        self.error = error
        self.detail = detail
        self.headers: Mapping[str, str] = {k.lower(): v for k, v in (headers or {}).items()}
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_not_multistatus,
            (self.message, self.status, self.content_type, self.error, self.detail, dict(self.headers)),
        )


def _rebuild_not_multistatus(
    message: str,
    status: int | None,
    content_type: str | None,
    error: Error | None,
    detail: str | None,
    headers: Mapping[str, str] | None = None,
) -> NotMultiStatus:
    return NotMultiStatus(
        message, status=status, content_type=content_type, error=error, detail=detail, headers=headers
    )


class NotAcceptable(MultiStatusError):
    """No offered representation is acceptable to the client (strict negotiation).

    Attributes:
        available: the media types the server could have sent, in its order.
        status_hint: 406.

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.negotiate("image/png", strict=True)
        ... except ms.NotAcceptable as exc:
        ...     exc.status_hint, exc.available[:2]
        (406, ('application/xml', 'application/json'))
    """

    status_hint = 406

    def __init__(self, accept: str, available: Sequence[str]) -> None:
        self.accept = accept
        self.available = tuple(available)
        super().__init__(f"nothing in Accept: {accept!r} is available; available: {', '.join(self.available)}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.accept, self.available))


class FailedItems(MultiStatusError):
    """Some items of a multistatus failed; raised by :meth:`MultiStatus.raise_for_failures <multistatus.MultiStatus.raise_for_failures>`.

    The message lists every failed item (up to 50, then a count); all of them
    are in :attr:`failures`.

    Attributes:
        failures: the failed responses, in document order.
        document: the whole :class:`MultiStatus`, to look at the rest.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201),
        ...                       ms.Response("/items/2", status=409, id="2")])
        >>> try:
        ...     doc.raise_for_failures()
        ... except ms.FailedItems as exc:
        ...     print(exc)
        1 of 2 items failed: item 2 (/items/2) 409
    """

    status_hint = 502

    def __init__(self, failures: Iterable[Response], document: MultiStatus, message: str | None = None) -> None:
        self.failures = tuple(failures)
        self.document = document
        if message is None:
            total = len(document.responses)
            message = f"{len(self.failures)} of {total} item{'s' if total != 1 else ''} failed"
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.failures, self.document, self.message))


class JobTimeout(MultiStatusError, TimeoutError):
    """A job did not end within the time :func:`~multistatus.wait_for_job` was given.

    Attributes:
        last: the monitor's last document (the items finished so far, the job's state).

    Example:
        >>> import multistatus as ms
        >>> last = ms.MultiStatus(job=ms.JobStatus("running", 3, 10))
        >>> str(ms.JobTimeout("the job did not end within 5 s", last)), isinstance(ms.JobTimeout("", last), TimeoutError)
        ('the job did not end within 5 s', True)
    """

    status_hint = 504

    def __init__(self, message: str, last: MultiStatus) -> None:
        self.last = last
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.last))


class FetchFailed(MultiStatusError, OSError):
    """A URL gave no usable HTTP answer: refused, timed out, unknown host, TLS, a redirect not followed.

    Raised where the library fetches a URL itself with urllib: :func:`~multistatus.wait_for_job`
    polling a job's monitor, :func:`~multistatus.send_batch` without a client of the
    user's, ``multistatus inspect URL``.  An answer with a 4xx or 5xx status is an
    answer, not this error.

    Example:
        >>> import multistatus as ms
        >>> try:
        ...     ms.wait_for_job("ftp://example.com/jobs/1")
        ... except ms.FetchFailed as exc:
        ...     str(exc), isinstance(exc, OSError), exc.status_hint
        ("GET 'ftp://example.com/jobs/1': only http:// and https:// URLs are fetched", True, 502)
    """

    status_hint = 502
