"""The shape of the package: no import cycles, and a core free of frameworks and I/O.

The import graph is read from the source with :mod:`ast`, imports inside
functions included (a cycle hidden behind a function-level import is still a
cycle); imports under ``if TYPE_CHECKING:`` are left out, since they never run.
The private modules are named here because their layering is what is checked.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

import multistatus

PACKAGE = Path(multistatus.__file__).parent
#: The core: the model and the codecs, and the leaf modules they share.
CORE = (
    "multistatus._model",
    "multistatus._xml",
    "multistatus._json",
    "multistatus._names",
    "multistatus._limits",
    "multistatus._exceptions",
    "multistatus._hrefs",
    "multistatus._chunks",
    "multistatus._memo",
)
#: The sans-I/O layers: the core plus the HTTP layer, the collector and the client's parsing.
SANS_IO = (
    *CORE,
    "multistatus._http",
    "multistatus._collector",
    "multistatus._client",
    "multistatus._idempotency",
    "multistatus._jobs",
    "multistatus.webdav",
)
#: The edges: adapters to servers, frameworks and people.
EDGES = (
    "multistatus.wsgi",
    "multistatus.asgi",
    "multistatus.flask",
    "multistatus.django",
    "multistatus._django_keys",
    "multistatus.testing",
    "multistatus.cli",
    "multistatus._demo_cli",
    "multistatus.demo",
    "multistatus.idempotency",
    "multistatus._send",
    "multistatus._cli",
)
FRAMEWORKS = ("werkzeug", "flask", "django", "starlette", "fastapi")
IO_MODULES = (
    "socket",
    "http.client",
    "http.server",
    "urllib.request",
    "wsgiref",
    "asyncio",
    "subprocess",
    "sqlite3",
    "redis",
)
MAX_LINES = 460


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _running_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under *node* that runs, leaving out the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        yield child
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for branch in child.orelse:  # the else branch runs
                yield branch
                yield from _running_nodes(branch)
        else:
            yield from _running_nodes(child)


@functools.cache
def imports_of(name: str) -> frozenset[str]:
    """Every module *name* imports when it runs (absolute names), at any depth of its code."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _running_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            submodules = {f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES}
            found.update(submodules)  # "from . import demo" imports a module
            if len(submodules) < len(node.names) or target != name:
                found.add(target)  # (a package importing its own sub-modules is not an edge to itself)
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module"):
            found.add("<dynamic import>")
    return frozenset(found)


def edges_of(name: str) -> frozenset[str]:
    """The modules of the package that *name* imports: the import graph, read on first use."""
    return frozenset(t for t in imports_of(name) if t in MODULES)


def test_the_graph_was_read() -> None:
    """A sanity check of the reader itself: known edges are there, TYPE_CHECKING ones are not."""
    assert "multistatus._xml._parser" in edges_of("multistatus._xml._reader")
    assert "multistatus._model" in edges_of("multistatus._xml._reader")
    assert "multistatus.demo" in edges_of("multistatus._demo_cli")  # a function-level import
    assert "multistatus._model._document" not in edges_of("multistatus._model._grouping")  # TYPE_CHECKING only


def test_no_import_cycles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges_of(node)):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges_of(node):
                cycles.append(sorted(component))

    for name in sorted(MODULES):
        if name not in index:
            visit(name)
    assert cycles == [], f"import cycles: {cycles}"


def _inside(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("name", [n for n in MODULES if _inside(n, CORE)])
def test_the_core_imports_no_framework_and_no_edge(name: str) -> None:
    outside = {t for t in imports_of(name) if _inside(t, FRAMEWORKS)}
    assert not outside, f"{name} imports {outside}"
    edges = {t for t in edges_of(name) if t.startswith("multistatus.") and not _inside(t, CORE)}
    assert not edges, f"{name} (core) imports {edges}: the core must not depend on serving, the client or the edges"


@pytest.mark.parametrize("name", [n for n in MODULES if _inside(n, SANS_IO)])
def test_the_sans_io_layers_do_no_io(name: str) -> None:
    io = {t for t in imports_of(name) if _inside(t, IO_MODULES)}
    assert not io, f"{name} imports {io}"
    assert "<dynamic import>" not in imports_of(name)
    edges = {t for t in edges_of(name) if _inside(t, EDGES)}
    assert not edges, f"{name} imports the edge modules {edges}"


def test_the_model_imports_no_xml_library() -> None:
    for name in MODULES:
        if _inside(name, ("multistatus._model",)):
            assert not {t for t in imports_of(name) if _inside(t, ("lxml", "xml", "json"))}, name


@pytest.mark.parametrize("name", list(MODULES))
def test_modules_are_small_enough_to_read_in_one_sitting(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concern"


def test_importing_the_package_leaves_werkzeug_until_negotiation_needs_it() -> None:
    """``import multistatus`` pays for the model and the codecs only (bench/bench_import.py)."""
    import subprocess
    import sys

    code = (
        "import sys, multistatus as ms\n"
        "print('multistatus._http' in sys.modules or 'multistatus._client' in sys.modules)\n"
        "print('werkzeug' in sys.modules)\n"
        "ms.from_xml(ms.to_xml(ms.MultiStatus([ms.Response('/a', status=200)])))\n"
        "print('werkzeug' in sys.modules)\n"
        "ms.reply(ms.MultiStatus(), accept='application/json')\n"
        "print('werkzeug' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False", "True"]


def test_the_names_imported_on_first_use_behave_like_the_others() -> None:
    import subprocess
    import sys

    code = (
        "from multistatus import ServeOptions, reply, Results\n"
        "import multistatus as ms\n"
        "print(ServeOptions is ms.ServeOptions, ms.from_body.__module__, ms.Results.__module__)\n"
        "import multistatus._http, multistatus._client, multistatus._collector\n"
        "print(multistatus._http.Reply.__module__)\n"
        "try:\n    ms.nothing_here\nexcept AttributeError as exc:\n    print('AttributeError')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "multistatus", "multistatus", "multistatus", "AttributeError"]
