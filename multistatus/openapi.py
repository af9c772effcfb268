"""OpenAPI 3.1 for a batch endpoint: the JSON form and the problem document as ``components/schemas``.

OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect of
:func:`~multistatus.json_schema`, so the components *are* the JSON form's
schema: its definitions under names of their own (``MultiStatus``,
``MultiStatusResponse``, ``MultiStatusError`` ...), references rewritten to
point at them.  The problem document (``application/problem+json``) is the
JSON form of an :class:`~multistatus.Error` (RFC 9457 members and the
``DAV:error`` conditions), so ``Problem`` is that same definition.

Three functions, no framework: :func:`components` for the schemas,
:func:`response` and :func:`problem` for ready Response Objects that refer to
them, and :func:`merge` to add the schemas to an OpenAPI document you have
(FastAPI's ``app.openapi()``, a hand-written one for Flask)::

    from fastapi import FastAPI
    import multistatus.openapi as msopenapi

    app = FastAPI()

    @app.post("/items", responses={207: msopenapi.response(), 400: msopenapi.problem("Malformed body")})
    async def items(...): ...

    msopenapi.merge(app.openapi())   # once, after the routes: the schemas the responses refer to

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

from ._json import json_schema

__all__ = ["PREFIX", "components", "merge", "problem", "response"]

#: The prefix of every component name (``MultiStatus``, ``MultiStatusResponse`` ...).
PREFIX = "MultiStatus"
_REF = "#/components/schemas/"


def _name(definition: str) -> str:
    return PREFIX + definition[:1].upper() + definition[1:]


def _rewrite(node: Any) -> Any:
    """*node* with every ``#/$defs/x`` reference pointing at the component of ``x``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = _REF + _name(value[len("#/$defs/") :])
            else:
                out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def components() -> dict[str, Any]:
    """The ``components`` of an OpenAPI 3.1 document: the JSON form's schemas and ``Problem``.

    Returns:
        A new ``{"schemas": {...}}`` dict on each call.

    Example:
        >>> from multistatus.openapi import components
        >>> schemas = components()["schemas"]
        >>> schemas["MultiStatus"]["required"], schemas["MultiStatusResponse"]["type"]
        (['responses'], 'object')
        >>> schemas["Problem"] == {"$ref": "#/components/schemas/MultiStatusError"}
        True
    """
    schema = json_schema()
    definitions = schema.pop("$defs")
    for key in ("$schema", "$id"):  # (an $id would move the base the references resolve against)
        schema.pop(key, None)
    schemas = {_name(name): _rewrite(definition) for name, definition in definitions.items()}
    schemas[PREFIX] = _rewrite(schema)
    schemas["Problem"] = {"$ref": _REF + _name("error")}
    return {"schemas": schemas}


def response(description: str = "Multi-Status: one result per item", *, xml: bool = True) -> dict[str, Any]:
    """A Response Object for the ``207`` of a batch endpoint, referring to :func:`components`.

    Args:
        description: the response's description.
        xml: also list ``application/xml`` (the RFC 4918 form; described as text).

    Example:
        >>> from multistatus.openapi import response
        >>> response()["content"]["application/json"]["schema"]
        {'$ref': '#/components/schemas/MultiStatus'}
    """
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": _REF + PREFIX}}}
    if xml:
        content["application/xml"] = {"schema": {"type": "string", "description": "RFC 4918 DAV:multistatus"}}
    return {"description": description, "content": content}


def problem(description: str = "Problem Details (RFC 9457)") -> dict[str, Any]:
    """A Response Object for a request-level failure: ``application/problem+json``.

    Example:
        >>> from multistatus.openapi import problem
        >>> problem("Malformed body")["content"]["application/problem+json"]["schema"]
        {'$ref': '#/components/schemas/Problem'}
    """
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": _REF + "Problem"}}},
    }


def merge(document: dict[str, Any]) -> dict[str, Any]:
    """Add :func:`components` to an OpenAPI *document* (in place) and return it.

    Schemas the document already has under the same names are replaced; its
    other components are kept.

    Example:
        >>> from multistatus.openapi import merge
        >>> doc = merge({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}})
        >>> "MultiStatus" in doc["components"]["schemas"]
        True
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(components()["schemas"])
    return document
