"""The demo's batch endpoint: ten items in, a multistatus out, failing the way real batches do."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from .._collector import Results
from .._exceptions import LimitExceeded, ParseError
from .._http._negotiation import JSON
from .._model._element import check_text
from ..wsgi import MultiStatusMiddleware, get_results, respond, respond_problem

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["SAMPLE_ITEMS", "batch_app", "process_items"]

#: The sample batch: ten items, seven saved, one invalid, one forbidden, one rate-limited.
SAMPLE_ITEMS: tuple[dict[str, Any], ...] = (
    {"id": "1", "name": "apple"},
    {"id": "2", "name": "banana"},
    {"id": "3", "name": "cherry"},
    {"id": "4", "name": ""},
    {"id": "5", "name": "elderberry"},
    {"id": "6", "name": "fig"},
    {"id": "7", "name": "grape", "protected": True},
    {"id": "8", "name": "honeydew"},
    {"id": "9", "name": "kiwi"},
    {"id": "10", "name": "lemon"},
)

QUOTA = 7  # saves per request; the rest are rate-limited
MAX_BODY = 64 * 1024
MAX_ITEMS = 1000


def process_items(results: Results, items: Iterable[object]) -> None:
    """Pretend to save *items*, recording one result per item in *results*.

    Args:
        results: the request's collector.
        items: the decoded JSON items.

    Raises:
        ParseError: two items have the same id (an item without a usable id is
            known by its position); a multistatus names each item once (status hint 400).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.demo import SAMPLE_ITEMS, process_items
        >>> results = ms.Results()
        >>> process_items(results, SAMPLE_ITEMS)
        >>> s = results.build().summary
        >>> s.succeeded, dict(s.by_status)
        (7, {201: 7, 403: 1, 422: 1, 429: 1})
    """
    saved = 0
    taken: dict[str, int] = {}  # href -> the item it names
    for index, item in enumerate(items, 1):
        raw_id = item.get("id") if isinstance(item, dict) else None
        item_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else str(index)
        usable_id = _usable(item_id)
        if not usable_id:  # e.g. a NUL: no multistatus can carry it, so answer by position
            item_id = str(index)
        href = f"/items/{quote(item_id, safe='')}"
        if href in taken:  # (RFC 4918 §13: one response per resource; the collector refuses a second)
            raise ParseError(f"items {taken[href]} and {index} are both {href}; give each item its own id")
        taken[href] = index
        with results.item(href, id=item_id) as handle:
            name = item.get("name") if isinstance(item, dict) else None
            if not usable_id:
                handle.failed(status=422, code="invalid_id", message="The item's id holds characters XML cannot carry.")
            elif not isinstance(item, dict) or not isinstance(name, str) or not name.strip():
                handle.failed(status=422, code="invalid", message="Each item needs a non-empty string 'name'.")
            elif item.get("protected"):
                handle.failed(status=403, code="forbidden", message="This item is protected.")
            elif item.get("explode"):
                raise RuntimeError("the demo storage exploded")
            elif saved >= QUOTA:
                handle.failed(status=429, code="rate_limited", message="Too many items in one request.", retry_after=30)
            else:
                saved += 1
                handle.succeeded(status=201, location=href, body={"id": item_id, "name": name})


def _usable(text: str) -> bool:
    try:
        check_text(text)
    except ValueError:
        return False
    return True


def _read_items(request: Request) -> list[object]:
    request.max_content_length = MAX_BODY
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise LimitExceeded(f"the request body is larger than {MAX_BODY} bytes") from exc
    try:
        items = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"the request body is not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise ParseError(f"the request body must be a JSON array of items, not {type(items).__name__}")
    if len(items) > MAX_ITEMS:
        raise LimitExceeded(f"{len(items)} items in one request; the limit is {MAX_ITEMS}")
    return items


def _batch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    request = Request(environ)
    if request.method == "GET":
        items: list[object] = list(SAMPLE_ITEMS)  # a dry run for people with a browser
    elif request.method == "POST":
        items = _read_items(request)
    else:
        return respond_problem(environ, start_response, 405, headers=[("Allow", "GET, POST")])
    process_items(get_results(environ), items)
    return respond(environ, start_response)


def batch_app(policy: str = "always-207") -> WSGIApplication:
    """The batch endpoint: a JSON array of items in, a negotiated multistatus out (JSON by default).

    Args:
        policy: the status policy.

    Returns:
        A WSGI application.

    Example:
        >>> import multistatus as ms
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import batch_app
        >>> r = Client(batch_app("collapse-uniform")).post("/batch", json=[{"name": "a"}])
        >>> r.status_code, ms.from_json(r.data).responses[0].href
        (201, '/items/1')
    """
    return MultiStatusMiddleware(_batch, policy=policy, default=JSON)
