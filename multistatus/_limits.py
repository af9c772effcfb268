"""Bounds on what a parser accepts, so hostile input costs bounded time and space."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_DOCUMENT_DEPTH",
    "MAX_NESTING",
    "Limits",
    "depth_limit",
    "retention_seconds",
    "value_depth",
]

#: The deepest nesting of one value: XML content (an :class:`~multistatus.Element`
#: tree) or a JSON value (``body``, problem members).  Deeper values are refused
#: when built, so that every operation on a value (``==``, ``repr``, ``hash``,
#: ``pickle``, ``copy.deepcopy``, the writers) stays within Python's recursion
#: limit and every reader (libxml2 refuses more than 256 levels) reads it back.
MAX_NESTING = 64
#: The deepest document any reader accepts, whatever :attr:`Limits.max_depth`
#: says: a value nested :data:`MAX_NESTING` levels plus the envelope around it
#: (multistatus, response, propstat, prop, property, and room for wrappers).
MAX_DOCUMENT_DEPTH = MAX_NESTING + 8


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits applied while parsing; exceeding one raises :class:`~multistatus.LimitExceeded`.

    ``None`` switches a limit off.  The defaults take every real server response
    the project has seen with a wide margin while refusing bodies built to
    exhaust memory.  The streaming parser :func:`~multistatus.iter_xml` applies
    ``max_bytes`` to the whole stream too; raise it (or pass ``None``) for
    million-response listings.

    Attributes:
        max_bytes: size of the encoded body (default 128 MiB).
        max_depth: element nesting depth, root included (default 72, the hard
            cap :data:`MAX_DOCUMENT_DEPTH`, so every document the model can
            hold reads back); a larger value or ``None`` leaves that cap.
        max_responses: ``DAV:response`` elements in one document (default 1,000,000).
        max_propstats: ``DAV:propstat`` elements in one response (default 1,000).
        max_properties: properties in one response, over all propstats (default 10,000).
        max_hrefs: ``DAV:href`` elements in one response (default 10,000).

    Example:
        >>> import multistatus as ms
        >>> strict = ms.Limits(max_bytes=1024, max_responses=10)
        >>> ms.from_xml(b"<D:multistatus xmlns:D='DAV:'/>", limits=strict).responses
        ()
    """

    max_bytes: int | None = 128 * 1024 * 1024
    max_depth: int | None = 72  # MAX_DOCUMENT_DEPTH: everything the model accepts reads back
    max_responses: int | None = 1_000_000
    max_propstats: int | None = 1_000
    max_properties: int | None = 10_000
    max_hrefs: int | None = 10_000

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 1):
                raise ValueError(f"Limits.{name} must be a positive int or None, not {value!r}")


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def value_depth(depth: int, max_depth: int) -> int:
    """The depth a reader counts an element of a value at (an element of a property value, an
    extension, an error condition): the document depth *depth*, but never above what leaves the
    value :data:`MAX_NESTING` levels below *max_depth*, so the readers accept exactly the values
    the model's constructors build, however deep in the envelope they sit.

    Example:
        >>> value_depth(6, MAX_DOCUMENT_DEPTH), value_depth(6, 10)
        (9, 6)
    """
    return max(depth, max_depth - MAX_NESTING + 1)


def depth_limit(limits: Limits) -> int:
    """The nesting depth a reader enforces: ``limits.max_depth``, never above :data:`MAX_DOCUMENT_DEPTH`."""
    max_depth = limits.max_depth
    return MAX_DOCUMENT_DEPTH if max_depth is None else min(max_depth, MAX_DOCUMENT_DEPTH)


def retention_seconds(value: object) -> float:
    """How long a store keeps what it holds: a finite number of seconds >= 0 (every store, one rule).

    Raises:
        ValueError: *value* is not a number, or is NaN, infinite or negative (such a
            retention cannot be written in the ``Idempotency-Retention`` field, nor expire).

    Example:
        >>> retention_seconds(86400), retention_seconds(0)
        (86400.0, 0.0)
        >>> retention_seconds(float("nan"))
        Traceback (most recent call last):
        ...
        ValueError: the retention is a finite number of seconds >= 0, not nan
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"the retention is a finite number of seconds >= 0, not {value!r}")
    return float(value)
