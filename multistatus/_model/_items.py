"""The batch items :class:`~multistatus.Results` records most: status-form responses, built quickly.

``Results.succeeded(href, status=, id=, location=)`` and ``Results.failed(href,
status=, code=, message=, ...)`` hand their arguments to :data:`status_builders`
first: the C module's builders (``_cvalues.c``) when it is built, else the
Python ones here.  Each returns the :class:`~multistatus.Response` the general
path builds, with the same checks, or ``None`` for anything else (an error
included), which the general path then builds or reports.
"""

from __future__ import annotations

from collections.abc import Callable

from ._common import new, set_slot
from ._element import carried
from ._error import Error
from ._frozen import FrozenMap
from ._response import Response
from ._status import _CACHE, Status

__all__ = ["StatusBuilders", "plain_failed", "plain_succeeded", "status_builders", "use_c_status_responses"]

#: ``succeeded(href, status, id, location)`` and
#: ``failed(href, status, id, type, title, detail, code, message)``.
StatusBuilders = tuple[Callable[..., "Response | None"], Callable[..., "Response | None"]]


def _status(status: object, low: int, high: int) -> Status | None:
    """The Status of an int Python has cached, or of an exact Status, when its code is in [low, high)."""
    st = status if status.__class__ is Status else _CACHE.get(status) if status.__class__ is int else None
    return st if st is not None and low <= st.code < high else None


def _href(text: object) -> bool:
    """An href or location kept as it is: a non-empty str with no white space at either end."""
    return text.__class__ is str and text != "" and text.strip() is text


def plain_succeeded(href: object, status: object, id: object, location: object) -> Response | None:  # noqa: A002
    """What ``Results.succeeded`` records for the common shape, or ``None``.

    Example:
        >>> plain_succeeded("/items/1", Status(201), "1", None)
        Response('/items/1', status=Status(201), id='1')
        >>> plain_succeeded(" /items/1", Status(201), None, None) is None  # (stripped by the general path)
        True
    """
    st = _status(status, 200, 300)
    if st is None or not _href(href) or (location is not None and not _href(location)):
        return None
    if id is not None and id.__class__ is not str:
        return None
    if not carried(href + (id or "") + (location or "")):  # type: ignore[operator]
        return None
    return Response._trusted((href,), st, (), None, None, location, id, ())  # type: ignore[arg-type]


def plain_failed(
    href: object,
    status: object,
    id: object,  # noqa: A002
    type: object,  # noqa: A002
    title: object,
    detail: object,
    code: object,
    message: object,
) -> Response | None:
    """What ``Results.failed`` records for the common shape (text problem members), or ``None``.

    Example:
        >>> plain_failed("/items/2", Status(422), None, None, None, None, "invalid", "name is required").error
        Error(problem={'code': 'invalid', 'message': 'name is required'})
    """
    st = _status(status, 400, 600)
    if st is None or not _href(href) or (id is not None and id.__class__ is not str):
        return None
    problem: dict[str, str] = {}
    text = href + (id or "")  # type: ignore[operator]
    for key, value in (("type", type), ("title", title), ("detail", detail), ("code", code), ("message", message)):
        if value is not None:
            if value.__class__ is not str:
                return None
            problem[key] = value
            text += value
    if not carried(text):
        return None
    error = None
    if problem:  # (the names are the five above: valid XML names, no check needed)
        members: FrozenMap[str, str] = new(FrozenMap)
        members._data = problem
        members._hash = None
        error = new(Error)
        set_slot(error, "conditions", ())
        set_slot(error, "problem", members)
    return Response._trusted((href,), st, (), error, None, None, id, ())  # type: ignore[arg-type]


#: The Python builders, and the builders in use (the C module's when it is built).
PYTHON_BUILDERS: StatusBuilders = (plain_succeeded, plain_failed)
status_builders: StatusBuilders = PYTHON_BUILDERS
#: The C builders alone (None: not built or switched off).
c_status_responses: StatusBuilders | None = None


def use_c_status_responses(functions: StatusBuilders | None) -> None:
    """Let :class:`~multistatus.Results` hand its plain items to the C *functions* (``None``: the Python ones)."""
    global c_status_responses, status_builders  # noqa: PLW0603 - the one switch, set at import (and by the tests)
    c_status_responses = functions
    status_builders = PYTHON_BUILDERS if functions is None else functions
