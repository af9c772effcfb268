"""Documentation completeness: every public name is in the API reference with an example."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import multistatus as ms

DOCS = Path(__file__).parent.parent / "docs"


@pytest.mark.parametrize("name", ms.__all__)
def test_public_name_is_in_the_api_reference(name: str) -> None:
    api = (DOCS / "api.rst").read_text(encoding="utf-8")
    assert re.search(rf"^\.\. (auto)?(class|function|data|exception):: {re.escape(name)}\b", api, re.M), name


@pytest.mark.parametrize("name", [n for n in ms.__all__ if callable(getattr(ms, n))])
def test_public_callable_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(ms, name)) or ""
    assert doc.strip(), f"{name} has no docstring"
    assert ">>>" in doc, f"{name}'s docstring has no doctest example"
