"""Acting on a parsed multistatus: when to retry, which items to retry, which response is whose.

Pure functions over the model (no I/O).  Grouping failures and raising them
are methods of :class:`~multistatus.MultiStatus` (``_model/_grouping.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, TypeVar

from .._hrefs import key_parts, same_href
from .._model import MultiStatus, Response
from ._headers import header_value

__all__ = ["DEFAULT_RETRYABLE", "RetryPlan", "parse_retry_after", "retry_after", "retry_plan", "split_self"]

T = TypeVar("T")

#: Statuses worth retrying unchanged: 408, 425, 429, and every 5xx except 501
#: Not Implemented and 505 HTTP Version Not Supported (they will not change).
DEFAULT_RETRYABLE: frozenset[int] = frozenset({408, 425, 429} | set(range(500, 600)) - {501, 505})

_MAX_LISTED = 50


def retry_after(response: object, *, now: datetime | None = None) -> float | None:
    """Seconds to wait before retrying *response*, from its ``Retry-After`` header.

    *response* is an item's :class:`Response`, a whole HTTP response (requests,
    httpx, urllib, aiohttp: anything with ``headers``), or a
    :class:`~multistatus.NotMultiStatus` raised for one.  Takes both forms of
    RFC 9110 §10.2.3: delay-seconds and an HTTP-date (a date in the past means
    no wait).  A value that is neither is ignored.

    Args:
        response: a response of a REST batch, an HTTP response, or a NotMultiStatus.
        now: the current time for HTTP-dates (default: the clock, UTC).

    Returns:
        The delay in seconds, or ``None`` when the response has no usable value.

    Example:
        >>> import multistatus as ms
        >>> from datetime import datetime, timezone
        >>> ms.retry_after(ms.Response("/a", status=429, headers={"Retry-After": "30"}))
        30.0
        >>> later = ms.Response("/b", status=503, headers={"retry-after": "Wed, 21 Oct 2026 07:28:30 GMT"})
        >>> ms.retry_after(later, now=datetime(2026, 10, 21, 7, 28, tzinfo=timezone.utc))
        30.0
        >>> class Whole:  # a requests or httpx response answering a whole batch with 429
        ...     status_code = 429
        ...     headers = {"Retry-After": "2"}
        >>> ms.retry_after(Whole())
        2.0
    """
    if isinstance(response, Response):
        value = response.headers.get("retry-after")
    else:
        value = header_value(response, "retry-after")
    return parse_retry_after(value, now=now)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` field value (delay-seconds or an HTTP-date), or ``None``."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit() and value.isascii():
        return float(int(value[:12]))
    if len(value) > 64:  # (no HTTP-date is that long)
        return None
    try:
        import email.utils  # (only for a Retry-After given as a date)

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True, slots=True)
class RetryPlan(Generic[T]):
    """What to send again, and when: the result of :func:`retry_plan`.

    A plan is true when there is something to retry.

    Attributes:
        items: the items of the original request to send again, in request order.
        delay: seconds to wait first: the largest ``retry-after`` among them (0.0 if none).
        responses: the responses that made each item retryable, parallel to ``items``.
        missing: request items the multistatus says nothing about (a server that
            truncated its answer; RFC 4918 does not promise one response per item).
            They are not in ``items``: decide yourself.

    Example:
        >>> import multistatus as ms
        >>> plan = ms.RetryPlan(items=("b",), delay=2.0, responses=(ms.Response("/b", status=503),), missing=())
        >>> bool(plan), plan.items
        (True, ('b',))
    """

    items: tuple[T, ...]
    delay: float
    responses: tuple[Response, ...]
    missing: tuple[T, ...]

    def __bool__(self) -> bool:
        return bool(self.items)


def _default_key(item: object) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, (dict, Mapping)):  # (dict first: no ABC check for the usual item)
        for name in ("id", "href"):
            value = item.get(name)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                return str(value)
    else:
        for name in ("id", "href"):
            value = getattr(item, name, None)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                return str(value)
    raise TypeError(
        f"cannot tell which response belongs to {item!r}: give items with an 'id' or 'href', "
        "or pass key= (a function from an item to its id or href)"
    )


def _is_retryable(response: Response, codes: Collection[int]) -> bool:
    errors = {s.code for s in response.statuses if s.is_error}
    # 424 Failed Dependency only says another part failed: it does not stop a
    # retry when the rest is retryable, and alone it is no reason for one.
    causes = errors - {424} if 424 not in codes else errors
    return bool(causes) and causes <= set(codes)


def retry_plan(
    doc: MultiStatus,
    items: Iterable[T],
    *,
    key: Callable[[T], str] | None = None,
    retryable: Collection[int] | Callable[[Response], bool] = DEFAULT_RETRYABLE,
    base: str | None = None,
    now: datetime | None = None,
) -> RetryPlan[T]:
    """Pick the items of the original request worth sending again.

    Each request item is matched to its response by ``id`` (REST batches) and
    otherwise by href, compared the way servers mean them (:func:`same_href`).
    An item is retried when its response failed (or partly failed) only with
    retryable statuses: by default 408, 425, 429 and 5xx except 501 and 505
    (:data:`DEFAULT_RETRYABLE`).  Items that succeeded, and items that failed
    for good (400, 403, 409, 422 ...), are left out; so is a response whose
    only error is 424 Failed Dependency.

    Args:
        doc: the multistatus answering the request.
        items: the items of the original request, in order.
        key: a function giving an item's id or href.  By default an item's
            ``"id"`` (or ``"href"``) member or attribute, or the item itself
            when it is a string (an href).
        retryable: the status codes to retry, or a predicate on a failed
            :class:`Response`.
        base: the request URL, to match relative hrefs.
        now: the current time, for ``retry-after`` dates.

    Returns:
        A :class:`RetryPlan`: the items to retry and how long to wait first.

    Raises:
        TypeError: the default *key* cannot tell an item's id or href.

    Example:
        >>> import multistatus as ms
        >>> batch = [{"id": "1", "name": "a"}, {"id": "2", "name": ""}, {"id": "3", "name": "c"}]
        >>> doc = ms.MultiStatus([
        ...     ms.Response("/items/1", status=201, id="1"),
        ...     ms.Response("/items/2", status=422, id="2"),
        ...     ms.Response("/items/3", status=429, id="3", headers={"retry-after": "5"}),
        ... ])
        >>> plan = ms.retry_plan(doc, batch)
        >>> plan.items, plan.delay
        (({'id': '3', 'name': 'c'},), 5.0)
    """
    if isinstance(items, (Mapping, str, bytes)):
        raise TypeError(
            f"retry_plan() takes the items of the request (a list), not a {type(items).__name__}; "
            "for one item, pass [item]"
        )
    by_id: dict[str, Response] = {}
    by_href: dict[str, Response] = {}
    for response in doc.responses:
        if response.id is not None:
            by_id.setdefault(response.id, response)
        for href in response.hrefs:
            by_href.setdefault(key_parts(href, base).rest, response)
    get_key = key if key is not None else _default_key
    if callable(retryable):
        check: Callable[[Response], bool] = retryable
    else:
        codes = frozenset(retryable)

        def check(response: Response) -> bool:
            return _is_retryable(response, codes)

    chosen: list[T] = []
    responses: list[Response] = []
    missing: list[T] = []
    delay = 0.0
    for item in items:
        wanted = get_key(item)
        found = by_id.get(wanted) or by_href.get(key_parts(wanted, base).rest)
        if found is None:
            missing.append(item)
            continue
        if found.outcome in ("failed", "partial") and check(found):
            chosen.append(item)
            responses.append(found)
            delay = max(delay, retry_after(found, now=now) or 0.0)
    return RetryPlan(tuple(chosen), delay, tuple(responses), tuple(missing))


def split_self(doc: MultiStatus, request_url: str) -> tuple[Response | None, tuple[Response, ...]]:
    """Tell the resource the request was sent to from its members.

    A Depth 1 PROPFIND answers for the collection itself and for each member;
    this finds the collection's own response by comparing hrefs the way
    :func:`same_href` does (trailing slash, escapes and absolute vs path form
    do not matter).

    Args:
        doc: the parsed multistatus.
        request_url: the URL the request was sent to.

    Returns:
        ``(own, members)``: the response for *request_url* (``None`` when the
        server left it out) and the other responses, in document order.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/dav/docs/", status=200),
        ...                       ms.Response("/dav/docs/a%20b.txt", status=200)])
        >>> own, members = ms.split_self(doc, "http://example.com/dav/docs")
        >>> own.href, [ms.display_href(m.href) for m in members]
        ('/dav/docs/', ['/dav/docs/a b.txt'])
    """
    own: Response | None = None
    members: list[Response] = []
    for response in doc.responses:
        if own is None and any(same_href(h, request_url, base=request_url) for h in response.hrefs):
            own = response
        else:
            members.append(response)
    return own, tuple(members)
