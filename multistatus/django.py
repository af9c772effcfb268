"""Django: an ``HttpResponse`` built from a reply, headers included, and problems for request-level failures.

Django is imported inside the functions: ``multistatus`` does not depend on it.
The examples need configured Django settings, so they are not run as doctests
(``tests/test_integrations.py`` runs them).

.. code-block:: python

    import multistatus as ms
    from multistatus import django as msdjango

    @csrf_exempt
    def create(request):
        results = msdjango.get_results(request)
        for item in msdjango.read_batch(request):  # 400, 413, 415 problems
            ...  # results.record_success(...) / results.record_failure(...)
        return msdjango.respond(request, options=ms.ServeOptions(policy="200-if-all-succeeded"))

    # settings.py
    MIDDLEWARE = [..., "multistatus.django.ProblemMiddleware"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._collector import Results
from ._exceptions import MultiStatusError
from ._http import _serve
from ._http._options import DEFAULT_OPTIONS, ServeOptions, options_from
from ._http._reply import Reply
from ._model import MultiStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._idempotency import Idempotency

__all__ = [
    "ProblemMiddleware",
    "get_results",
    "problem",
    "read_batch",
    "respond",
    "respond_problem",
    "to_response",
]

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


def to_response(answer: Reply) -> Any:
    """A Django ``HttpResponse`` with the status, header fields and body of *answer*.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import to_response
        >>> r = to_response(ms.reply(ms.MultiStatus([ms.Response("/a", status=201)]), accept="application/json"))  # doctest: +SKIP
        >>> r.status_code, r["Content-Type"], r["Vary"]  # doctest: +SKIP
        (207, 'application/json', 'Accept, Prefer, Brief')
    """
    from django.http import HttpResponse  # type: ignore[import-untyped, unused-ignore]

    response = HttpResponse(answer.body, status=answer.status)
    if answer.header("Content-Type") is None:
        del response["Content-Type"]  # a 204 has none
    for name, value in answer.headers:
        response[name] = value
    return response


def _exchange(request: Any) -> _serve.Exchange:
    headers = request.headers
    return _serve.Exchange(
        request.META,
        headers.get("Accept"),
        headers.get("Prefer"),
        headers.get("Brief"),
        request.method,
        headers.get("Content-Type") or None,
    )


def get_results(request: Any, **options: Any) -> Results:
    """The results collector of this Django request, created on first use and kept in ``request.META``.

    :func:`respond` answers it when given no document, and :func:`read_batch`
    records in it the items its *item* check refuses.

    Args:
        request: the Django ``HttpRequest``.
        **options: passed to :class:`~multistatus.Results` when the collector is created.

    Returns:
        The same :class:`~multistatus.Results` for every call within one request.

    Example:
        >>> from multistatus.django import get_results
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items")  # doctest: +SKIP
        >>> get_results(request) is get_results(request)  # doctest: +SKIP
        True
    """
    return _serve.results_in(request.META, **options)


def respond(
    request: Any,
    doc: MultiStatus | Results | None = None,
    *legacy: ServeOptions | None,
    options: ServeOptions | None = None,
    headers: Headers = None,
    **settings: Any,
) -> Any:
    """The negotiated answer to this Django request: *doc*, or the collected results when ``None``.

    ``Prefer`` applied, the status of the policy; the options are *options*,
    else those of :class:`ProblemMiddleware`, else the library defaults.  The
    earlier form ``respond(request, doc, options=None, **settings)`` is kept one release.

    Args:
        request: the Django ``HttpRequest``.
        doc: a :class:`~multistatus.MultiStatus` or :class:`~multistatus.Results`;
            the :func:`get_results` collector when ``None``.
        options: the :class:`~multistatus.ServeOptions` of this answer.
        headers: more header fields (name/value pairs or a mapping).
        **settings: the earlier form's single settings (kept one release).

    Returns:
        A Django ``HttpResponse`` (406 as a problem when ``strict`` negotiation fails).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import respond
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/xml")  # doctest: +SKIP
        >>> opts = ms.ServeOptions(policy="200-if-all-succeeded")
        >>> r = respond(request, ms.MultiStatus([ms.Response("/items/1", status=201)]), options=opts)  # doctest: +SKIP
        >>> r.status_code, r["Content-Type"]  # doctest: +SKIP
        (200, 'application/xml; charset=utf-8')
    """
    if len(legacy) > 1:
        raise TypeError("respond() takes the request and a document; options and headers are keywords")
    legacy_options = legacy[0] if legacy else None  # the earlier form: respond(request, doc, options)
    chosen = _serve.chosen_options(request.META, legacy_options if options is None else options)
    if settings:
        chosen = options_from(chosen, settings)
    return to_response(_serve.answer(_exchange(request), doc, chosen, headers, keep=True))


def problem(
    request: Any,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Headers = None,
    **members: Any,
) -> Any:
    """A problem document answering this Django request, in the representation it negotiates, never 207.

    ``application/problem+json``, ``application/problem+xml``, a ``DAV:error``
    document for XML clients, or an HTML page for browsers; with no
    preference, JSON for a JSON batch (:func:`read_batch` was called).

    Args:
        request: the Django ``HttpRequest``.
        status: a 4xx or 5xx status code.
        title: a short summary; the reason phrase when ``None``.
        detail: what happened, safe to show to the client.
        headers: more header fields (pairs or a mapping).
        **members: RFC 9457 extension members (``code=`` ...), ``type=``, ``conditions=``.

    Returns:
        A Django ``HttpResponse``.

    Example:
        >>> from multistatus.django import problem
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/json")  # doctest: +SKIP
        >>> r = problem(request, 409, detail="Item 7 changed.", code="conflict")  # doctest: +SKIP
        >>> r.status_code, r["Content-Type"]  # doctest: +SKIP
        (409, 'application/problem+json')
    """
    options = _serve.chosen_options(request.META, None)
    reply = _serve.problem(_exchange(request), status, options, title=title, detail=detail, headers=headers, **members)
    return to_response(reply)


def read_batch(
    request: Any,
    *,
    item: Any = None,
    max_items: int = _serve.MAX_ITEMS,
    max_bytes: int = _serve.MAX_BYTES,
    min_items: int = 1,
    href: str = "{id}",
) -> list[Any]:
    """The items of this Django request's JSON batch body (see :func:`multistatus.wsgi.read_batch`).

    With :class:`ProblemMiddleware`, malformed JSON is a 400 problem naming
    the position, a body that is not JSON by its ``Content-Type`` 415 (none
    is read as JSON), too many items or bytes 413, too few 400.

    Args:
        request: the Django ``HttpRequest``.
        item: a pydantic model or a callable checking each item (a refused one is its own 422).
        max_items: the most items a batch may hold (10,000).
        max_bytes: the largest body (16 MiB).
        min_items: the fewest items (1: an empty batch is refused).
        href: the href of a refused item (``{id}``: its ``id`` member or position).

    Returns:
        The items, in order.

    Raises:
        UnsupportedMediaType: the body is not JSON by its ``Content-Type`` (415).
        ParseError: malformed JSON, not a batch, or too few items (400).
        LimitExceeded: too many items or bytes (413).

    Example:
        >>> from multistatus.django import read_batch
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items", [{"id": "1"}], content_type="application/json")  # doctest: +SKIP
        >>> read_batch(request)  # doctest: +SKIP
        [{'id': '1'}]
    """
    exchange = _exchange(request)
    _serve.begin_batch(exchange, max_items, max_bytes, min_items, request.headers.get("Content-Length"))
    body = getattr(request, "_body", None)  # read already (request.body): keep to it
    return _serve.read_items(
        exchange,
        body if isinstance(body, bytes) else request,  # (else read from the request, max_bytes + 1 at most)
        item=item,
        max_items=max_items,
        max_bytes=max_bytes,
        min_items=min_items,
        href=href,
    )


def respond_problem(request: Any, failure: int | MultiStatusError, **problem_members: Any) -> Any:
    """The earlier spelling of :func:`problem` (kept one release), also taking a library error.

    Args:
        request: the Django ``HttpRequest``.
        failure: a 4xx or 5xx status, or a :class:`~multistatus.MultiStatusError`
            (a :func:`read_batch` failure: its ``status_hint`` and message).
        **problem_members: passed to :func:`problem` (``detail=``, ``code=`` ...).

    Returns:
        A Django ``HttpResponse``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import respond_problem
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/json")  # doctest: +SKIP
        >>> r = respond_problem(request, ms.ParseError("the request body is not JSON"))  # doctest: +SKIP
        >>> r.status_code, r["Content-Type"]  # doctest: +SKIP
        (400, 'application/problem+json')
    """
    if isinstance(failure, MultiStatusError):
        problem_members.setdefault("detail", str(failure))
        failure = failure.status_hint
    return problem(request, failure, **problem_members)


class ProblemMiddleware:
    """Django middleware: the library's errors raised by a view become problem answers.

    So a view can call :func:`read_batch` and let a malformed (400), oversized
    (413) or non-JSON (415) body answer itself, in the representation the
    client asked for (JSON for a JSON batch when it asked for anything).
    Django's own ``RequestDataTooBig`` (``DATA_UPLOAD_MAX_MEMORY_SIZE``)
    becomes a 413 problem too.  Add ``"multistatus.django.ProblemMiddleware"``
    to ``MIDDLEWARE``; to serve with other :class:`~multistatus.ServeOptions`,
    subclass it and set :attr:`options`.

    To take idempotency keys, subclass it and set :attr:`idempotency` to an
    :class:`~multistatus.idempotency.Idempotency`: a request of its methods
    with an ``Idempotency-Key`` runs its view once and retries get the first
    answer (see :doc:`/howto-idempotency`); :func:`get_results` then claims
    per-item keys (:meth:`Results.claimed <multistatus.Results.claimed>`).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import ProblemMiddleware
        >>> from django.test import RequestFactory
        >>> middleware = ProblemMiddleware(lambda request: None)  # doctest: +SKIP
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/xml")  # doctest: +SKIP
        >>> middleware.process_exception(request, ms.LimitExceeded("too large")).status_code  # doctest: +SKIP
        413
    """

    #: The :class:`~multistatus.ServeOptions` of the answers made for the requests it serves.
    options: ServeOptions = DEFAULT_OPTIONS
    #: The idempotency settings of the requests it serves, or ``None`` (no keys).
    idempotency: Idempotency | None = None

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request.META[_serve.OPTIONS_KEY] = self.options
        if self.idempotency is not None:
            from ._django_keys import idempotent_view

            return idempotent_view(self.idempotency, request, self.get_response, to_response, _exchange)
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        """The problem answer for *exception*, or ``None`` to leave it to Django."""
        options = _serve.chosen_options(request.META, None)
        if type(exception).__name__ == "RequestDataTooBig":
            return to_response(_serve.problem(_exchange(request), 413, options, detail=str(exception)))
        if not isinstance(exception, MultiStatusError):
            return None
        reply = _serve.problem_for(_exchange(request), exception, options)
        return None if reply is None else to_response(reply)
