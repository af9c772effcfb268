# The C writer of properties and responses (_cwriter.c); optional, see _writer._load_c_writer.
from typing import Any

def setup(
    prop: type,
    element: type,
    frozenmap: type,
    propstat: type,
    response: type,
    error: type,
    status: type,
    problem_ns: str,
    rest_id: str,
    well_known: dict[str, str],
    /,
) -> None: ...
def props(
    props: tuple[Any, ...],
    qnames: dict[str, str],
    prefixes: dict[str, str] | None = None,
    decls: list[str] | None = None,
    /,
) -> str | None: ...
def response(
    response: Any,
    qnames: dict[str, str],
    statuses: dict[int, str],
    prefixes: dict[str, str] | None = None,
    decls: list[str] | None = None,
    /,
) -> str | None: ...
def json_props(props: tuple[Any, ...], /) -> str | None: ...
def json_response(response: Any, /) -> str | None: ...
def responses(
    responses: tuple[Any, ...],
    start: int,
    qnames: dict[str, str],
    statuses: dict[int, str],
    prefixes: dict[str, str] | None = None,
    decls: list[str] | None = None,
    /,
) -> tuple[bytes | str, int]: ...
def json_responses(responses: tuple[Any, ...], start: int, /) -> tuple[str, int]: ...
def json_document(responses: tuple[Any, ...], /) -> bytes | None: ...
