"""A Django batch endpoint: POST a JSON array of items to /items, get one result per item.

The settings are configured here, so the file runs without a Django project:
``python examples/django_batch.py --port 8001``.
``save_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse
from urllib.parse import quote

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        SECRET_KEY="multistatus-example-not-secret",
        MIDDLEWARE=["__main__.Problems" if __name__ == "__main__" else f"{__name__}.Problems"],
    )
    django.setup()

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, Field

import multistatus as ms
from multistatus import django as msdjango

MAX_BYTES = 64 * 1024  # more: 413
QUOTA = 7  # saves per request; the rest are rate-limited


class Item(BaseModel):
    """One item of the batch; an item this refuses is its own 422, the others go on."""

    id: str
    name: str = Field(min_length=1)
    protected: bool = False


def save_items(results: ms.Results, items: list[Item]) -> None:
    """Your code: save each item on its own and record one result for it."""
    saved = 0
    for item in items:
        href = f"/items/{quote(item.id, safe='')}"
        with results.item(href, id=item.id) as handle:  # an exception here: this item's 500
            if item.protected:
                handle.record_failure(status=403, code="forbidden", message="This item is protected.")
            elif saved >= QUOTA:
                handle.record_failure(
                    status=429, code="rate_limited", message="Too many items; retry later.", retry_after=30
                )
            else:
                saved += 1  # store the item here
                handle.record_success(status=201, location=href, body={"id": item.id, "name": item.name})


class Problems(msdjango.ProblemMiddleware):
    """The library's errors as problem documents, and the options of every answer."""

    options = ms.ServeOptions(policy="200-if-all-succeeded")


@csrf_exempt
def create_items(request):  # type: ignore[no-untyped-def]
    items = msdjango.read_batch(request, item=Item, href="/items/{id}", max_bytes=MAX_BYTES)  # 400, 413, 415
    save_items(msdjango.get_results(request), items)
    return msdjango.respond(request)


urlpatterns = [path("items", create_items)]

if __name__ == "__main__":
    from django.core.wsgi import get_wsgi_application
    from werkzeug.serving import make_server  # (wsgiref's server reports no Content-Type as text/plain)

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    make_server("127.0.0.1", parser.parse_args().port, get_wsgi_application()).serve_forever()
