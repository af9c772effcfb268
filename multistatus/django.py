"""Django: an ``HttpResponse`` built from a reply, headers included, and problems for request-level failures.

Django is imported inside the functions: ``multistatus`` does not depend on it.
The examples need configured Django settings, so they are not run as doctests
(``tests/test_integrations.py`` runs them).

.. code-block:: python

    import multistatus as ms
    from multistatus import django as msdjango

    @csrf_exempt
    def create(request):
        items = ms.read_batch(request.body, content_type=request.content_type)  # 400/413 problems
        results = ms.Results()
        ...  # results.succeeded(...) / results.failed(...)
        return msdjango.respond(request, results.build(), policy="200-if-all-succeeded")

    # settings.py
    MIDDLEWARE = [..., "multistatus.django.ProblemMiddleware"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import MultiStatusError, NotAcceptable
from ._http._options import ServeOptions, options_from
from ._http._reply import Reply, problem_reply, reply
from ._model import MultiStatus

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ProblemMiddleware", "respond", "respond_problem", "to_response"]


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


def _request_headers(request: Any) -> dict[str, Any]:
    return {
        "accept": request.headers.get("Accept"),
        "method": request.method,
        "content_type": request.headers.get("Content-Type"),
    }


def respond(request: Any, doc: MultiStatus, options: ServeOptions | None = None, **settings: Any) -> Any:
    """Answer a Django request with *doc*: negotiated, ``Prefer`` applied, the status policy's status.

    Args:
        request: the Django ``HttpRequest``.
        doc: the document (``Results.build()``).
        options: the :class:`~multistatus.ServeOptions`.
        **settings: single settings of :class:`~multistatus.ServeOptions` (``policy=`` ...).

    Returns:
        A Django ``HttpResponse`` (406 as a problem when ``strict`` negotiation fails).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import respond
        >>> from django.test import RequestFactory
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/xml")  # doctest: +SKIP
        >>> r = respond(request, ms.MultiStatus([ms.Response("/items/1", status=201)]), policy="200-if-all-succeeded")  # doctest: +SKIP
        >>> r.status_code, r["Content-Type"]  # doctest: +SKIP
        (200, 'application/xml; charset=utf-8')
    """
    opts = options_from(options, settings)
    headers = _request_headers(request)
    try:
        answer = reply(
            doc, prefer=request.headers.get("Prefer"), brief=request.headers.get("Brief"), options=opts, **headers
        )
    except NotAcceptable as exc:
        detail = f"This resource is available as {', '.join(exc.available)}."
        answer = problem_reply(406, detail=detail, available=list(exc.available), default=opts.default, **headers)
    return to_response(answer)


def respond_problem(request: Any, failure: int | MultiStatusError, **problem: Any) -> Any:
    """Answer a request-level failure with a problem document in the negotiated representation.

    Args:
        request: the Django ``HttpRequest``.
        failure: a 4xx or 5xx status, or a :class:`~multistatus.MultiStatusError`
            (a :func:`~multistatus.read_batch` failure: its ``status_hint`` and message).
        **problem: passed to :func:`~multistatus.problem_reply` (``detail=``, ``code=`` ...).

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
        problem.setdefault("detail", str(failure))
        failure = failure.status_hint
    return to_response(problem_reply(failure, **_request_headers(request), **problem))


class ProblemMiddleware:
    """Django middleware: a :class:`~multistatus.MultiStatusError` raised by a view becomes a problem.

    So a view can call :func:`~multistatus.read_batch` and let a malformed
    (400) or oversized (413) body answer itself.  Django's own
    ``RequestDataTooBig`` (``DATA_UPLOAD_MAX_MEMORY_SIZE``) becomes a 413
    problem too.  Add ``"multistatus.django.ProblemMiddleware"`` to ``MIDDLEWARE``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.django import ProblemMiddleware
        >>> from django.test import RequestFactory
        >>> middleware = ProblemMiddleware(lambda request: None)  # doctest: +SKIP
        >>> request = RequestFactory().post("/items", HTTP_ACCEPT="application/xml")  # doctest: +SKIP
        >>> middleware.process_exception(request, ms.LimitExceeded("too large")).status_code  # doctest: +SKIP
        413
    """

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        """The problem answer for *exception*, or ``None`` to leave it to Django."""
        if isinstance(exception, MultiStatusError) and 400 <= exception.status_hint < 600:
            return respond_problem(request, exception)
        if type(exception).__name__ == "RequestDataTooBig":
            return respond_problem(request, 413, detail=str(exception))
        return None
