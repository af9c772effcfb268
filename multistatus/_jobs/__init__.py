"""Jobs, sans-I/O: the record a job store keeps, and the HTTP answers that start a job and show it.

The stores, the runners and the worker entry points are in :mod:`multistatus.jobs`.
"""

from ._monitor import (
    NOT_ATTEMPTED,
    accepted,
    decode_answers,
    encode_answer,
    job_document,
    monitor,
    not_attempted,
    wants_job,
)
from ._record import DEFAULT_JOB_LEASE, DEFAULT_JOB_RETENTION, JobRecord, JobStore, Progress

__all__ = [
    "DEFAULT_JOB_LEASE",
    "DEFAULT_JOB_RETENTION",
    "NOT_ATTEMPTED",
    "JobRecord",
    "JobStore",
    "Progress",
    "accepted",
    "decode_answers",
    "encode_answer",
    "job_document",
    "monitor",
    "not_attempted",
    "wants_job",
]
