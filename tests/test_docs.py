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


# Every Python example in the documentation runs: it is a doctest (``>>>``, run by pytest's
# --doctest-glob) or a literalinclude of a file under examples/ that the tests run.  A code
# block that is only shown can rot unnoticed, so none may come back.
PAGES = [*sorted(DOCS.glob("*.rst")), DOCS.parent / "README.rst"]
PYTHON = {"python", "python3", "py", "py3"}
CODE_DIRECTIVE = re.compile(r"^\s*\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$")
LITERAL_START = re.compile(r"^\s*(?:import |from \S+ import |def |async def |class )")


def shown_python_blocks(text: str) -> list[int]:
    """The line numbers of Python blocks in reStructuredText *text* that are shown but never run.

    Args:
        text: a reStructuredText page.

    Returns:
        The 1-based line of each ``code-block:: python`` (or ``code::``, ``sourcecode::``)
        directive, and of each ``::`` literal block whose first line starts like Python
        (``import``, ``from ... import``, ``def``, ``async def``, ``class``).
    """
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        directive = CODE_DIRECTIVE.match(line)
        if directive:
            if directive.group(1).lower() in PYTHON:
                found.append(number)
            continue
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            content = next((later for later in lines[number:] if later.strip()), "")
            indented = len(content) - len(content.lstrip()) > len(line) - len(line.lstrip())
            if indented and LITERAL_START.match(content):
                found.append(number)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Intro.\n\n.. code-block:: python\n\n   x = 1\n", [3], id="code-block-python"),
        pytest.param(".. code:: python3\n\n   x = 1\n", [1], id="code-python3"),
        pytest.param(".. sourcecode:: py\n\n   x = 1\n", [1], id="sourcecode-py"),
        pytest.param("Like this::\n\n    import multistatus\n", [1], id="literal-import"),
        pytest.param("Like this::\n\n    from multistatus import wsgi\n", [1], id="literal-from"),
        pytest.param("A view::\n\n    async def view(request):\n        ...\n", [1], id="literal-async-def"),
        pytest.param("Run::\n\n    python -m multistatus demo\n", [], id="literal-shell"),
        pytest.param(".. code-block:: console\n\n   $ python -m pytest\n", [], id="code-block-console"),
        pytest.param(">>> import multistatus as ms\n>>> ms.DAV\n'DAV:'\n", [], id="doctest"),
        pytest.param(".. literalinclude:: ../examples/wsgi_batch.py\n   :language: python\n", [], id="literalinclude"),
        pytest.param(".. autoclass:: Results\n   :members:\n", [], id="other-directive"),
        pytest.param("Text ends with::\nimport x\n", [], id="not-indented"),
    ],
)
def test_shown_python_blocks_finds_what_never_runs(text: str, expected: list[int]) -> None:
    assert shown_python_blocks(text) == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_python_example_in_the_docs_runs(page: Path) -> None:
    found = shown_python_blocks(page.read_text(encoding="utf-8"))
    assert not found, (
        f"{page.name}: Python shown but never run at line(s) {found}; "
        "write it as a doctest (>>>) or as a file under examples/ that a test runs, included with literalinclude"
    )


def included_examples() -> list[tuple[str, str]]:
    """Each (page, file) where a page includes a program of examples/."""
    return [
        (page.name, match.group(1))
        for page in PAGES
        for match in re.finditer(r"^\.\. literalinclude:: \.\./(examples/\S+\.py)\s*$", page.read_text("utf-8"), re.M)
    ]


@pytest.mark.parametrize(("page", "example"), included_examples(), ids=lambda value: value)
def test_an_included_example_is_run_by_the_tests(page: str, example: str) -> None:
    tests = Path(__file__).parent
    runners = [
        test.name
        for test in tests.glob("test_*.py")
        if test.name != "test_docs.py" and Path(example).stem in test.read_text(encoding="utf-8")
    ]
    assert (DOCS.parent / example).is_file(), f"{page} includes {example}, which does not exist"
    assert runners, f"{page} includes {example}, which no test runs"
