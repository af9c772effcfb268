# The C accelerator of the XML reader (_speedups.c); optional, see _accel.load_speedups.
from typing import Any

def setup(
    lxml_element: type,
    prop: type,
    element: type,
    frozenmap: type,
    empty: Any,
    propstat: type,
    response: type,
    statuses: dict[str, Any],
    /,
) -> None: ...
def props(
    prop: Any,
    depth: int,
    max_depth: int,
    lang: str | None,
    out: list[Any],
    names: list[str],
    memo: dict[str, Any] = ...,
    /,
) -> bool: ...
def response(
    response: Any, depth: int, lang: str | None, limits: tuple[int, int, int, int], memo: dict[str, Any] = ..., /
) -> Any: ...
def namespaces(root: Any, /) -> list[tuple[str, str]]: ...
def responses(
    root: Any, lang: str | None, limits: tuple[int, int, int, int], max_responses: int, memo: dict[str, Any] = ..., /
) -> tuple[list[Any], int, int, list[tuple[str, str]]]: ...
