"""Public API hygiene: exact __all__, module names, a core free of frameworks and I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import multistatus as ms


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(ms) if not name.startswith("_") and not isinstance(getattr(ms, name), type(ms))}
    public -= {"annotations", "contextlib", "wsgi", "cli", "demo"}

    # isort-style order (constants, classes, functions), as ruff's RUF022 keeps it.
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert sorted(ms.__all__, key=key) == ms.__all__
    assert set(ms.__all__) == public


def test_exported_classes_say_multistatus_in_tracebacks() -> None:
    for name in ms.__all__:
        obj = getattr(ms, name)
        if isinstance(obj, type):
            assert obj.__module__ == "multistatus", name


def test_exception_tree() -> None:
    assert issubclass(ms.ParseError, ValueError)
    assert issubclass(ms.ParseError, ms.MultiStatusError)
    assert issubclass(ms.LimitExceeded, ms.ParseError)
    assert issubclass(ms.ValidationError, ms.ParseError)
    assert ms.MultiStatusError.status_hint == 400


CORE = {
    "_builders",
    "_element",
    "_exceptions",
    "_frozen",
    "_hrefs",
    "_json",
    "_jsonwrite",
    "_limits",
    "_model",
    "_policy",
    "_results",
    "_speedups",
    "_status",
    "_stream",
    "_validate",
    "_xml",
    "_xmlwrite",
}
FORBIDDEN = {"werkzeug", "socket", "http", "urllib3", "requests", "httpx", "flask", "django", "asyncio", "wsgiref"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_core_imports_no_framework_and_no_io_modules() -> None:
    """The sans-I/O core: no werkzeug, no sockets, and only other core modules of the package."""
    package = Path(ms.__file__).parent
    for name in sorted(CORE):
        if not (package / f"{name}.py").exists():
            continue
        for imported in _imports(package / f"{name}.py"):
            if imported.startswith("."):
                assert imported.lstrip(".") in CORE, f"{name} imports {imported}"
            else:
                assert imported.split(".")[0] not in FORBIDDEN, f"{name} imports {imported}"


#: Each adapter's public names: the four verbs of the one shape, its setup, and the earlier
#: spellings kept one release (respond_problem, problem_response, response).
ADAPTERS = {
    "multistatus.wsgi": [
        "MIDDLEWARE_KEY",
        "OPTIONS_KEY",
        "RESULTS_KEY",
        "WEBDAV_DEFAULT",
        "MultiStatusMiddleware",
        "MultiStatusResponse",
        "get_results",
        "merge_headers",
        "problem",
        "read_batch",
        "respond",
        "respond_problem",
        "respond_stream",
    ],
    "multistatus.asgi": [
        "MIDDLEWARE_KEY",
        "OPTIONS_KEY",
        "RESULTS_KEY",
        "ASGIResponse",
        "MultiStatusMiddleware",
        "exception_handlers",
        "get_results",
        "install",
        "problem",
        "problem_response",
        "read_batch",
        "read_body",
        "respond",
        "respond_problem",
        "respond_stream",
        "response",
    ],
    "multistatus.flask": ["get_results", "init_app", "problem", "problem_response", "read_batch", "respond"],
    "multistatus.django": [
        "ProblemMiddleware",
        "get_results",
        "problem",
        "read_batch",
        "respond",
        "respond_problem",
        "to_response",
    ],
}


def test_each_adapter_has_the_same_verbs() -> None:
    import importlib
    import inspect

    shapes = {}
    for name, expected in ADAPTERS.items():
        module = importlib.import_module(name)
        assert module.__all__ == expected, name
        shapes[name] = {
            verb: [p for p in inspect.signature(getattr(module, verb)).parameters if p not in ("legacy", "settings")]
            for verb in ("respond", "problem", "read_batch", "get_results")
        }
    first = shapes.pop("multistatus.wsgi")
    for name, shape in shapes.items():
        for verb in ("respond", "problem", "get_results"):
            assert shape[verb] == first[verb], (name, verb)
        # (ASGI's read_batch also takes receive= for a bare scope)
        assert [p for p in shape["read_batch"] if p != "receive"] == first["read_batch"], name
