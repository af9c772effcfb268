"""The demo misbehaving on purpose (``demo --faults RATE``), so that anyone can watch a client cope.

At a fault rate *r*, ``POST /batch``:

* answers each valid item, with probability *r*, ``429 rate_limited`` (with
  ``Retry-After``) or ``503 unavailable`` instead of saving it (half each);
* refuses a whole request, with probability *r*/10, with ``429`` (with
  ``Retry-After``) or ``503`` (half each), saving nothing;
* drops a connection, with probability *r*/10, **after** saving the items and
  keeping the answer under the request's idempotency keys: it sends half the
  answer and closes, the case that duplicates work for a client without keys.

Invalid items stay invalid (422) and protected ones forbidden (403): those are
for good, whatever the rate.  :func:`faulty` wraps the endpoint for the
request-level faults; :meth:`Faults.item` is asked by the endpoint for each item.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._http._negotiation import JSON
from ..wsgi import respond_problem

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["Faults", "faulty"]


class Faults:
    """The demo's fault plan: a rate in [0, 1], the ``Retry-After`` of its 429s, and a seed.

    Args:
        rate: the share of items failed on purpose (a tenth of it for whole requests,
            and as much again for dropped connections).
        retry_after: the ``Retry-After`` of the 429s, in whole seconds.
        seed: seeds the draws (``None``: from the system).

    Example:
        >>> from multistatus.demo import Faults
        >>> Faults(1.0, retry_after=0, seed=1).item()["status"] in (429, 503)
        True
        >>> Faults(0.0).item() is None
        True
    """

    def __init__(self, rate: float, *, retry_after: int = 1, seed: int | None = None) -> None:
        if not 0 <= rate <= 1:
            raise ValueError(f"the fault rate is a share in [0, 1], not {rate!r}")
        if retry_after < 0:
            raise ValueError(f"retry_after is whole seconds >= 0, not {retry_after!r}")
        self.rate = rate
        self.retry_after = int(retry_after)
        self._random = random.Random(seed)
        self._lock = threading.Lock()  # (the server answers requests on several threads)

    def _draw(self) -> float:
        with self._lock:
            return self._random.random()

    def item(self) -> dict[str, Any] | None:
        """The failure of one valid item (the arguments of ``handle.failed``), or ``None`` to save it."""
        x = self._draw()
        if x >= self.rate:
            return None
        if x < self.rate / 2:
            return {
                "status": 429,
                "code": "rate_limited",
                "message": "The demo rate-limited this item on purpose (--faults).",
                "retry_after": self.retry_after,
            }
        return {"status": 503, "code": "unavailable", "message": "The demo failed this item on purpose (--faults)."}

    def request(self) -> str | None:
        """What happens to a whole request: ``"429"``, ``"503"``, ``"drop"`` or ``None``."""
        x, share = self._draw(), self.rate / 10
        if x < share / 2:
            return "429"
        if x < share:
            return "503"
        return "drop" if x < 2 * share else None


def faulty(app: WSGIApplication, faults: Faults) -> WSGIApplication:
    """*app* (the batch endpoint) with the request-level faults of *faults* on its ``POST`` requests."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return app(environ, start_response)
        fate = faults.request()
        if fate in ("429", "503"):
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))  # (read: the connection stays usable)
            headers = [("Retry-After", str(faults.retry_after))] if fate == "429" else []
            detail = "The demo refused this whole request on purpose (--faults)."
            return respond_problem(environ, start_response, int(fate), detail=detail, headers=headers, default=JSON)
        if fate == "drop":
            return _dropped(app, environ, start_response)
        return app(environ, start_response)

    return wrapped


def _dropped(app: WSGIApplication, environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
    """Run the request to the end (its items saved, its answer kept), then send half the answer and hang up."""
    started: list[Any] = []

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return lambda data: None

    body = b"".join(app(environ, capture))
    status, headers = started
    start_response(status, [(k, v) for k, v in headers if k.lower() != "content-length"]
                   + [("Content-Length", str(len(body)))])  # fmt: skip
    yield body[: len(body) // 2]
    raise ConnectionAbortedError("the demo drops this connection on purpose (--faults)")
