"""The exception tree of multistatus.

Every error the library raises on purpose derives from :class:`MultiStatusError`,
which carries a suggested HTTP status for servers that turn the error into a
response (``status_hint``, like h11's ``error_status_hint``)::

    MultiStatusError
     ├── ParseError (also ValueError)            a body could not be read
     │    ├── LimitExceeded                       a size/depth/count limit was hit
     │    └── ValidationError                     strict mode: RFC violations found
     └── ...                                      (more in later modules)

Third-party errors (lxml, json) are re-raised as these, with the original kept as
``__cause__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._validate import Violation

__all__ = ["LimitExceeded", "MultiStatusError", "ParseError", "ValidationError"]


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
