"""Recording one item: what :meth:`Results.succeeded`, :meth:`Results.failed` and :class:`Item` build."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._model import Element, Error, Response, Status

if TYPE_CHECKING:
    import logging

__all__ = ["Failure", "Item", "failed", "succeeded"]


def logger() -> logging.Logger:
    # (imported when a handler fails: import multistatus does not pay for logging)
    import logging

    return logging.getLogger("multistatus")


#: A PROPPATCH failure: a status, or a status with the ``DAV:error`` to report.
Failure = int | Status | tuple[int | Status, Error]


def _http_date(text: str) -> bool:
    import email.utils  # (only for a Retry-After given as a date: it pulls in socket and datetime)

    return email.utils.parsedate_tz(text) is not None


def _retry_after(value: int | str) -> str:
    if type(value) is int:
        if value < 0:
            raise ValueError(f"retry_after must not be negative, not {value}")
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() or (text and _http_date(text)):
            return text
        raise ValueError(f"retry_after {value!r} is neither delay-seconds nor an HTTP-date")
    raise TypeError(f"retry_after must be int seconds or an HTTP-date str, not {type(value).__name__}")


def succeeded(
    href: str,
    status: int | Status,
    *,
    id: str | None,  # noqa: A002
    location: str | None,
    headers: Mapping[str, str] | None,
    body: object,
) -> Response:
    st = status if status.__class__ is Status else Status.of(status)
    if not 200 <= st.code < 300:
        raise ValueError(f"succeeded() needs a 2xx status, not {st.code}; use failed()")
    return Response(href, status=st, id=id, location=location, headers=headers, body=body)


def failed(
    href: str,
    status: int | Status,
    *,
    code: str | None = None,
    message: str | None = None,
    type: str | None = None,  # noqa: A002
    title: str | None = None,
    detail: str | None = None,
    retry_after: int | str | None = None,
    id: str | None = None,  # noqa: A002
    conditions: Iterable[Element | str] = (),
    headers: Mapping[str, str] | None = None,
    body: object = None,
) -> Response:
    st = Status.of(status)
    if not st.is_error:
        raise ValueError(f"failed() needs a 4xx or 5xx status, not {st.code}; use succeeded()")
    problem = {}
    for key, value in (("type", type), ("title", title), ("detail", detail), ("code", code), ("message", message)):
        if value is not None:
            problem[key] = value
    error = Error(conditions, problem)
    if headers is None and retry_after is None:
        return Response(href, status=st, error=error or None, id=id, body=body)
    merged = dict(headers or {})
    if retry_after is not None:
        if any(name.lower() == "retry-after" for name in merged):
            raise ValueError("give Retry-After as retry_after= or in headers=, not both")
        merged["retry-after"] = _retry_after(retry_after)
    return Response(href, status=st, error=error or None, id=id, headers=merged, body=body)


class Item:
    """The handle :meth:`Results.item` yields: record exactly one result for one item.

    Example:
        >>> import multistatus as ms
        >>> results = ms.Results()
        >>> with results.item("/items/1", id="1") as item:
        ...     _ = item.succeeded(status=201, location="/items/1")
        >>> results.responses[0].status
        Status(201)
    """

    __slots__ = ("_href", "_id", "_result")

    def __init__(self, href: str, id: str | None) -> None:  # noqa: A002
        self._href = href
        self._id = id
        self._result: Response | None = None

    def _record(self, response: Response) -> Response:
        if self._result is not None:
            raise RuntimeError(f"a result for {self._href!r} was already recorded")
        self._result = response
        return response

    def record_success(
        self,
        *,
        status: int | Status = 200,
        location: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = None,
    ) -> Response:
        """Record success; same arguments as :meth:`Results.record_success` without href and id."""
        return self._record(succeeded(self._href, status, id=self._id, location=location, headers=headers, body=body))

    def record_failure(self, *, status: int | Status, **kwargs: Any) -> Response:
        """Record failure; same arguments as :meth:`Results.record_failure` without href and id."""
        if "id" in kwargs:
            raise TypeError("give the id to Results.item(), not to record_failure()")
        return self._record(failed(self._href, status, id=self._id, **kwargs))

    #: The earlier spelling of :meth:`record_success`, kept one release.
    succeeded = record_success
    #: The earlier spelling of :meth:`record_failure`, kept one release.
    failed = record_failure
