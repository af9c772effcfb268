# The C constructors of the model (_cvalues.c); optional, see _model/_accel.py.
from typing import Any

def setup(
    prop: type, element: type, frozenmap: type, empty: Any, names: dict[str, str], max_nesting: int, /
) -> None: ...
def element_init(element: Any, tag: object, children: object, attributes: object, /) -> bool: ...
def mapped_props(mapping: object, success: bool, /) -> tuple[Any, ...] | None: ...
def setup_responses(response: type, error: type, status: type, cache: dict[int, Any], /) -> None: ...
def succeeded(href: object, status: object, id: object, location: object, /) -> Any: ...  # noqa: A002
def failed(
    href: object,
    status: object,
    id: object,  # noqa: A002
    type: object,  # noqa: A002
    title: object,
    detail: object,
    code: object,
    message: object,
    /,
) -> Any: ...
def tally(responses: object, /) -> tuple[int, int, int, int, dict[int, int]] | None: ...
