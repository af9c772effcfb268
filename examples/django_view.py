"""A Django view answering a bulk delete with a multistatus, mounted through WSGI.

The settings are configured here, so the file runs without a Django project::

    python examples/django_view.py [--port 8001]   # serves http://127.0.0.1:8001/

    curl -i -X POST http://127.0.0.1:8001/items/delete -H 'Content-Type: application/json' \\
         -d '{"ids": ["1", "2", "locked", "nope"]}'

Each id is deleted on its own: 204 when deleted, 404 when unknown, 423 when
locked.  The view builds the document with :class:`multistatus.Results` and
turns it into an HTTP answer with the sans-I/O :func:`multistatus.reply`, under
the ``collapse-uniform`` policy: when every item has the same status (all
unknown, say) the answer carries that status instead of 207.
"""

from __future__ import annotations

import json

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="multistatus-example-not-secret",
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

import multistatus as ms

ITEMS = {"1": "apple", "2": "banana", "3": "cherry", "locked": "do not touch"}
LOCKED = {"locked"}


def _answer(request: HttpRequest, answer: ms.Reply) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response


@csrf_exempt
@require_POST
def delete_items(request: HttpRequest) -> HttpResponse:
    request_headers = {
        "accept": request.headers.get("Accept"),
        "method": request.method,
        "content_type": request.content_type,
    }
    try:
        ids = json.loads(request.body)["ids"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        # Request-level failure: a problem document, never 207.
        return _answer(request, ms.problem_reply(400, detail='Send {"ids": ["...", ...]}.', **request_headers))
    results = ms.Results()
    for item_id in ids:
        href = f"/items/{item_id}"
        if item_id in LOCKED:
            results.record_failure(href, status=423, code="locked", conditions=["{DAV:}lock-token-submitted"])
        elif item_id not in ITEMS:
            results.record_failure(href, status=404, code="not_found", message=f"No item {item_id!r}.")
        else:
            results.record_success(href, status=204)  # a real app would delete it here
    answer = ms.reply(
        results.build(), prefer=request.headers.get("Prefer"), policy="collapse-uniform", **request_headers
    )
    return _answer(request, answer)


urlpatterns = [path("items/delete", delete_items)]

#: The WSGI application: mount it in any WSGI server.
application = get_wsgi_application()


if __name__ == "__main__":
    import argparse
    from wsgiref.simple_server import make_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    with make_server("127.0.0.1", parser.parse_args().port, application) as server:
        print(f"serving on http://127.0.0.1:{server.server_port}/items/delete")
        server.serve_forever()
