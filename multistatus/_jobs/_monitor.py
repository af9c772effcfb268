"""The job's HTTP side, sans-I/O: when a batch becomes a job, the 202 that says so, and the monitor's answers.

::

    wants_job(prefer, total)   Prefer: respond-async (RFC 7240 §4.1), or more items than the application runs at once
    accepted(location)         202 Accepted, Location: the monitor, Preference-Applied: respond-async
    monitor(record, ...)       not-started, running -> 200, the items finished so far, Retry-After
                               ended               -> the status policy's status, exactly as the synchronous answer
                               a tombstone         -> 410 Gone (problem)
                               unknown             -> 404 Not Found (problem)

The monitor's body is the document the synchronous request would have given,
holding the items finished so far, with the job's :class:`~multistatus.JobStatus`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .._http import Reply, ServeOptions, parse_prefer, problem_reply, reply
from .._json import from_json
from .._json._writer import response_text
from .._model import JobStatus, MultiStatus, Response
from .._model._job import JobState
from .._model._response import check_header_field
from ._record import JobRecord

__all__ = [
    "NOT_ATTEMPTED",
    "accepted",
    "decode_answers",
    "encode_answer",
    "job_document",
    "monitor",
    "not_attempted",
    "wants_job",
]

#: The status of an item a canceled job never started (with the problem code ``not_attempted``).
NOT_ATTEMPTED = 424
_ASYNC = "respond-async"


def wants_job(prefer: str | None, total: int, *, above: int | None = None) -> bool:
    """Whether a batch of *total* items runs as a job: the client asked (``Prefer: respond-async``) or it is big.

    Args:
        prefer: the request's ``Prefer`` header (read with :func:`~multistatus.parse_prefer`).
        total: how many items the batch has.
        above: run batches of more items than this as jobs even unasked; ``None``: only when asked.

    Returns:
        ``True`` to answer 202 and run the batch as a job.

    Example:
        >>> from multistatus.jobs import wants_job
        >>> wants_job("respond-async, wait=10", 3), wants_job(None, 3), wants_job(None, 5000, above=1000)
        (True, False, True)
    """
    return _ASYNC in parse_prefer(prefer).other or (above is not None and total > above)


def encode_answer(response: Response) -> bytes:
    """An item's answer as a job store keeps it: the response's JSON form."""
    return response_text(response).encode("utf-8")


def decode_answers(answers: Sequence[bytes]) -> tuple[Response, ...]:
    """The responses :func:`encode_answer` wrote, in one parse."""
    if not answers:
        return ()
    return from_json(b'{"responses":[' + b",".join(answers) + b"]}").responses


def not_attempted(href: str, *, id: str | None = None) -> Response:  # noqa: A002 - the JSON member is "id"
    """The answer of an item a canceled job never started: ``424`` with the problem code ``not_attempted``.

    Example:
        >>> from multistatus.jobs import not_attempted
        >>> r = not_attempted("/items/7", id="7")
        >>> r.status.code, r.error.code
        (424, 'not_attempted')
    """
    from .._collector._item import failed

    return failed(href, NOT_ATTEMPTED, code="not_attempted", message="Not attempted: the job was canceled.", id=id)


def job_document(record: JobRecord, unstarted: Sequence[Response] = ()) -> MultiStatus:
    """The monitor's document of *record*: the items finished so far (then *unstarted*, for a
    canceled job: the items it never started), with the job's state and progress."""
    responses = decode_answers(record.answers)
    if record.state == "canceled":
        responses = (*responses, *unstarted)
    state: JobState = record.state
    return MultiStatus(responses, job=JobStatus(state, record.done, record.total))


def accepted(location: str) -> Reply:
    """The answer that starts a job: 202 Accepted, the monitor in ``Location``, ``Preference-Applied: respond-async``.

    No body, and no ``Retry-After``: the monitor shows the job and says when to
    ask again.  (So an idempotency layer keeps this answer as it is, and a retry
    of the request is answered with the same monitor; an answer with
    ``Retry-After`` is one it does not keep.)

    Args:
        location: the monitor's URL (a path, or an absolute URL).

    Returns:
        The :class:`~multistatus.Reply`.

    Raises:
        ValueError: *location* holds a control character (it would start another header field).

    Example:
        >>> from multistatus.jobs import accepted
        >>> r = accepted("/batch/jobs/abc")
        >>> r.status, r.header("location"), r.header("preference-applied"), r.body
        (202, '/batch/jobs/abc', 'respond-async', b'')
    """
    check_header_field("Location", location)
    headers = (
        ("Location", location),
        ("Preference-Applied", _ASYNC),
        ("Content-Length", "0"),
        ("Vary", "Prefer"),
    )
    return Reply(202, headers, b"")


def monitor(
    record: JobRecord | None,
    *,
    accept: str | None = None,
    method: str | None = None,
    options: ServeOptions | None = None,
    unstarted: Sequence[Response] = (),
    retry_after: int = 1,
    retention: float | None = None,
) -> Reply:
    """The monitor's answer for *record* (``None``: no such job).

    Args:
        record: the job's record as its store read it.
        accept: the request's ``Accept``.
        method: the request method (``GET``, ``HEAD`` or ``DELETE``).
        options: the batch endpoint's :class:`~multistatus.ServeOptions` (its status policy).
        unstarted: for a canceled job, the answers of the items it never started.
        retry_after: seconds to wait before asking again, while the job runs.
        retention: the store's retention period (named in the 410 problem).

    Returns:
        The :class:`~multistatus.Reply`.

    Example:
        >>> from multistatus.jobs import JobRecord, monitor
        >>> r = monitor(JobRecord("j1", "running", 4, (), 0, b"[]", False, 30.0), accept="application/json")
        >>> r.status, r.header("retry-after")
        (200, '1')
        >>> monitor(None).status, monitor(JobRecord("j1", "succeeded", 4, (), 4, b"", False, 0.0, gone=True)).status
        (404, 410)
    """
    if record is None:
        return problem_reply(404, detail="There is no such job.", accept=accept, method=method)
    if record.gone:
        kept = "" if retention is None else f" for {retention:g} seconds"
        detail = f"The job ended, and its results were kept{kept}; they are gone."
        return problem_reply(410, detail=detail, accept=accept, method=method, code="job_expired")
    doc = job_document(record, unstarted)
    if record.terminal:
        return reply(doc, accept=accept, method="POST", options=options)
    running = reply(doc, accept=accept, method="POST", options=options)
    return dataclasses.replace(running, status=200, headers=(*running.headers, ("Retry-After", str(int(retry_after)))))
