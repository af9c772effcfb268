"""``Idempotency-Key`` in the ASGI middleware: ``MultiStatusMiddleware(app, idempotency=...)``.

The contract of the WSGI middleware's (:mod:`multistatus.wsgi._idempotent`):
a keyed request of one of the settings' methods is read whole (at most
``max_body`` bytes) and fingerprinted; it is refused (400, 409, 422), its
stored answer replayed for this request's ``Accept`` and ``Prefer``
(``Idempotent-Replayed: true``), or the application runs with the body given
back to it and its answer is kept once sent whole.  Every answer under a key
carries ``Idempotency-Retention``.

The store is called in a worker thread (``asyncio.to_thread``): an SQLite
claim may wait for another process's write lock, and the event loop goes on
meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .._collector import Results
from .._http import _serve
from .._http._reply import Reply
from .._idempotency import RETENTION, Idempotency, Refusal, Replay, Run
from .._idempotency._answer import sent_answer
from .._model import MultiStatus
from ._render import RESULTS_KEY, Message, Receive, Scope, Send, header, is_head, problem_for, send_reply

if TYPE_CHECKING:
    from ._middleware import MultiStatusMiddleware

__all__ = ["CAPTURE_KEY", "idempotent_call"]

#: ``scope`` key of the list the middleware appends the document it rendered to (one request under a key).
CAPTURE_KEY = _serve.CAPTURE_KEY
_T = TypeVar("_T")


async def _store(call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    return await asyncio.to_thread(call, *args, **kwargs)


async def _read_body(receive: Receive, limit: int) -> bytes | bool:
    """The whole request body; ``False`` as soon as it is larger than *limit* bytes; ``True``
    when the client went away before its end (``http.disconnect``)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _target(scope: Scope) -> str:
    path = str(scope.get("root_path", "")) + str(scope.get("path", ""))
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


async def idempotent_call(
    middleware: MultiStatusMiddleware, idem: Idempotency, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one HTTP request through *middleware* under the idempotency settings *idem*."""
    who = idem.scope(scope) if idem.scope is not None else ""
    method = str(scope.get("method") or "GET").upper()
    scope[RESULTS_KEY] = Results(idempotency=idem, scope=who, target=f"{method} {_target(scope)}")
    key = header(scope, idem.header)
    if method not in idem.methods or (key is None and not idem.required):
        scope[CAPTURE_KEY] = None
        await middleware(scope, receive, send)
        return
    head = is_head(scope)
    body = await _read_body(receive, idem.max_body) if key is not None else b""
    if body is True:  # (gone before the body's end: nothing is claimed, nobody to answer)
        return
    if body is False:
        detail = f"The body is larger than {idem.max_body} bytes."
        await send_reply(send, problem_for(scope, 413, middleware.options, detail=detail), head=head)
        return
    outcome = await _store(
        idem.begin,
        method,
        _target(scope),
        key=key,
        body=body,
        content_type=header(scope, "content-type"),
        headers=[(name, value) for name in idem.include if (value := header(scope, name)) is not None],
        scope=who,
    )
    if isinstance(outcome, Refusal):
        answer = outcome.reply(
            accept=header(scope, "accept"),
            method=scope.get("method"),
            content_type=header(scope, "content-type"),
            default=middleware.options.default,
        )
        await send_reply(send, answer, head=head)
        return
    kept = (RETENTION, str(int(idem.retention)))
    if isinstance(outcome, Replay):
        answer = outcome.reply(
            accept=header(scope, "accept"),
            prefer=header(scope, "prefer"),
            brief=header(scope, "brief"),
            method=scope.get("method"),
            content_type=header(scope, "content-type"),
            options=middleware.options,
        )
        await send_reply(send, Reply(answer.status, (*answer.headers, kept), answer.body), head=head)
        return
    await _run(middleware, outcome, scope, receive, send, body, kept)


async def _run(
    middleware: MultiStatusMiddleware,
    run: Run,
    scope: Scope,
    receive: Receive,
    send: Send,
    body: bytes,
    kept: tuple[str, str],
) -> None:
    captured: list[MultiStatus] = []
    scope[CAPTURE_KEY] = captured
    given = False
    status = 0
    headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []
    whole = False

    async def replay_receive() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    async def capture_send(message: Message) -> None:
        nonlocal status, whole
        if message["type"] == "http.response.start":
            status = int(message["status"])
            headers[:] = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", ())]
            field = (kept[0].lower().encode("latin-1"), kept[1].encode("latin-1"))
            message = {**message, "headers": [*message.get("headers", ()), field]}
        elif message["type"] == "http.response.body":  # pragma: no branch - (others, e.g. trailers, pass)
            chunks.append(message.get("body", b""))
            whole = not message.get("more_body", False)
        await send(message)

    try:
        await middleware(scope, replay_receive, capture_send)
    except BaseException:
        await _store(run.release)
        raise
    as_sent = header(scope, "prefer") is None and header(scope, "brief") is None  # (see sent_answer)
    doc = captured[-1] if captured else None
    answer = sent_answer(status, headers, doc, b"".join(chunks), as_sent=as_sent) if whole else None
    if answer is None:
        await _store(run.release)
    else:
        await _store(run.complete, answer)
