"""A Django batch endpoint: POST a JSON array of items to /items, get one result per item.

The settings are configured here, so the file runs without a Django project:
``python examples/django_batch.py --port 8001``.
``process_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse

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
from multistatus.demo import process_items

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)


@csrf_exempt
def create_items(request):  # type: ignore[no-untyped-def]
    items = ms.read_batch(request.body, content_type=request.content_type, limits=LIMITS)  # 400, 413
    results = ms.Results()
    process_items(results, items)
    return msdjango.respond(request, results.build(), policy="200-if-all-succeeded", default="application/json")


urlpatterns = [path("items", create_items)]

if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    from django.core.wsgi import get_wsgi_application

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    with make_server("127.0.0.1", parser.parse_args().port, get_wsgi_application()) as server:
        server.serve_forever()
