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

from ._builders import Results
from ._client import NotMultiStatus, from_body, from_response
from ._element import DAV, Element
from ._exceptions import LimitExceeded, MultiStatusError, ParseError, ValidationError
from ._frozen import FrozenMap
from ._hrefs import display_href, href_key, resolve_href, same_href, split_self
from ._html import to_html
from ._json import from_dict, from_json, json_schema, to_dict, to_json
from ._jsonstream import stream_json, write_json
from ._limits import Limits
from ._model import NAMESPACE, Error, MultiStatus, Property, PropStat, Response, Summary
from ._negotiation import MEDIA_TYPES, NotAcceptable, default_media_type, negotiate
from ._policy import POLICIES, Preferences, apply_prefer, choose_status, parse_prefer
from ._reply import Reply, problem_reply, reply
from ._results import DEFAULT_RETRYABLE, FailedItems, RetryPlan, retry_after, retry_plan
from ._status import Status
from ._stream import XMLFeeder, XMLStream, iter_xml
from ._validate import Violation, validate
from ._xml import PROBLEM_NS, from_xml
from ._xmlwrite import stream_xml, to_xml, write_xml

__version__ = "0.1.0"

__all__ = [
    "DAV",
    "DEFAULT_RETRYABLE",
    "MEDIA_TYPES",
    "NAMESPACE",
    "POLICIES",
    "PROBLEM_NS",
    "Element",
    "Error",
    "FailedItems",
    "FrozenMap",
    "LimitExceeded",
    "Limits",
    "MultiStatus",
    "MultiStatusError",
    "NotAcceptable",
    "NotMultiStatus",
    "ParseError",
    "Preferences",
    "PropStat",
    "Property",
    "Reply",
    "Response",
    "Results",
    "RetryPlan",
    "Status",
    "Summary",
    "ValidationError",
    "Violation",
    "XMLFeeder",
    "XMLStream",
    "apply_prefer",
    "choose_status",
    "default_media_type",
    "display_href",
    "from_body",
    "from_dict",
    "from_json",
    "from_response",
    "from_xml",
    "href_key",
    "iter_xml",
    "json_schema",
    "negotiate",
    "parse_prefer",
    "problem_reply",
    "reply",
    "resolve_href",
    "retry_after",
    "retry_plan",
    "same_href",
    "split_self",
    "stream_json",
    "stream_xml",
    "to_dict",
    "to_html",
    "to_json",
    "to_xml",
    "validate",
    "write_json",
    "write_xml",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        with contextlib.suppress(AttributeError, TypeError):
            _obj.__module__ = __name__
del _name, _obj
