"""multistatus: build and parse RFC 4918 multistatus (HTTP 207) documents.

Example:
    >>> import multistatus as ms
    >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201),
    ...                       ms.Response("/items/2", status=409)])
    >>> ms.from_xml(ms.to_xml(doc)) == doc
    True
"""

from __future__ import annotations

import contextlib

from ._element import DAV, Element
from ._exceptions import LimitExceeded, MultiStatusError, ParseError, ValidationError
from ._frozen import FrozenMap
from ._limits import Limits
from ._model import NAMESPACE, Error, MultiStatus, Property, PropStat, Response, Summary
from ._status import Status
from ._validate import Violation, validate
from ._xml import PROBLEM_NS, from_xml
from ._xmlwrite import to_xml

__version__ = "0.1.0"

__all__ = [
    "DAV",
    "NAMESPACE",
    "PROBLEM_NS",
    "Element",
    "Error",
    "FrozenMap",
    "LimitExceeded",
    "Limits",
    "MultiStatus",
    "MultiStatusError",
    "ParseError",
    "PropStat",
    "Property",
    "Response",
    "Status",
    "Summary",
    "ValidationError",
    "Violation",
    "from_xml",
    "to_xml",
    "validate",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        with contextlib.suppress(AttributeError, TypeError):
            _obj.__module__ = __name__
del _name, _obj
