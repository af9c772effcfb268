"""One request as every adapter sees it: the collector, the answer, problems, the batch's items.

Sans-I/O: the adapters (:mod:`multistatus.wsgi`, :mod:`multistatus.asgi`,
:mod:`multistatus.flask`, :mod:`multistatus.django`) read a request's header
values into an :class:`Exchange`, with the mapping that holds the request's
state (the WSGI ``environ``, the ASGI ``scope``, Django's ``META``), and turn
the :class:`~multistatus.Reply` made here into their framework's response.  So
every rule of serving (which representation, which problem for which mistake,
what a batch body may be) is written once, here, and every adapter gives the
same answer to the same request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import Any, cast

from .._collector import Results
from .._exceptions import LimitExceeded, MultiStatusError, NotAcceptable
from .._model import MultiStatus
from .._model._document import document_of
from ._batch import BATCH_LIMITS, read_batch
from ._negotiation import JSON
from ._options import DEFAULT_OPTIONS, ServeOptions
from ._reply import Reply, check_header_fields, problem_reply, reply_for

__all__ = [
    "BATCH_KEY",
    "CAPTURE_KEY",
    "OPTIONS_KEY",
    "RESULTS_KEY",
    "Exchange",
    "answer",
    "failure_of",
    "header_pairs",
    "problem",
    "problem_for",
    "read_items",
    "results_in",
]

#: State key of the per-request :class:`~multistatus.Results` collector.
RESULTS_KEY = "multistatus.results"
#: State key of the :class:`~multistatus.ServeOptions` of the middleware serving the request.
OPTIONS_KEY = "multistatus.options"
#: State key set when the request's items were read as a JSON batch: its answers default to JSON.
BATCH_KEY = "multistatus.batch"
#: State key of the list a middleware with ``idempotency=`` keeps the answered document in (for the
#: replays of the request's ``Idempotency-Key``, rendered again for the retry's ``Accept``).
CAPTURE_KEY = "multistatus.idempotency.capture"

#: The request body a batch may carry by default, and how many items.
MAX_BYTES: int = cast(int, BATCH_LIMITS.max_bytes)
MAX_ITEMS: int = cast(int, BATCH_LIMITS.max_responses)
_JSON_BODY = "application/json"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request as the serving rules need it: its state mapping and the header values that decide the answer."""

    state: MutableMapping[str, Any]
    accept: str | None
    prefer: str | None
    brief: str | None
    method: str | None
    content_type: str | None

    @property
    def is_batch(self) -> bool:
        """Whether the request's items were read as a JSON batch (its answers then default to JSON)."""
        return self.state.get(BATCH_KEY) is True


def results_in(state: MutableMapping[str, Any], **options: Any) -> Results:
    """The collector kept in *state*, created on first use (with *options*: ``description=``, ``sync_token=``)."""
    results = state.get(RESULTS_KEY)
    if not isinstance(results, Results):
        results = Results(**options)
        state[RESULTS_KEY] = results
    return results


def served(state: Mapping[str, Any]) -> ServeOptions | None:
    """The options of the middleware serving the request, or ``None``."""
    options = state.get(OPTIONS_KEY)
    return options if isinstance(options, ServeOptions) else None


def chosen_options(state: Mapping[str, Any], options: ServeOptions | None) -> ServeOptions:
    """*options*, else the serving middleware's, else the library defaults."""
    if options is None:
        return served(state) or DEFAULT_OPTIONS
    if not isinstance(options, ServeOptions):
        raise TypeError(f"options must be a ServeOptions, not {type(options).__name__}")
    return options


def header_pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> tuple[tuple[str, str], ...]:
    """*headers* (name/value pairs or a mapping) as checked pairs."""
    if headers is None:
        return ()
    if isinstance(headers, Mapping):
        return check_header_fields(list(headers.items()))
    if isinstance(headers, (str, bytes)):  # type: ignore[unreachable]
        raise TypeError("headers are name/value pairs or a mapping, not a string")
    return check_header_fields(headers)


def answer(
    exchange: Exchange,
    doc: MultiStatus | Results | None,
    options: ServeOptions,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    *,
    name: str = "respond()",
    keep: bool = False,
) -> Reply:
    """The negotiated answer with *doc* (the collected results when ``None``); 406 as a problem
    when strict negotiation fails; the application's *headers* merged in.  *keep*: the document
    is left for an ``idempotency=`` middleware to keep (:data:`CAPTURE_KEY`), as the adapters'
    ``respond`` does."""
    from ._headers import merge_headers

    extra = header_pairs(headers)
    doc = results_in(exchange.state).build() if doc is None else document_of(doc, name)
    captured = exchange.state.get(CAPTURE_KEY) if keep else None
    if isinstance(captured, list):
        captured.append(doc)
    content_type = _JSON_BODY if exchange.is_batch else exchange.content_type
    try:
        out = reply_for(doc, options, exchange.accept, exchange.prefer, exchange.brief, exchange.method, content_type)
    except NotAcceptable as exc:
        out = problem(
            exchange,
            406,
            options,
            detail=f"This resource is available as {', '.join(exc.available)}.",
            available=list(exc.available),
        )
    return merge_headers(out, extra) if extra else out


def problem(
    exchange: Exchange,
    status: int,
    options: ServeOptions,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    **members: Any,
) -> Reply:
    """A problem document for *status* in the representation the request negotiates.

    With no preference (no ``Accept``, ``*/*``): JSON for a JSON batch (its
    items were read with :func:`read_items`, or its body is JSON), XML for
    WebDAV methods and XML bodies, else the endpoint's default.
    """
    default = JSON if exchange.is_batch else options.default
    return problem_reply(
        status,
        title=title,
        detail=detail,
        headers=header_pairs(headers),
        accept=exchange.accept,
        method=exchange.method,
        content_type=exchange.content_type,
        default=default,
        **members,
    )


def failure_of(exc: BaseException) -> tuple[int, str | None, tuple[tuple[str, str], ...]] | None:
    """``(status, detail, header fields)`` of a request-level failure, or ``None`` for a bug.

    A :class:`~multistatus.MultiStatusError` gives its ``status_hint`` and
    message; an HTTP exception of werkzeug, Flask, Starlette or FastAPI its
    code, description and header fields (``Allow``, ``WWW-Authenticate`` ...);
    a JSON decoding error (``json.loads`` of a body) 400.  A 3xx is not a
    failure (werkzeug routing's redirect): ``None``, as for anything else.
    """
    if isinstance(exc, MultiStatusError):
        return (exc.status_hint, str(exc), ()) if 400 <= exc.status_hint < 600 else None
    if type(exc).__name__ == "JSONDecodeError" and isinstance(exc, ValueError):
        where = f"{getattr(exc, 'msg', exc)} (line {getattr(exc, 'lineno', '?')}, column {getattr(exc, 'colno', '?')})"
        return 400, f"the request body is not JSON: {where}", ()  # (as read_batch says it)
    code = getattr(exc, "status_code", getattr(exc, "code", None))
    if type(code) is not int or not 400 <= code < 600 or type(exc).__module__.split(".")[0] not in _FRAMEWORKS:
        return None
    detail = getattr(exc, "detail", getattr(exc, "description", None))
    get_headers = getattr(exc, "get_headers", None)  # werkzeug: Allow, WWW-Authenticate ...
    raw = get_headers() if callable(get_headers) else getattr(exc, "headers", None)  # Starlette: a dict
    items = raw.items() if raw is not None and hasattr(raw, "items") else (raw or ())
    extra = tuple((str(k), str(v)) for k, v in items if str(k).lower() not in ("content-type", "content-length"))
    return code, detail if isinstance(detail, str) else None, extra


_FRAMEWORKS = frozenset(("starlette", "fastapi", "werkzeug", "flask", "django"))


def problem_for(exchange: Exchange, exc: BaseException, options: ServeOptions) -> Reply | None:
    """The problem answer for a request-level failure *exc* (see :func:`failure_of`), or ``None`` for a bug."""
    found = failure_of(exc)
    if found is None:
        return None
    status, detail, extra = found
    return problem(exchange, status, options, detail=detail, headers=extra)


def internal_error(exchange: Exchange, options: ServeOptions) -> Reply:
    """The 500 problem for a bug: no traceback, no message of the exception."""
    return problem(exchange, 500, options, detail="The server failed to process the request.", code="internal_error")


def check_bounds(max_items: int, max_bytes: int, min_items: int) -> None:
    for name, value in (("max_items", max_items), ("max_bytes", max_bytes), ("min_items", min_items)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError(f"{name} must be an int of at least 0, not {value!r}")


def begin_batch(exchange: Exchange, max_items: int, max_bytes: int, min_items: int, length: str | None) -> None:
    """Check the bounds, mark the request as a JSON batch, and refuse a *length* over *max_bytes*."""
    check_bounds(max_items, max_bytes, min_items)
    exchange.state[BATCH_KEY] = True
    if too_large(length, max_bytes):
        raise LimitExceeded(f"the request body is larger than {max_bytes} bytes")


def read_items(
    exchange: Exchange,
    body: Any,
    *,
    item: Any = None,
    max_items: int = MAX_ITEMS,
    max_bytes: int = MAX_BYTES,
    min_items: int = 1,
    href: str = "{id}",
    length: str | None = None,
) -> list[Any]:
    """The items of the request's batch body (see :func:`~multistatus.read_batch`), refused items
    recorded in the request's collector; the request is marked as a JSON batch first, so that its
    answers, problems included, default to JSON.  *length*: the ``Content-Length``, refused over
    *max_bytes* before anything is read."""
    begin_batch(exchange, max_items, max_bytes, min_items, length)
    limits = replace(BATCH_LIMITS, max_bytes=max_bytes, max_responses=max_items)
    results = results_in(exchange.state) if item is not None else None
    return read_batch(
        body,
        content_type=exchange.content_type,
        limits=limits,
        min_items=min_items,
        item=item,
        results=results,
        href=href,
    )


def too_large(declared: str | None, max_bytes: int) -> bool:
    """Whether a ``Content-Length`` of *declared* is over *max_bytes* (refused before anything is read).

    RFC 9110 §8.6: ASCII digits only; leading zeros count for nothing, and a number of more
    digits than *max_bytes* has is over it before any conversion (no digit count too long for ``int``).
    """
    if not isinstance(declared, str):
        return False
    digits = declared.strip(" \t")
    if not (digits.isascii() and digits.isdigit()):
        return False
    digits = digits.lstrip("0") or "0"
    return len(digits) > len(str(max_bytes)) or int(digits) > max_bytes
