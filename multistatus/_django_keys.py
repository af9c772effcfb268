"""``Idempotency-Key`` for Django: what :class:`multistatus.django.ProblemMiddleware` does with ``idempotency``.

The contract of the WSGI middleware's (:mod:`multistatus.wsgi._idempotent`),
on Django's request and response objects: a keyed request of one of the
settings' methods is refused (400, 409, 422), its stored answer replayed for
this request's ``Accept`` and ``Prefer`` (``Idempotent-Replayed: true``), or
the view runs and its answer (a multistatus in JSON or XML, a problem+json
document, or no body) is kept.  A streaming response, or a body of another
kind, is not kept: the key is released.  Every answer under a key carries
``Idempotency-Retention``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._collector import Results
from ._http import _serve
from ._http._reply import Reply
from ._idempotency import RETENTION, Idempotency, Refusal, Replay
from ._idempotency._answer import sent_answer
from ._idempotency._refusal import short_body
from ._model import MultiStatus

__all__ = ["idempotent_view"]


def idempotent_view(
    idem: Idempotency,
    request: Any,
    get_response: Callable[[Any], Any],
    to_response: Callable[[Reply], Any],
    exchange: Callable[[Any], _serve.Exchange],
) -> Any:
    """Answer the Django *request* through *get_response* under the idempotency settings *idem*.

    *to_response* and *exchange* are :mod:`multistatus.django`'s (the request's
    answer and its header values), given so this module does not import it back.
    """
    who = idem.scope(request) if idem.scope is not None else ""
    method = str(request.method or "GET").upper()
    request.META[_serve.RESULTS_KEY] = Results(
        idempotency=idem, scope=who, target=f"{method} {request.get_full_path()}"
    )
    headers = request.headers
    key = headers.get(idem.header)
    if method not in idem.methods or (key is None and not idem.required):
        return get_response(request)
    options = _serve.chosen_options(request.META, None)
    body = b""
    if key is not None:
        length = _content_length(request.META.get("CONTENT_LENGTH"))
        if length is None:  # (Django's request.body would raise ValueError: a 500 for the client's mistake)
            detail = "The Content-Length is not a number of bytes."
            return to_response(_serve.problem(exchange(request), 400, options, detail=detail))
        if length > idem.max_body:
            detail = f"The body is larger than {idem.max_body} bytes."
            return to_response(_serve.problem(exchange(request), 413, options, detail=detail))
        body = request.body
        if len(body) < length:  # (the client went away: never claimed, see short_body)
            return to_response(_serve.problem(exchange(request), 400, options, detail=short_body(len(body), length)))
    outcome = idem.begin(
        method,
        request.get_full_path(),
        key=key,
        body=body,
        content_type=headers.get("Content-Type"),
        headers=[(name, value) for name in idem.include if (value := headers.get(name)) is not None],
        scope=who,
    )
    accept, content_type = headers.get("Accept"), headers.get("Content-Type")
    if isinstance(outcome, Refusal):
        return to_response(
            outcome.reply(accept=accept, method=method, content_type=content_type, default=options.default)
        )
    kept = (RETENTION, str(int(idem.retention)))
    if isinstance(outcome, Replay):
        answer = outcome.reply(
            accept=accept, prefer=headers.get("Prefer"), brief=headers.get("Brief"), method=method,
            content_type=content_type, options=options,
        )  # fmt: skip
        return to_response(Reply(answer.status, (*answer.headers, kept), answer.body))
    captured: list[MultiStatus] = []
    request.META[_serve.CAPTURE_KEY] = captured  # (what respond() renders: the document itself is kept)
    try:
        response = get_response(request)
    except BaseException:
        outcome.release()
        raise
    stored = None
    if not getattr(response, "streaming", False):
        as_sent = headers.get("Prefer") is None and headers.get("Brief") is None  # (see sent_answer)
        doc = captured[-1] if captured else None
        stored = sent_answer(response.status_code, list(response.items()), doc, response.content, as_sent=as_sent)
    if stored is None:
        outcome.release()
    else:
        outcome.complete(stored)
    response[kept[0]] = kept[1]
    return response


def _content_length(value: object) -> int | None:
    """The ``Content-Length`` (0 when there is none), or ``None`` when it is not a number of bytes."""
    text = str(value or "0").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None  # (no body has 19 digits)
