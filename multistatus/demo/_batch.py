"""The demo's batch endpoint: ten items in, a multistatus out, failing the way real batches do."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from .._collector import Results
from .._exceptions import LimitExceeded, ParseError
from .._http._negotiation import JSON
from .._idempotency import Idempotency
from .._model._element import check_text
from ..jobs import Jobs
from ..wsgi import MultiStatusMiddleware, get_results, respond, respond_problem
from ._faults import Faults, faulty
from ._jobs import job_payload

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["SAMPLE_ITEMS", "batch_app", "item_name", "process_items"]

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
MAX_ITEMS = 10000
MAX_DELAY = 60.0  # seconds per item at most


def _fate(
    item: object, *, usable_id: bool, saved: int, quota: int | None, faults: Faults | None = None
) -> dict[str, Any] | None:
    """What happens to one item: ``None`` (save it) or the arguments of its failure.

    The one place that decides; ``"explode": true`` raises (the handler fails mid-batch).
    """
    name = item.get("name") if isinstance(item, dict) else None
    if not usable_id:  # e.g. a NUL: no multistatus can carry it, so it is answered by position
        return {"status": 422, "code": "invalid_id", "message": "The item's id holds characters XML cannot carry."}
    if not isinstance(item, dict) or not isinstance(name, str) or not name.strip():
        return {"status": 422, "code": "invalid", "message": "Each item needs a non-empty string 'name'."}
    if item.get("protected"):
        return {"status": 403, "code": "forbidden", "message": "This item is protected."}
    if item.get("explode"):
        raise RuntimeError("the demo storage exploded")
    if faults is not None:
        return faults.item()
    if quota is not None and saved >= quota:
        return {"status": 429, "code": "rate_limited", "message": "Too many items in one request.", "retry_after": 30}
    return None


def _name(item: object, index: int) -> tuple[str, bool, str]:
    """The id of the *index*-th item (from 1), whether that id is usable, and its href."""
    raw_id = item.get("id") if isinstance(item, dict) else None
    item_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else str(index)
    usable_id = _usable(item_id)
    if not usable_id:
        item_id = str(index)
    return item_id, usable_id, f"/items/{quote(item_id, safe='')}"


def item_name(item: object, position: int) -> tuple[str, str | None]:
    """The href and id of the item at *position* (from 0), as the batch answers for it."""
    item_id, _, href = _name(item, position + 1)
    return href, item_id


def _names(items: Sequence[object]) -> list[tuple[str, bool, str]]:
    """Each item's id, whether that id is usable, and its href; two items with one href are refused."""
    names = []
    taken: dict[str, int] = {}  # href -> the item it names
    for index, item in enumerate(items, 1):
        item_id, usable_id, href = _name(item, index)
        if href in taken:  # (RFC 4918 §13: one response per resource; the collector refuses a second)
            raise ParseError(f"items {taken[href]} and {index} are both {href}; give each item its own id")
        taken[href] = index
        names.append((item_id, usable_id, href))
    return names


def process_items(
    results: Results,
    items: Sequence[object],
    *,
    save: Callable[[str, str, object], None] | None = None,
    quota: int | None = QUOTA,
    start: int = 0,
    delay: float = 0.0,
    faults: Faults | None = None,
) -> None:
    """Save *items* (or pretend to), recording one result per item in *results*.

    With idempotency settings on *results* (:meth:`~multistatus.Results.claimed`),
    an item whose ``idempotency_key`` was completed before is not saved again:
    its first answer is replayed.

    Args:
        results: the request's collector.
        items: the decoded JSON items.
        save: called as ``save(id, name, item)`` for each item saved; ``None``: nothing is kept.
        quota: saves per request; the items after that are rate-limited (429); ``None``: no quota.
        start: the position of the first item to run: a job resumed after its runner
            died (*results* holds the answers of the items before it).
        delay: seconds each item takes (``?delay=``: a batch as long as you like).
        faults: fail valid items on purpose (:class:`~multistatus.demo.Faults`) instead
            of the quota.

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
    names = _names(items)[start:]
    saved = sum(1 for r in results.responses if r.status is not None and r.status.code == 201)
    todo = results.claimed(items[start:], href=lambda _, i: names[i][2], id=lambda _, i: names[i][0])
    with closing(todo):
        for position, item in todo:
            if delay:
                time.sleep(delay)
            item_id, usable_id, href = names[position]
            with results.item(href, id=item_id) as handle:
                failure = _fate(item, usable_id=usable_id, saved=saved, quota=quota, faults=faults)
                if failure is not None:
                    handle.record_failure(**failure)
                    continue
                assert isinstance(item, dict)  # (_fate saw to it)
                saved += 1
                if save is not None:
                    save(item_id, item["name"], item)
                handle.record_success(status=201, location=href, body={"id": item_id, "name": item["name"]})


def _usable(text: str) -> bool:
    try:
        check_text(text)
    except ValueError:
        return False
    return True


def _delay(text: str | None) -> float | None:
    """``?delay=`` in seconds per item (0 when absent), or ``None`` when it is not a decimal from 0 to MAX_DELAY."""
    if text is None:
        return 0.0
    if len(text) > 20 or not text.replace(".", "", 1).isdigit() or not text.isascii():
        return None
    value = float(text)
    return value if value <= MAX_DELAY else None


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


def batch_app(
    policy: str = "always-207",
    *,
    save: Callable[[str, str, object], None] | None = None,
    idempotency: Idempotency | None = None,
    quota: int | None = QUOTA,
    jobs: Jobs | None = None,
    faults: Faults | None = None,
) -> WSGIApplication:
    """The batch endpoint: a JSON array of items in, a negotiated multistatus out (JSON by default).

    Args:
        policy: the status policy.
        save: called as ``save(id, name, item)`` for each item saved by a ``POST``
            (``GET`` is a dry run of the sample batch); ``None``: nothing is kept.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings
            (request keys in ``Idempotency-Key``, item keys in ``idempotency_key``);
            ``None``: off.
        quota: saves per request; the items after that are rate-limited (429); ``None``: no quota.
        jobs: the :class:`~multistatus.jobs.Jobs` that run a ``POST`` with
            ``Prefer: respond-async`` (202, a monitor); ``None``: every batch is answered at once.
        faults: misbehave on purpose (:class:`~multistatus.demo.Faults`): items, whole
            requests and connections fail at its rate; the quota is then off.

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

    def batch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        delay = _delay(request.args.get("delay"))
        if delay is None:
            detail = f"delay is the seconds each item takes, a decimal number from 0 to {MAX_DELAY:g}"
            return respond_problem(environ, start_response, 400, detail=detail)
        if request.method == "GET":
            items: list[object] = list(SAMPLE_ITEMS)  # a dry run for people with a browser
            process_items(get_results(environ), items, delay=delay)
        elif request.method == "POST":
            items = _read_items(request)
            if jobs is not None and jobs.wants_job(request.headers.get("Prefer"), len(items)):
                started = jobs.start(job_payload(items, delay), len(items))
                start_response(started.status_line, list(started.headers))
                return [started.body]
            process_items(get_results(environ), items, save=save, quota=quota, delay=delay, faults=faults)
        else:
            return respond_problem(environ, start_response, 405, headers=[("Allow", "GET, POST")])
        return respond(environ, start_response)

    endpoint = MultiStatusMiddleware(batch, policy=policy, default=JSON, idempotency=idempotency)
    return endpoint if faults is None else faulty(endpoint, faults)
