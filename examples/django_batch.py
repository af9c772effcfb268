"""A Django batch endpoint: POST a JSON array of items to /items, get one result per item.

The settings are configured here, so the file runs without a Django project:
``python examples/django_batch.py --port 8001``.
``save_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import quote

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        SECRET_KEY="multistatus-example-not-secret",
        MIDDLEWARE=["multistatus.django.ProblemMiddleware"],
    )
    django.setup()

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import multistatus as ms
from multistatus import django as msdjango

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)

QUOTA = 7  # saves per request; the rest are rate-limited


def save_items(results: ms.Results, items: list[Any]) -> None:
    """Your code: save each item on its own and record one result for it."""
    saved = 0
    for number, item in enumerate(items, 1):
        item = item if isinstance(item, dict) else {}
        item_id = str(item.get("id", number))
        href = f"/items/{quote(item_id, safe='')}"
        with results.item(href, id=item_id) as handle:  # an exception here: this item's 500
            if not isinstance(item.get("name"), str) or not item["name"].strip():
                handle.failed(status=422, code="invalid", message="Each item needs a non-empty 'name'.")
            elif item.get("protected"):
                handle.failed(status=403, code="forbidden", message="This item is protected.")
            elif saved >= QUOTA:
                handle.failed(status=429, code="rate_limited", message="Too many items; retry later.", retry_after=30)
            else:
                saved += 1  # store the item here
                handle.succeeded(status=201, location=href, body={"id": item_id, "name": item["name"]})


@csrf_exempt
def create_items(request):  # type: ignore[no-untyped-def]
    items = ms.read_batch(request.body, content_type=request.content_type, limits=LIMITS)  # 400, 413
    results = ms.Results()
    save_items(results, items)
    return msdjango.respond(request, results.build(), policy="200-if-all-succeeded", default="application/json")


urlpatterns = [path("items", create_items)]

if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    from django.core.wsgi import get_wsgi_application

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    with make_server("127.0.0.1", parser.parse_args().port, get_wsgi_application()) as server:
        server.serve_forever()
