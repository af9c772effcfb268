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

# The client side
from ._client import DEFAULT_RETRYABLE, RetryPlan, from_body, from_response, retry_after, retry_plan, split_self

# Serving: collect results, answer them (sans-I/O; the WSGI edge is multistatus.wsgi)
from ._collector import Results
from ._exceptions import (
    FailedItems,
    LimitExceeded,
    MultiStatusError,
    NotAcceptable,
    NotMultiStatus,
    ParseError,
    ValidationError,
)
from ._hrefs import display_href, href_key, resolve_href, same_href
from ._http import (
    MEDIA_TYPES,
    POLICIES,
    Policy,
    Preferences,
    Reply,
    ServeOptions,
    StatusPolicy,
    apply_prefer,
    choose_status,
    default_media_type,
    negotiate,
    parse_prefer,
    policy_of,
    problem_reply,
    reply,
    to_html,
)
from ._json import from_dict, from_json, json_schema, stream_json, to_dict, to_json, write_json
from ._limits import Limits

# The model and its values
from ._model import Element, Error, FrozenMap, MultiStatus, Property, PropStat, Response, Status, Summary
from ._names import DAV, NAMESPACE, PROBLEM_NS

# The codecs
from ._xml import Violation, XMLFeeder, XMLStream, from_xml, iter_xml, stream_xml, to_xml, validate, write_xml

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
    "Policy",
    "Preferences",
    "PropStat",
    "Property",
    "Reply",
    "Response",
    "Results",
    "RetryPlan",
    "ServeOptions",
    "Status",
    "StatusPolicy",
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
    "policy_of",
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
