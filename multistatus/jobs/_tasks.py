"""Jobs in an ASGI server: a runner of asyncio tasks, and the monitors as an ASGI application."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..asgi._render import ASGIApp
    from ._runner import Jobs

__all__ = ["TaskRunner", "monitor_asgi"]


class TaskRunner:
    """Runs jobs as tasks of the running event loop (the runner for ASGI servers), at most *max_workers* at once.

    A job's work (the handler, the store) is blocking code, so each task runs
    it in a worker thread (:func:`asyncio.to_thread`); the event loop stays free.
    Start jobs from inside the loop (an ASGI endpoint).

    Args:
        max_workers: how many jobs run at once; the others wait their turn.

    Example:
        >>> import asyncio
        >>> from multistatus.jobs import TaskRunner
        >>> runner, done = TaskRunner(max_workers=2), []
        >>> async def main():
        ...     runner(done.append, "job-1")
        ...     await runner.wait()
        >>> asyncio.run(main()); done
        ['job-1']
    """

    def __init__(self, max_workers: int = 4) -> None:
        self.max_workers = max_workers
        self._limits: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def __call__(self, run: Callable[[str], object], job_id: str) -> None:
        """Start a task that runs ``run(job_id)`` in a thread: on the running loop, or from another thread
        (a monitor read in a worker thread that resumes a job) on the loop this runner last started a job on.

        Raises:
            RuntimeError: no event loop runs in this thread, and this runner never started a job.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            if self._loop is None:
                raise RuntimeError("a TaskRunner starts jobs from inside an event loop (an ASGI endpoint)") from None
            self._loop.call_soon_threadsafe(self._start, self._loop, run, job_id)
            return
        self._start(loop, run, job_id)

    def _start(self, loop: asyncio.AbstractEventLoop, run: Callable[[str], object], job_id: str) -> None:
        self._loop = loop
        limit = self._limits.setdefault(loop, asyncio.Semaphore(self.max_workers))
        task = loop.create_task(self._run(limit, run, job_id))
        self._tasks.add(task)  # (a reference, so that the task is not collected while it runs)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(limit: asyncio.Semaphore, run: Callable[[str], object], job_id: str) -> None:
        async with limit:
            await asyncio.to_thread(run, job_id)

    async def wait(self) -> None:
        """Wait for the jobs started so far (at shutdown: the ASGI lifespan's end)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))


def monitor_asgi(jobs: Jobs) -> ASGIApp:
    """The monitors of *jobs* as an ASGI application: the last path segment is the job id.

    Args:
        jobs: the :class:`~multistatus.jobs.Jobs` whose monitors to answer.

    Returns:
        An ASGI application answering ``GET``, ``HEAD`` and ``DELETE`` (see :meth:`Jobs.answer
        <multistatus.jobs.Jobs.answer>`); the store is read in a worker thread.
    """
    from ..asgi._render import Receive, Scope, Send, header

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        job_id = str(scope.get("path", "")).rstrip("/").rpartition("/")[2]
        method = str(scope.get("method", "GET"))
        reply = await asyncio.to_thread(jobs.answer, job_id, method, accept=header(scope, "accept"))
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method.upper() == "HEAD" else reply.body})

    return app
