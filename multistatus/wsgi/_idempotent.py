"""``Idempotency-Key`` in the WSGI middleware: ``MultiStatusMiddleware(app, idempotency=...)``.

For a request of one of the settings' methods with a key, the middleware
reads the body (to fingerprint it, at most ``max_body`` bytes), asks
:meth:`Idempotency.begin <multistatus.idempotency.Idempotency.begin>`, and then:

- refuses (400, 409 with ``Retry-After``, 422) with a negotiated problem document;
- replays the stored answer rendered for this request's ``Accept`` and
  ``Prefer``, with ``Idempotent-Replayed: true``;
- or runs the application with the body given back to it, and keeps what it
  answered (a multistatus document, a problem+json document or no body) for the
  key's replays once the answer is complete (a streamed document once it was
  sent whole).  Any other answer (the application's own representation) is not
  kept: the key is released and a retry runs again.

Every answer under a key carries ``Idempotency-Retention`` (seconds the answer
is kept).  Whatever the method, the request's collector (:func:`get_results`)
gets the settings and the scope, for per-item keys (:meth:`Results.claimed
<multistatus.Results.claimed>`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._collector import Results
from .._http import _serve
from .._http._reply import Reply, problem_reply
from .._idempotency import RETENTION, Idempotency, Refusal, Replay, Run
from .._idempotency._answer import sent_answer
from .._idempotency._refusal import short_body
from .._model import MultiStatus
from ._render import RESULTS_KEY, for_request, is_head, request_headers, send

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from ._middleware import MultiStatusMiddleware

__all__ = ["CAPTURE_KEY", "idempotent_call", "retention_field"]

#: ``environ`` key of the list the middleware appends the document it rendered to (one request under a key).
CAPTURE_KEY = _serve.CAPTURE_KEY


def retention_field(idempotency: Idempotency) -> tuple[str, str]:
    """The ``Idempotency-Retention`` field: whole seconds a completed answer is kept."""
    return (RETENTION, str(int(idempotency.retention)))


def _wsgi_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _read_body(environ: WSGIEnvironment, limit: int) -> bytes | int | None:
    """The request body; ``None`` when it is larger than *limit* bytes; the number of bytes
    read when it ended before its ``Content-Length`` (the client went away)."""
    stream = environ.get("wsgi.input")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if stream is None or (length <= 0 and not environ.get("wsgi.input_terminated")):
        return b""
    if length > limit:
        return None
    data = stream.read(limit + 1) if length <= 0 else stream.read(length)
    if len(data) < length:
        return len(data)
    return None if len(data) > limit else bytes(data)


def _target(environ: WSGIEnvironment) -> str:
    path = (environ.get("SCRIPT_NAME") or "") + (environ.get("PATH_INFO") or "")
    query = environ.get("QUERY_STRING")
    return f"{path}?{query}" if query else path


def _headers(environ: WSGIEnvironment, names: Iterable[str]) -> list[tuple[str, str]]:
    out = []
    for name in names:
        value = environ.get("CONTENT_TYPE" if name.lower() == "content-type" else _wsgi_name(name))
        if isinstance(value, str):
            out.append((name, value))
    return out


def idempotent_call(
    middleware: MultiStatusMiddleware, idem: Idempotency, environ: WSGIEnvironment, start_response: StartResponse
) -> Iterable[bytes]:
    """Serve one request through *middleware* under the idempotency settings *idem*."""
    scope = idem.scope(environ) if idem.scope is not None else ""
    method = str(environ.get("REQUEST_METHOD") or "GET").upper()
    environ[RESULTS_KEY] = Results(idempotency=idem, scope=scope, target=f"{method} {_target(environ)}")
    key = environ.get(_wsgi_name(idem.header))
    if method not in idem.methods or (key is None and not idem.required):
        environ[CAPTURE_KEY] = None
        return middleware(environ, start_response)
    head = is_head(environ)
    body = _read_body(environ, idem.max_body) if key is not None else b""
    if body is None:
        detail = f"The body is larger than {idem.max_body} bytes."
        return send(start_response, problem_reply(413, detail=detail, **_negotiation(middleware, environ)), head=head)
    if isinstance(body, int):  # (never claimed: the fingerprint of a part would bind the key to it)
        detail = short_body(body, environ.get("CONTENT_LENGTH"))
        return send(start_response, problem_reply(400, detail=detail, **_negotiation(middleware, environ)), head=head)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    outcome = idem.begin(
        method,
        _target(environ),
        key=key,
        body=body,
        content_type=environ.get("CONTENT_TYPE"),
        headers=_headers(environ, idem.include),
        scope=scope,
    )
    if isinstance(outcome, Refusal):
        return send(start_response, outcome.reply(**_negotiation(middleware, environ)), head=head)
    kept = retention_field(idem)
    if isinstance(outcome, Replay):
        get = environ.get
        answer = outcome.reply(
            accept=get("HTTP_ACCEPT"),
            prefer=get("HTTP_PREFER"),
            brief=get("HTTP_BRIEF"),
            method=get("REQUEST_METHOD"),
            content_type=get("CONTENT_TYPE"),
            options=for_request(environ, middleware.options),
        )
        return send(start_response, Reply(answer.status, (*answer.headers, kept), answer.body), head=head)
    return _run(middleware, outcome, environ, start_response, kept)


def _negotiation(middleware: MultiStatusMiddleware, environ: WSGIEnvironment) -> dict[str, Any]:
    return {**request_headers(environ), "default": for_request(environ, middleware.options).default}


def _run(
    middleware: WSGIApplication,
    run: Run,
    environ: WSGIEnvironment,
    start_response: StartResponse,
    kept: tuple[str, str],
) -> Iterable[bytes]:
    captured: list[MultiStatus] = []
    environ[CAPTURE_KEY] = captured
    sent: list[Any] = []  # (the status, the header fields, then what went through write())

    def capture(status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None) -> Any:
        written: list[bytes] = []
        sent[:] = [status, headers, written]
        write = start_response(status, [*headers, kept], exc_info)

        def recording(data: bytes) -> Any:  # (PEP 3333's write(): its bytes come before the iterable's)
            written.append(data)
            return write(data)

        return recording

    try:
        chunks = middleware(environ, capture)
    except BaseException:
        run.release()
        raise
    as_sent = not (environ.get("HTTP_PREFER") or environ.get("HTTP_BRIEF"))  # (see sent_answer)
    if isinstance(chunks, list):
        _complete(run, sent, captured, chunks, as_sent)
        return chunks
    return _Completing(chunks, run, sent, captured, as_sent)


def _complete(
    run: Run, sent: list[Any], captured: list[MultiStatus], chunks: list[bytes] | None, as_sent: bool
) -> None:
    """Keep the answer for the key's replays, or release the key when it cannot be kept."""
    answer = None
    if sent:  # (else nothing was answered)
        headers = [(str(k), str(v)) for k, v in sent[1]]
        body = b"".join((*sent[2], *chunks)) if chunks is not None else None
        doc = captured[-1] if captured else None
        answer = sent_answer(int(str(sent[0])[:3]), headers, doc, body, as_sent=as_sent)
    if answer is None:
        run.release()
    else:
        run.complete(answer)


class _Completing:
    """The body of an answer that is not one list of bytes: the answer is kept once it was sent whole."""

    def __init__(
        self, chunks: Iterable[bytes], run: Run, sent: list[Any], captured: list[MultiStatus], as_sent: bool
    ) -> None:
        self._chunks = chunks
        self._run, self._sent, self._captured, self._as_sent = run, sent, captured, as_sent
        self._seen: list[bytes] = []
        self._whole = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self._seen.append(chunk)
            yield chunk
        self._whole = True

    def close(self) -> None:
        try:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            if self._whole:
                _complete(self._run, self._sent, self._captured, self._seen, self._as_sent)
            else:
                self._run.release()
