"""Running batches as jobs: :class:`Jobs` starts them, runs them (or has a worker run them) and answers their monitor."""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .._collector import Results
from .._http import Reply, ServeOptions
from .._http._options import options_from
from .._jobs import (
    DEFAULT_JOB_LEASE,
    JobRecord,
    JobStore,
    accepted,
    decode_answers,
    encode_answer,
    monitor,
    not_attempted,
    wants_job,
)
from .._model import Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["JobHandler", "Jobs", "ThreadRunner"]

#: ``handler(results, items, start)``: record in *results* one response per item of
#: ``items[start:]``, in order (*results* already holds the answers of ``items[:start]``).
JobHandler = Callable[[Results, Sequence[Any], int], None]


#: What a job id looks like (``secrets.token_urlsafe``): anything else is no job.
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _log() -> logging.Logger:
    return logging.getLogger("multistatus")


class _Stop(BaseException):
    """Raised through the handler when the job must stop (canceled, or its lease lost); never escapes."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class _JobResults(Results):
    """A collector that records each answer in the job store as it is added."""

    def __init__(self, keep: Callable[[Response], None]) -> None:
        super().__init__()
        self._keep = keep

    def seed(self, responses: Iterable[Response]) -> None:
        """Hold the answers kept before (a resumed job), without recording them again."""
        for response in responses:
            super().add(response)

    def add(self, response: Response) -> Response:
        added = super().add(response)
        self._keep(added)
        return added


class _Writer:
    """Keeps a run's answers in the store: a few at a time (every *flush_items* answers or *flush_seconds*),
    each write renewing the lease and telling whether a cancel was asked or the job was taken over."""

    def __init__(self, jobs: Jobs, job_id: str, owner: str, start: int, total: int) -> None:
        self.jobs, self.job_id, self.owner, self.total = jobs, job_id, owner, total
        self.position = start
        self.pending: list[bytes] = []
        self.last = time.monotonic()
        self.stopped = False

    def add(self, response: Response) -> None:
        self.pending.append(encode_answer(response))
        jobs = self.jobs
        if len(self.pending) >= jobs.flush_items or time.monotonic() - self.last >= jobs.flush_seconds:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        pending, self.pending = self.pending, []
        if final and not pending:
            return
        jobs = self.jobs
        progress = jobs.store.record(self.job_id, self.owner, self.position, pending, jobs.lease)
        self.last = time.monotonic()
        if progress == "lost":
            self.stopped = True
            raise _Stop("lost")
        self.position += len(pending)
        if progress == "canceled" and self.position < self.total and not final:
            self.stopped = True
            raise _Stop("canceled")


class ThreadRunner:
    """Runs jobs on a bounded pool of threads in this process (the default runner).

    Args:
        max_workers: how many jobs run at once; the others wait their turn.

    Example:
        >>> from multistatus.jobs import ThreadRunner
        >>> runner = ThreadRunner(max_workers=2)
        >>> done = []
        >>> runner(done.append, "job-1")
        >>> runner.close(); done
        ['job-1']
    """

    def __init__(self, max_workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="multistatus-job")

    def __call__(self, run: Callable[[str], object], job_id: str) -> None:
        """Run ``run(job_id)`` on a pool thread."""
        self._pool.submit(run, job_id)

    def close(self) -> None:
        """Wait for the running jobs to finish, and stop the threads."""
        self._pool.shutdown(wait=True)


class Jobs:
    """Batches that run as jobs: a 202 with a monitor, the work on a runner, the results kept in a :class:`JobStore`.

    Args:
        store: where job records live (:class:`MemoryJobStore`, :class:`SQLiteJobStore`, :class:`RedisJobStore`).
        handler: ``handler(results, items, start)``: the batch's work (see :data:`JobHandler`).
        monitor_path: the monitors' URL prefix; a job's monitor is ``monitor_path + job id``.
        options: the batch endpoint's :class:`~multistatus.ServeOptions` (its status policy: an
            ended job's monitor answers with the status the synchronous request would have).
        name: ``name(item, position)`` -> ``(href, id)`` of an item, for the items a canceled job
            never started (by default the position from 1, no id).
        decode: the payload -> the items (``json.loads`` by default).
        runner: ``runner(run, job_id)`` makes ``run(job_id)`` happen somewhere: a :class:`ThreadRunner`
            (the default, *max_workers* threads) or :func:`rq_runner` (RQ workers on many machines).
        max_workers: the default runner's threads.
        lease: seconds a runner holds a job between two items (one item must take less).
        retry_after: seconds the monitor tells clients to wait between polls.
        above: batches of more items than this run as jobs even unasked (``None``: only on
            ``Prefer: respond-async``).
        resume: a monitor read of a job whose runner died (its lease lapsed) runs it again, from
            its last finished item.
        flush_items: the answers are written to the store (and the lease renewed, and a cancel
            seen) every *flush_items* answers or *flush_seconds* seconds, whichever comes first;
            a runner that dies loses at most that much work, which its successor does again.
        flush_seconds: see *flush_items*.

    Example:
        >>> import json
        >>> import multistatus as ms
        >>> from multistatus.jobs import Jobs, MemoryJobStore
        >>> def handler(results, items, start):
        ...     for i in range(start, len(items)):
        ...         results.succeeded(f"/items/{i + 1}", status=201)
        >>> jobs = Jobs(MemoryJobStore(), handler, monitor_path="/jobs/", runner=lambda run, job_id: run(job_id))
        >>> started = jobs.start(b"[1, 2, 3]", 3)
        >>> started.status, started.header("location").startswith("/jobs/")
        (202, True)
        >>> answer = jobs.answer(started.header("location")[6:], "GET", accept="application/json")
        >>> answer.status, ms.from_json(answer.body).job
        (207, JobStatus(state='succeeded', done=3, total=3))
    """

    def __init__(
        self,
        store: JobStore,
        handler: JobHandler,
        *,
        monitor_path: str = "/jobs/",
        options: ServeOptions | None = None,
        name: Callable[[Any, int], tuple[str, str | None]] | None = None,
        decode: Callable[[bytes], Sequence[Any]] = json.loads,
        runner: Callable[[Callable[[str], object], str], None] | None = None,
        max_workers: int = 4,
        lease: float = DEFAULT_JOB_LEASE,
        retry_after: int = 1,
        above: int | None = None,
        resume: bool = True,
        flush_items: int = 50,
        flush_seconds: float = 0.25,
    ) -> None:
        self.store = store
        self.handler = handler
        self.monitor_path = monitor_path
        self.options = options_from(options, {})
        self.name = name or (lambda item, position: (str(position + 1), None))
        self.decode = decode
        self._threads = ThreadRunner(max_workers) if runner is None else None
        self.runner = runner if runner is not None else self._threads
        self.lease = float(lease)
        self.retry_after = int(retry_after)
        self.above = above
        self.resume = resume
        self.flush_items = max(1, int(flush_items))
        self.flush_seconds = float(flush_seconds)
        self._lock = threading.Lock()

    # -- starting ------------------------------------------------------------------------
    def wants_job(self, prefer: str | None, total: int) -> bool:
        """Whether a batch of *total* items runs as a job (see :func:`wants_job`)."""
        return wants_job(prefer, total, above=self.above)

    def location(self, job_id: str) -> str:
        """The monitor's URL of *job_id*."""
        return self.monitor_path + job_id

    def start(self, payload: bytes, total: int) -> Reply:
        """Keep a new job for *payload* (its *total* items), hand it to the runner, and answer 202.

        Returns:
            The 202 :class:`~multistatus.Reply`, its ``Location`` the monitor.
        """
        job_id = secrets.token_urlsafe(16)
        self.store.create(job_id, payload, total)
        self.dispatch(job_id)
        return accepted(self.location(job_id))

    def dispatch(self, job_id: str) -> None:
        """Hand *job_id* to the runner (again, to resume it)."""
        assert self.runner is not None
        self.runner(self.run, job_id)

    # -- running ---------------------------------------------------------------------------
    def run(self, job_id: str) -> JobRecord | None:
        """Run the job *job_id* here, from its first unfinished item, if nobody else runs it.

        This is what a runner calls (a pool thread, an RQ worker through :func:`run_rq_job`).

        Returns:
            The job's record once this run ended, or ``None`` when it was not this run's to do.
        """
        owner = secrets.token_urlsafe(12)
        record = self.store.claim(job_id, owner, self.lease)
        if record is None:
            return None
        if record.cancel_requested:
            self.store.finish(job_id, owner, "canceled")
            return self.store.read(job_id, answers=False)
        start = record.done
        writer = _Writer(self, job_id, owner, start, record.total)
        results = _JobResults(writer.add)
        results.seed(decode_answers(record.answers))
        state = "succeeded"
        try:
            try:
                self.handler(results, self.decode(record.payload), start)
            finally:
                if not writer.stopped:
                    writer.flush(final=True)  # (what finished is kept, whatever ends the run)
        except _Stop as stop:
            if stop.why == "lost":
                _log().warning("multistatus: job %s was taken over by another runner", job_id)
                return None
            state = "canceled"
        except Exception:
            _log().exception("multistatus: job %s failed", job_id)
            state = "failed"
        else:
            if writer.position != record.total:
                _log().error(
                    "multistatus: job %s recorded %d answers for %d items", job_id, writer.position, record.total
                )
                state = "failed"
        self.store.finish(job_id, owner, state)  # type: ignore[arg-type]
        return self.store.read(job_id, answers=False)

    # -- the monitor -----------------------------------------------------------------------
    def unstarted(self, record: JobRecord) -> list[Response]:
        """The answers of the items a canceled job never started (``not_attempted``)."""
        if record.state != "canceled" or record.done >= record.total:
            return []
        items = self.decode(record.payload)
        out = []
        for position in range(record.done, record.total):
            href, item_id = self.name(items[position], position)
            out.append(not_attempted(href, id=item_id))
        return out

    def answer(self, job_id: str, method: str, *, accept: str | None = None) -> Reply:
        """The monitor's answer: ``GET``/``HEAD`` show the job, ``DELETE`` cancels it.

        A job whose runner died (its lease lapsed) is handed to the runner again,
        when *resume* is on.  The monitor's URL is the job's capability: its id
        is 128 random bits; put the monitors behind the batch endpoint's own
        authentication when who may see or cancel a job matters.
        """
        verb = method.upper()
        if not _JOB_ID.fullmatch(job_id):  # (not one of ours: no store is asked)
            return monitor(None, accept=accept, method=verb)
        if verb == "DELETE":
            record = self.store.cancel(job_id)
        elif verb in ("GET", "HEAD"):
            record = self.store.read(job_id)
            if record is not None and self.resume and record.lapsed:
                self.dispatch(job_id)
        else:
            from .._http import problem_reply

            return problem_reply(405, accept=accept, headers=[("Allow", "GET, HEAD, DELETE")])
        unstarted = self.unstarted(record) if record is not None and not record.gone else []
        return monitor(
            record,
            accept=accept,
            method=verb,
            options=self.options,
            unstarted=unstarted,
            retry_after=self.retry_after,
            retention=self.store.retention,
        )

    def monitor_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """A WSGI application for the monitors: the last path segment is the job id.

        Mount it at :attr:`monitor_path` (or route those paths to it).
        """
        job_id = str(environ.get("PATH_INFO", "")).rstrip("/").rpartition("/")[2]
        method = str(environ.get("REQUEST_METHOD", "GET"))
        reply = self.answer(job_id, method, accept=environ.get("HTTP_ACCEPT"))
        start_response(reply.status_line, list(reply.headers))
        return [] if method.upper() == "HEAD" else [reply.body]

    def close(self) -> None:
        """Stop the default runner's threads (after the running jobs finish)."""
        if self._threads is not None:
            self._threads.close()
