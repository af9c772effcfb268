"""The optional C constructors (``_cvalues.c``): when they are used.

:class:`~multistatus.Element` and mappings of properties are built by the C
module when it was built and accepts the classes; it answers "no" for anything
but the plain shapes, and the Python constructors do those (and say what is
wrong).  Not with ``MULTISTATUS_PURE_PYTHON`` set (to any non-empty value) and
not on free-threaded builds.  Nothing here changes any process-wide state.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .._limits import MAX_NESTING
from ._document import CTally, use_c_tally
from ._element import Element, _name_cache, use_c_element_init
from ._error import Error
from ._frozen import EMPTY, FrozenMap
from ._items import StatusBuilders, use_c_status_responses
from ._property import Property, use_c_mapped_props
from ._response import Response
from ._status import _CACHE, Status

__all__ = ["install", "load"]


#: The C functions: Element's constructor of plain shapes, the builder of property maps,
#: the builders of the status-form responses Results records, the counter of a Summary.
Functions = tuple[
    Callable[[Element, object, object, object], bool],
    Callable[..., "tuple[Property, ...] | None"],
    StatusBuilders,
    CTally,
]


def load() -> Functions | None:
    """The C functions, set up with the model's classes, or ``None``.

    Example:
        >>> load() is None or len(load()) == 4
        True
    """
    if os.environ.get("MULTISTATUS_PURE_PYTHON") or "t" in getattr(sys, "abiflags", ""):
        return None
    try:
        from ._cvalues import element_init, failed, mapped_props, setup, setup_responses, succeeded, tally
    except ImportError:
        return None
    try:
        setup(Property, Element, FrozenMap, EMPTY, _name_cache, MAX_NESTING)
        setup_responses(Response, Error, Status, _CACHE)
    except Exception:  # a class layout it does not know
        return None
    return element_init, mapped_props, (succeeded, failed), tally


def install(functions: Functions | None) -> None:
    """Hand the constructors the C *functions* (``None``: Python only).

    Example:
        >>> install(load())
    """
    use_c_element_init(None if functions is None else functions[0])
    use_c_mapped_props(None if functions is None else functions[1])
    use_c_status_responses(None if functions is None else functions[2])
    use_c_tally(None if functions is None else functions[3])
