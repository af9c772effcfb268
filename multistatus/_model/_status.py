"""HTTP status lines <-> :class:`Status` values (RFC 9110 §15, RFC 4918 §11).

The reason phrases come from the library's own table so that output does not
change with the Python version (``http.HTTPStatus`` renamed 413 and 422 in 3.13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["REASONS", "Status", "parse_status_line", "reason_phrase"]

#: Canonical reason phrases (RFC 9110, RFC 4918, RFC 6585 and friends).
REASONS: dict[int, str] = {
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    208: "Already Reported",
    226: "IM Used",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    417: "Expectation Failed",
    421: "Misdirected Request",
    422: "Unprocessable Content",
    423: "Locked",
    424: "Failed Dependency",
    425: "Too Early",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",
    507: "Insufficient Storage",
    508: "Loop Detected",
    510: "Not Extended",
    511: "Network Authentication Required",
}

# Older names that real servers still send; they count as canonical so that
# "413 Request Entity Too Large" does not become a custom reason.
_ALIASES: dict[int, frozenset[str]] = {
    413: frozenset({"Request Entity Too Large", "Payload Too Large"}),
    414: frozenset({"Request-URI Too Long", "Request-URI Too Large"}),
    416: frozenset({"Requested Range Not Satisfiable"}),
    422: frozenset({"Unprocessable Entity"}),
}

_BAD_REASON = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# "HTTP/1.1 200 OK", "HTTP/2 200", "HTTP/0.0 200", "200", "HTTP/1.1 424 (status)"
_STATUS_LINE = re.compile(r"(?:HTTP/\d+(?:\.\d+)?[ \t]+)?(\d{3})(?:[ \t]+(.*))?", re.ASCII | re.DOTALL)


def reason_phrase(code: int) -> str:
    """Return the canonical reason phrase for *code* ("" when unknown).

    Example:
        >>> reason_phrase(424)
        'Failed Dependency'
    """
    return REASONS.get(code, "")


@dataclass(frozen=True, slots=True, eq=False)
class Status:
    """An HTTP status as used in ``DAV:status`` (RFC 4918 §14.28).

    ``reason`` is kept only when it differs from the canonical phrase, so
    ``Status(200, "OK") == Status(200)``.  Codes outside 100-599 are refused.
    A status compares equal to its code, as :class:`http.HTTPStatus` does
    (``Status(422) == 422``); two statuses are equal when code and reason are.

    Args:
        code: the three-digit status code.
        reason: a non-canonical reason phrase, if the server sent one.

    Example:
        >>> Status(404)
        Status(404)
        >>> str(Status(424, "(status)"))
        'HTTP/1.1 424 (status)'
        >>> Status(207).phrase
        'Multi-Status'
        >>> Status(422) == 422, Status(424, "(status)") == 424
        (True, True)
    """

    code: int
    reason: str | None = None

    def __post_init__(self) -> None:
        code = self.code
        if type(code) is not int:  # bool is an int subclass: refuse it too
            raise TypeError(f"status code must be an int, not {type(code).__name__}")
        if not 100 <= code <= 599:
            raise ValueError(f"status code {code} is outside 100-599")
        reason = self.reason
        if reason is not None:
            if not isinstance(reason, str):
                raise TypeError(f"reason must be a str, not {type(reason).__name__}")
            if _BAD_REASON.search(reason):
                raise ValueError(f"reason phrase must be one line of printable text: {reason!r}")
            reason = " ".join(reason.split())
            if not reason or reason == REASONS.get(code) or reason in _ALIASES.get(code, ()):
                object.__setattr__(self, "reason", None)
            elif reason != self.reason or self.reason.__class__ is not str:  # (the joined one: a str itself)
                object.__setattr__(self, "reason", reason)

    @classmethod
    def of(cls, value: int | str | Status) -> Status:
        """Coerce an int, a status line or a :class:`Status` into a :class:`Status`.

        Example:
            >>> Status.of(201), Status.of("HTTP/1.1 423 Locked")
            (Status(201), Status(423))
        """
        if isinstance(value, Status):
            return value
        if isinstance(value, str):
            return parse_status_line(value)
        if type(value) is not int:
            raise TypeError(f"a status must be an int, a status line or a Status, not {type(value).__name__}")
        return _cached(value)

    @property
    def phrase(self) -> str:
        """The reason phrase to show (the custom one, else the canonical one)."""
        return self.reason if self.reason is not None else REASONS.get(self.code, "")

    @property
    def is_success(self) -> bool:
        """True for 2xx statuses.

        Example:
            >>> Status(204).is_success, Status(424).is_success
            (True, False)
        """
        return 200 <= self.code < 300

    @property
    def is_error(self) -> bool:
        """True for 4xx and 5xx statuses."""
        return self.code >= 400

    def line(self) -> str:
        """The ``DAV:status`` text, ``HTTP/1.1 <code> <phrase>``.

        Example:
            >>> Status(507).line()
            'HTTP/1.1 507 Insufficient Storage'
        """
        phrase = self.phrase
        return f"HTTP/1.1 {self.code} {phrase}" if phrase else f"HTTP/1.1 {self.code}"

    __str__ = line

    def __int__(self) -> int:
        return self.code

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Status):
            return self.code == other.code and self.reason == other.reason
        if isinstance(other, int) and not isinstance(other, bool):
            return self.code == other  # (http.HTTPStatus is an int too)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.code)  # (equal to its code, so it hashes like it)

    def __repr__(self) -> str:
        if self.reason is None:
            return f"Status({self.code})"
        return f"Status({self.code}, {self.reason!r})"


_CACHE: dict[int, Status] = {}


def _cached(code: int) -> Status:
    status = _CACHE.get(code)
    if status is None:
        status = Status(code)
        if code in REASONS:
            _CACHE[code] = status
    return status


def parse_status_line(text: str) -> Status:
    """Parse a ``DAV:status`` line leniently.

    Accepts ``HTTP/1.1 200 OK``, ``HTTP/1.0 200``, ``HTTP/0.0 200``,
    ``HTTP/2 200``, a bare ``200`` and surrounding whitespace.

    Raises:
        ValueError: when no three-digit status code can be found.

    Example:
        >>> parse_status_line("  HTTP/1.1 424 (status) ")
        Status(424, '(status)')
        >>> parse_status_line("HTTP/2 200")
        Status(200)
    """
    match = _STATUS_LINE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an HTTP status line: {text.strip()[:80]!r}")
    code = int(match.group(1))
    reason = match.group(2)
    if not reason:
        return Status.of(code)
    reason = " ".join(reason.split())
    cached = _CACHE.get(code)
    if cached is not None and reason == REASONS.get(code):
        return cached
    return Status(code, reason)
