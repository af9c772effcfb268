"""Assertions for your own tests: which items of a multistatus answer succeeded, which failed and how.

They take any response the client side reads (requests, httpx, urllib,
werkzeug's and Flask's test responses, Django's and Starlette's test
clients: see :func:`~multistatus.from_response`), a body, or a
:class:`~multistatus.MultiStatus`, and fail with a message that shows the
table of items, so a failing test says what the server answered.

.. code-block:: python

    from multistatus.testing import assert_items

    def test_bulk_create(client):
        r = client.post("/items", json=ITEMS)
        assert_items(r, status=207,
                     succeeded=["/items/1", "/items/2"],
                     failed={"/items/8": (422, "invalid"), "/items/9": 403})

No pytest plugin: plain functions raising :class:`AssertionError` work under
any test runner, and pytest shows their messages as they are (without the
library's own frames: each sets ``__tracebackhide__``).  Statuses may be
given as ints or strings (``207`` or ``"207"``), and items by href or, with
``by="id"``, by their REST ``id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._client._body import _status_of, from_response
from ._exceptions import NotMultiStatus
from ._hrefs import display_href
from ._model import Error, MultiStatus, Response

__all__ = ["assert_items", "assert_problem", "items_table"]

#: What an expected failure may say: the status, or the status and the error ``code``
#: (``None``: any status).
Expected = int | str | tuple[int | str, str | None] | None


def _document(response: object) -> MultiStatus:
    if isinstance(response, MultiStatus):
        return response
    try:
        return from_response(response)
    except NotMultiStatus as exc:
        raise AssertionError(f"expected a multistatus, got: {exc}") from None


def _code(response: Response) -> str | None:
    error = response.error
    value = error.problem.get("code") if error is not None else None
    return value if isinstance(value, str) else None


def items_table(doc: MultiStatus | object) -> str:
    """The items of *doc* (or of a response) as a plain-text table: href, status, code, message.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.testing import items_table
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201),
        ...     ms.Response("/items/8", status=422, error=ms.Error(problem={"code": "invalid", "message": "No name."}))])
        >>> print(items_table(doc))
        href      status  code     message
        /items/1  201
        /items/8  422     invalid  No name.
    """
    document = _document(doc)
    rows = [("href", "status", "code", "message")]
    for r in document.responses:
        status = str(r.status.code) if r.status is not None else "propstat"
        message = r.error.message if r.error is not None else None
        rows.append((display_href(r.href), status, _code(r) or "", message or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _status_arg(value: object, what: str) -> int:
    """An HTTP status given as an int or as its digits (``"207"``, ``"207 Multi-Status"``)."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        digits = value.strip().split(" ", 1)[0]
        if len(digits) == 3 and digits.isdigit():
            return int(digits)
    raise TypeError(f"{what} must be an HTTP status as an int or a string such as '207', not {value!r}")


def _expected(href: str, value: Expected) -> tuple[int | None, str | None]:
    """(status, code) of one expected failure; ``None``: not checked."""
    if value is None:
        return None, None
    if isinstance(value, tuple):
        if len(value) != 2 or (value[1] is not None and not isinstance(value[1], str)):
            raise TypeError(f"failed[{href!r}] must be a status or (status, code), not {value!r}")
        return _status_arg(value[0], f"the status of failed[{href!r}]"), value[1]
    return _status_arg(value, f"failed[{href!r}]"), None


def _names(values: object, what: str) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{what} must be a list of hrefs or ids, not {type(values).__name__}")
    out = list(values)
    for value in out:
        if not isinstance(value, str):
            raise TypeError(f"{what} must hold strings (hrefs or ids), not {type(value).__name__}")
    return out


def _key_of(by: str) -> Any:
    if by == "href":
        return lambda r: r.href
    if by == "id":
        return lambda r: r.id
    raise ValueError(f"by must be 'href' or 'id', not {by!r}")


def assert_items(
    response: object,
    *,
    succeeded: Iterable[str] | None = None,
    failed: Mapping[str, Expected] | Iterable[str] | None = None,
    status: int | str | None = None,
    summary: Mapping[str, Any] | None = None,
    by: str = "href",
) -> MultiStatus:
    """Assert what a multistatus answer says about its items; the document is returned for more checks.

    Args:
        response: a response object (see :func:`~multistatus.from_response`) or a
            :class:`~multistatus.MultiStatus`.
        succeeded: exactly the items that succeeded (in any order).
        failed: exactly the items that failed, each with its status or
            ``(status, code)`` (a ``None`` code, or a ``None`` instead of the
            status, is not checked); or a list of them, each with any status.
        status: the HTTP status of the response (an int, or a string such as ``"207"``).
        by: ``"href"`` (the default) or ``"id"``: what the items are named by.
        summary: attributes of :attr:`~multistatus.MultiStatus.summary`, e.g.
            ``{"succeeded": 7, "failed": 3}`` or ``{"by_status": {201: 7, 422: 1}}``.

    Returns:
        The parsed :class:`~multistatus.MultiStatus`.

    Raises:
        AssertionError: something differs; the message lists the differences
            and the table of items (:func:`items_table`).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.testing import assert_items
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201),
        ...     ms.Response("/items/8", status=422, error=ms.Error(problem={"code": "invalid"}))])
        >>> _ = assert_items(doc, succeeded=["/items/1"], failed={"/items/8": (422, "invalid")})
        >>> assert_items(doc, failed={"/items/8": 409})
        Traceback (most recent call last):
        AssertionError: /items/8 failed with 422 invalid, expected 409
        href      status  code     message
        /items/1  201
        /items/8  422     invalid
        >>> _ = assert_items(doc, status=None, failed=["/items/8"])  # any status
    """
    __tracebackhide__ = True  # (pytest shows the caller's line, not this function's)
    key = _key_of(by)
    want_status = None if status is None else _status_arg(status, "status")
    want_ok = None if succeeded is None else set(_names(succeeded, "succeeded"))
    if failed is None or isinstance(failed, Mapping):
        want_failed = failed
    else:
        want_failed = dict.fromkeys(_names(failed, "failed"))
    if summary is not None and not isinstance(summary, Mapping):
        raise TypeError(f"summary must be a mapping such as {{'failed': 3}}, not {type(summary).__name__}")
    doc = _document(response)
    problems: list[str] = []
    if want_status is not None:
        got = _status_of(response)
        if got != want_status:
            problems.append(f"the HTTP status is {got}, expected {want_status}")
    every = {key(r) for r in doc}
    if want_ok is not None:
        got_ok = {key(r) for r in doc.succeeded()}
        for name in sorted(want_ok - got_ok):
            problems.append(f"{name} did not succeed" + ("" if name in every else " (not in the answer)"))
        for name in sorted(got_ok - want_ok, key=str):
            problems.append(f"{name} succeeded, not expected")
    if want_failed is not None:
        got_failed = {key(r): r for r in doc.failed()}
        for href, expected in want_failed.items():
            item_status, want_code = _expected(href, expected)
            item = got_failed.get(href)
            if item is None:
                problems.append(f"{href} did not fail" + ("" if href in every else " (not in the answer)"))
                continue
            got_status = item.status.code if item.status is not None else None
            got_code = _code(item)
            if (item_status is not None and got_status != item_status) or (
                want_code is not None and got_code != want_code
            ):
                shown = f"{got_status} {got_code}" if got_code else f"{got_status}"
                wanted = f"{item_status or 'any status'} {want_code}" if want_code else f"{item_status}"
                problems.append(f"{href} failed with {shown}, expected {wanted}")
        for href in sorted(set(got_failed) - set(want_failed), key=str):
            problems.append(f"{href} failed, not expected")
    for name, want in (summary or {}).items():
        got_value = getattr(doc.summary, name)
        if isinstance(want, Mapping):
            got_value = dict(got_value)
        if got_value != want:
            problems.append(f"summary.{name} is {got_value!r}, expected {want!r}")
    if problems:
        raise AssertionError("\n".join([*problems, items_table(doc)]))
    return doc


def assert_problem(
    response: object, status: int | str, *, code: str | None = None, content_type: str | None = None
) -> Error:
    """Assert that *response* is a request-level problem (not a multistatus) with *status*.

    Args:
        response: the response object.
        status: the expected HTTP status.
        code: the expected ``code`` member, when given.
        content_type: the expected media type (``Content-Type`` without parameters), when given.

    Returns:
        The problem, as an :class:`~multistatus.Error`.

    Example:
        >>> from multistatus.testing import assert_problem
        >>> class Captured:
        ...     status_code = 400
        ...     headers = {"Content-Type": "application/problem+json"}
        ...     content = b'{"title": "Bad Request", "status": 400, "code": "invalid_json"}'
        >>> assert_problem(Captured(), 400, code="invalid_json").problem["title"]
        'Bad Request'
    """
    __tracebackhide__ = True  # (pytest shows the caller's line, not this function's)
    status = _status_arg(status, "status")
    try:
        doc = from_response(response)
    except NotMultiStatus as exc:
        failure = exc
    else:
        raise AssertionError(f"expected a {status} problem, got a multistatus:\n{items_table(doc)}")
    error = failure.error
    problems = []
    if failure.status != status:
        problems.append(f"the HTTP status is {failure.status}, expected {status}")
    media_type = (failure.content_type or "").split(";")[0].strip()
    if content_type is not None and media_type != content_type:
        problems.append(f"the Content-Type is {media_type or None}, expected {content_type}")
    if error is None:
        problems.append(f"the body is not a problem document: {failure}")
        error = Error()
    elif code is not None and error.problem.get("code") != code:
        problems.append(f"the code is {error.problem.get('code')!r}, expected {code!r}")
    if problems:
        raise AssertionError("\n".join(problems))
    return error
