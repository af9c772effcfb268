"""Public API hygiene: exact __all__, module names, a core free of frameworks and I/O."""

from __future__ import annotations

import subprocess
import sys

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


CORE = [
    "multistatus._model",
    "multistatus._status",
    "multistatus._xml",
    "multistatus._xmlwrite",
    "multistatus._element",
]


def test_core_imports_no_framework_and_no_io_modules() -> None:
    code = (
        "import sys\n"
        f"for m in {CORE!r}:\n"
        "    __import__(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'werkzeug', 'socket', 'http', 'urllib3', 'requests', 'httpx', 'flask', 'django', 'asyncio'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
