"""multistatus.openapi: the components validate as OpenAPI 3.1, describe what the writers write, and show in FastAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

import multistatus as ms
from multistatus import openapi
from tests.conftest import scaled
from tests.strategies import documents

jsonschema = pytest.importorskip("jsonschema")
# Starlette 1.x prefers the httpx2 package for its TestClient; httpx still works.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
SETTINGS = scaled(1)


def _document() -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "batch", "version": "1"},
        "paths": {
            "/items": {
                "post": {
                    "responses": {
                        "207": openapi.response(),
                        "400": openapi.problem("Malformed body"),
                        "415": openapi.problem(),
                    }
                }
            }
        },
    }
    return openapi.merge(doc)


def _validator(name: str) -> Any:
    """A JSON Schema validator for the component *name*, its references resolved inside the OpenAPI document."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **_document(),
        "$ref": f"#/components/schemas/{name}",
    }
    return jsonschema.Draft202012Validator(root)


def test_the_document_is_valid_openapi_3_1() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(_document())  # raises on any error
    schemas = _document()["components"]["schemas"]
    assert {"MultiStatus", "MultiStatusResponse", "MultiStatusPropstat", "Problem"} <= set(schemas)
    text = json.dumps(schemas)
    assert "#/$defs/" not in text  # every reference points into the components


def test_a_json_only_endpoint_lists_only_json() -> None:
    only = openapi.response("Results", xml=False)
    assert only == {
        "description": "Results",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MultiStatus"}}},
    }
    assert set(openapi.response()["content"]) == {"application/json", "application/xml"}


def test_merge_keeps_the_documents_own_components() -> None:
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {
        "schemas": {"Item": {"type": "object"}},
        "securitySchemes": {"k": {"type": "http", "scheme": "basic"}},
    }
    merged = openapi.merge(doc)
    assert merged is doc
    assert merged["components"]["schemas"]["Item"] == {"type": "object"}
    assert "securitySchemes" in merged["components"]
    assert "MultiStatus" in merged["components"]["schemas"]


@SETTINGS
@given(documents())
def test_what_to_json_writes_is_valid_against_the_components(doc: ms.MultiStatus) -> None:
    _VALIDATOR.validate(json.loads(ms.to_json(doc)))


_VALIDATOR = _validator("MultiStatus")


def test_a_problem_document_is_valid_against_problem() -> None:
    validator = _validator("Problem")
    reply = ms.problem_reply(415, detail="the request body must be JSON", accept="application/problem+json")
    validator.validate(json.loads(reply.body))
    with pytest.raises(jsonschema.ValidationError):
        _VALIDATOR.validate({"responses": [{"href": "/a", "status": "207"}]})


def test_fastapi_shows_them_in_its_generated_document() -> None:
    pytest.importorskip("fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.post("/items", responses={207: openapi.response(), 415: openapi.problem()})
    async def items() -> dict[str, str]:
        return {}

    openapi.merge(app.openapi())
    served = TestClient(app).get("/openapi.json").json()
    post = served["paths"]["/items"]["post"]["responses"]
    assert post["207"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/MultiStatus"}
    assert "MultiStatusResponse" in served["components"]["schemas"]
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(served)
