"""The client side: reading any server's answer, finding what failed, retrying only that."""

from .._public import publish
from ._async import from_async_response
from ._body import from_body, from_response, sniff
from ._outcome import Anomaly, BatchOutcome, BatchPolicy, DeadLetter, Progress
from ._retry import DEFAULT_RETRYABLE, RetryPlan, retry_after, retry_plan, split_self

__all__ = [
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
    "sniff",
    "split_self",
]


publish(globals(), __all__, "multistatus")  # public through the top-level package (imported there on first use)
