"""Sending a large batch: the drivers of the sans-I/O bookkeeping in ``_client/_batch.py``.

:func:`send_batch` (urllib, requests, httpx) and :func:`send_batch_async`
(httpx's ``AsyncClient``, aiohttp) only do the I/O: they send what the
machine says, sleep when it says so, and hand it each answer.
"""

from .._public import publish
from ._async import send_batch_async
from ._job import wait_for_job
from ._sync import send_batch

__all__ = ["send_batch", "send_batch_async", "wait_for_job"]

publish(globals(), __all__, "multistatus")
