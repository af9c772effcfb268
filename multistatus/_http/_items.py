"""Per-item validation of a batch: one invalid item is its own 422, never the whole request's.

A framework that validates the body against ``list[Model]`` refuses the
whole batch for one bad item (FastAPI answers 422 for the request): the
partial success the batch was for is lost.  :func:`validate_items` checks
each item on its own, with a pydantic model (anything with
``model_validate``) or any callable, records each refused item in the
request's collector as a 422 whose problem carries the error locations, and
hands back the accepted ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._model import Error, Response

if TYPE_CHECKING:
    from .._collector import Results

__all__ = ["validate_items"]

#: The most error entries one refused item carries (a hostile item can fail in every member).
MAX_ERRORS = 20


def _pointer(location: Iterable[object]) -> str:
    """A JSON pointer (RFC 6901) from pydantic's ``loc`` tuple."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


def _errors(exc: Exception) -> list[dict[str, str]]:
    """``[{"pointer": ..., "detail": ...}]`` of a validation failure (pydantic's ``errors()``, else the message)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            entries = list(errors())
        except Exception:  # (an errors() that is not pydantic's: the message says it)
            entries = []
        out = []
        for entry in entries[:MAX_ERRORS]:
            if isinstance(entry, dict):
                out.append({"pointer": _pointer(entry.get("loc", ())), "detail": str(entry.get("msg", ""))})
        if out:
            return out
    return [{"pointer": "", "detail": str(exc) or type(exc).__name__}]


def _identity(raw: object, position: int) -> str:
    """The item's ``id`` member (a string or an integer), else its position (from 1)."""
    value = raw.get("id") if isinstance(raw, dict) else None
    if (isinstance(value, str) and value.strip()) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    return str(position)


def validate_items(
    items: list[Any],
    item: type[Any] | Callable[[Any], Any],
    results: Results,
    href: str = "{id}",
) -> list[Any]:
    """The items *item* accepts (as it returns them), each refused one recorded in *results* as a 422.

    Args:
        items: the decoded items of the batch.
        item: a pydantic model (its ``model_validate`` is called) or a callable
            that returns the item to use and raises ``ValueError`` or
            ``TypeError`` (pydantic's ``ValidationError`` is one) for an invalid one.
        results: the request's collector.
        href: the href of a refused item, ``{id}`` replaced by its ``id``
            member or, without one, its position (from 1): ``"/items/{id}"``.

    Returns:
        The accepted items, in order, as *item* returned them.

    Example:
        >>> import multistatus as ms
        >>> def named(raw):
        ...     if not raw.get("name"):
        ...         raise ValueError("name is required")
        ...     return raw
        >>> results = ms.Results()
        >>> validate_items([{"id": "1", "name": "a"}, {"id": "2"}], named, results, "/items/{id}")
        [{'id': '1', 'name': 'a'}]
        >>> refused = results.build().responses[0]
        >>> refused.href, refused.status.code, refused.error.problem["errors"][0]["detail"]
        ('/items/2', 422, 'name is required')
    """
    check = getattr(item, "model_validate", item)
    if not callable(check):
        raise TypeError(f"item must be a pydantic model or a callable, not {type(item).__name__}")
    accepted = []
    for position, raw in enumerate(items, 1):
        try:
            accepted.append(check(raw))
        except (ValueError, TypeError) as exc:
            error = Error(problem={"code": "invalid", "title": "Invalid item", "errors": _errors(exc)})
            identity = _identity(raw, position)
            try:
                refused = Response(href.replace("{id}", quote(identity, safe="")), status=422, id=identity, error=error)
            except ValueError:  # an id no multistatus can carry (a NUL...): the item by its position
                refused = Response(href.replace("{id}", str(position)), status=422, error=error)
            results.add(refused)
    return accepted
