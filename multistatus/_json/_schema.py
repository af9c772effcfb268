"""The JSON Schema (draft 2020-12) of the JSON form, shipped inside the package."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["json_schema"]


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON form, as a ``dict``.

    The file ships inside the package as ``multistatus/_json/schema/multistatus.schema.json``.

    Returns:
        A new ``dict`` on each call.

    Example:
        >>> import multistatus as ms
        >>> ms.json_schema()["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
    """
    from importlib import resources  # (only here: it imports pathlib and zipfile)

    text = resources.files(__package__).joinpath("schema/multistatus.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
