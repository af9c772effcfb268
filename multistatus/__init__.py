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
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    ConditionFailed,
    FailedItems,
    FetchFailed,
    JobTimeout,
    LimitExceeded,
    MultiStatusError,
    NotAcceptable,
    NotMultiStatus,
    ParseError,
    UnsupportedMediaType,
    ValidationError,
)
from ._hrefs import display_href, href_key, resolve_href, same_href
from ._json import from_dict, from_json, json_schema, stream_json, to_dict, to_json, write_json
from ._limits import Limits
from ._model import (
    JOB_STATES,
    Element,
    Error,
    FrozenMap,
    JobStatus,
    MultiStatus,
    Property,
    PropStat,
    Response,
    Status,
    Summary,
)
from ._names import DAV, NAMESPACE, PROBLEM_NS

# The model and its values, the codecs: imported with the package.
from ._public import publish
from ._xml import Violation, XMLFeeder, XMLStream, from_xml, iter_xml, stream_xml, to_xml, validate, write_xml

# Serving (collecting results, answering them) and the client side: imported on
# first use (PEP 562), so that a program that only builds or parses documents does
# not pay for them (bench/bench_import.py).  Type checkers see them here.
if TYPE_CHECKING:
    from ._client import (
        DEFAULT_RETRYABLE,
        Anomaly,
        BatchOutcome,
        BatchPolicy,
        DeadLetter,
        Progress,
        RetryPlan,
        from_async_response,
        from_body,
        from_response,
        retry_after,
        retry_plan,
        split_self,
    )
    from ._collector import Results
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
        read_batch,
        reply,
        to_html,
    )
    from ._send import send_batch, send_batch_async, wait_for_job

_CLIENT = frozenset(
    (
        "DEFAULT_RETRYABLE",
        "Anomaly",
        "BatchOutcome",
        "BatchPolicy",
        "DeadLetter",
        "Progress",
        "RetryPlan",
        "from_async_response",
        "from_body",
        "from_response",
        "retry_after",
        "retry_plan",
        "split_self",
    )
)
_COLLECTOR = frozenset(("Results",))
_SEND = frozenset(("send_batch", "send_batch_async", "wait_for_job"))
_HTTP = frozenset(
    (
        "MEDIA_TYPES",
        "POLICIES",
        "Policy",
        "Preferences",
        "Reply",
        "ServeOptions",
        "StatusPolicy",
        "apply_prefer",
        "choose_status",
        "default_media_type",
        "negotiate",
        "parse_prefer",
        "policy_of",
        "problem_reply",
        "read_batch",
        "reply",
        "to_html",
    )
)


def __getattr__(name: str) -> Any:
    """The serving and client names, imported when first asked for."""
    if name in _HTTP:
        from . import _http as module
    elif name in _CLIENT:
        from . import _client as module  # type: ignore[no-redef]
    elif name in _COLLECTOR:
        from . import _collector as module  # type: ignore[no-redef]
    elif name in _SEND:
        from . import _send as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)  # (its __module__ is already "multistatus": see the sub-package)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    modules = {name for name, value in globals().items() if isinstance(value, type(contextlib))}
    return sorted({*__all__, "__version__", *modules} - {"contextlib"})


__version__ = "0.1.0"

__all__ = [
    "DAV",
    "DEFAULT_RETRYABLE",
    "JOB_STATES",
    "MEDIA_TYPES",
    "NAMESPACE",
    "POLICIES",
    "PROBLEM_NS",
    "Anomaly",
    "BatchOutcome",
    "BatchPolicy",
    "ConditionFailed",
    "DeadLetter",
    "Element",
    "Error",
    "FailedItems",
    "FetchFailed",
    "FrozenMap",
    "JobStatus",
    "JobTimeout",
    "LimitExceeded",
    "Limits",
    "MultiStatus",
    "MultiStatusError",
    "NotAcceptable",
    "NotMultiStatus",
    "ParseError",
    "Policy",
    "Preferences",
    "Progress",
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
    "UnsupportedMediaType",
    "ValidationError",
    "Violation",
    "XMLFeeder",
    "XMLStream",
    "apply_prefer",
    "choose_status",
    "default_media_type",
    "display_href",
    "from_async_response",
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
    "read_batch",
    "reply",
    "resolve_href",
    "retry_after",
    "retry_plan",
    "same_href",
    "send_batch",
    "send_batch_async",
    "split_self",
    "stream_json",
    "stream_xml",
    "to_dict",
    "to_html",
    "to_json",
    "to_xml",
    "validate",
    "wait_for_job",
    "write_json",
    "write_xml",
]

publish(globals(), [name for name in __all__ if name in globals()], __name__)  # (the lazy ones: in their packages)
