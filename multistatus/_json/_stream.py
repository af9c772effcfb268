"""Streaming the JSON form: one response at a time, the summary counted on the way.

The bytes are those of :func:`~multistatus.to_json` for the same document: each
response is converted by the JSON codec's own per-response function and
encoded like ``to_json`` does, and the summary (which ``to_json`` writes last)
is tallied as the responses go by.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from .._chunks import chunks
from .._model import Element, JobStatus, MultiStatus, Response, Tally
from ._writer import COMPACT, response_text, summary_dict, to_dict

__all__ = ["stream_json", "write_json"]

#: Default size of the byte chunks :func:`stream_json` yields.
CHUNK_SIZE = 64 * 1024


def _extra(tail: MultiStatus) -> dict[str, Any]:
    extra = to_dict(tail)  # description, syncToken, extensions exactly as to_json writes them
    del extra["responses"], extra["summary"]
    return extra


def pieces(
    responses: Iterable[Response], tail: MultiStatus | Callable[[], MultiStatus], indent: int | None
) -> Iterator[str]:
    # *tail* may be a callable, asked once the responses are written (the WSGI stream).
    tally = Tally()
    late: Callable[[], MultiStatus] | None = None
    if isinstance(tail, MultiStatus):
        extra = _extra(tail)
    else:
        extra, late = {}, tail
    encode: Callable[[Any], str]
    if indent is None:
        encode = COMPACT
        yield '{"responses":['
        sep, key_sep, end = ",", ":", "]"
    else:
        pad1, pad2 = " " * indent, " " * (2 * indent)
        encoder = json.JSONEncoder(ensure_ascii=False, indent=indent, allow_nan=False)

        def encode(value: Any, _pad: str = "\n" + pad2) -> str:
            # JSON strings never hold a raw newline, so re-indenting lines is safe.
            return encoder.encode(value).replace("\n", _pad)

        yield "{\n" + pad1 + '"responses": ['
        sep, key_sep, end = ",\n" + pad2, ": ", "\n" + pad1 + "]"
    first = True
    for r in responses:
        if r.__class__ is not Response and not isinstance(r, Response):
            raise TypeError(f"responses must be Response values, not {type(r).__name__}")
        tally.add(r)
        text = response_text(r) if indent is None else encode(json.loads(response_text(r)))
        if first:
            first = False
            yield text if indent is None else "\n" + pad2 + text
        else:
            yield sep + text
    if first:
        end = "]"  # json.dumps writes an empty list as [] even when indenting
    if late is not None:
        extra = _extra(late())
    extra["summary"] = summary_dict(tally.summary())
    if indent is None:
        yield end + "".join(f",{COMPACT(k)}:{COMPACT(v)}" for k, v in extra.items()) + "}"
    else:
        outer = json.JSONEncoder(ensure_ascii=False, indent=indent, allow_nan=False)
        parts = [
            f",\n{pad1}{outer.encode(k)}{key_sep}{outer.encode(v).replace(chr(10), chr(10) + pad1)}"
            for k, v in extra.items()
        ]
        yield end + "".join(parts) + "\n}"


def stream_json(
    responses: Iterable[Response],
    *,
    description: str | None = None,
    sync_token: str | None = None,
    extensions: Iterable[Element] = (),
    job: JobStatus | None = None,
    indent: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[bytes]:
    """Serialize the JSON form from an iterable of responses, as byte chunks, in constant memory.

    The output is byte for byte :func:`~multistatus.to_json` of the same
    document; the ``summary``, which comes last, is counted as the responses
    go by.

    Args:
        responses: the responses, in order (any iterable, consumed once).
        description: the multistatus-level description.
        sync_token: the RFC 6578 sync token.
        extensions: top-level extension elements.
        job: a job monitor's state and progress (:class:`~multistatus.JobStatus`), written after them.
        indent: spaces per level for people to read; ``None`` for compact output.
        chunk_size: yield a chunk once this many characters are ready; ``1``
            yields each response as it comes.

    Returns:
        An iterator of UTF-8 byte chunks.

    Raises:
        TypeError: an item is not a :class:`~multistatus.Response`.
        ValueError: a response cannot be written as JSON (see
            :func:`~multistatus.to_dict`), or a multistatus-level part is invalid
            (checked before the first chunk).

    Example:
        >>> import multistatus as ms
        >>> items = (ms.Response(f"/items/{i}", status=201 + i) for i in range(2))
        >>> print(b"".join(ms.stream_json(items)).decode())
        {"responses":[{"href":"/items/0","status":201},{"href":"/items/1","status":202}],"summary":{"total":2,"succeeded":2,"failed":0,"partial":0,"other":0,"byStatus":{"201":1,"202":1},"truncated":false}}

    .. versionadded:: 0.1.0
    """
    tail = MultiStatus(description=description, sync_token=sync_token, extensions=extensions, job=job)
    if type(chunk_size) is not int or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
    if indent is not None and (type(indent) is not int or indent < 0):
        raise ValueError(f"indent must be a non-negative int or None, not {indent!r}")
    return chunks(pieces(responses, tail, indent), chunk_size)


def write_json(
    responses: Iterable[Response],
    file: IO[bytes],
    *,
    description: str | None = None,
    sync_token: str | None = None,
    extensions: Iterable[Element] = (),
    job: JobStatus | None = None,
    indent: int | None = None,
) -> int:
    """Write the JSON form from an iterable of responses to a binary file, in constant memory.

    The document is that of :func:`stream_json` with the same arguments.

    Args:
        responses: the responses, in order (any iterable, consumed once).
        file: a binary file object (anything with ``write(bytes)``).
        description: the multistatus-level description.
        sync_token: the RFC 6578 sync token.
        extensions: top-level extension elements.
        job: a job monitor's state and progress (:class:`~multistatus.JobStatus`), written after them.
        indent: spaces per level for people to read; ``None`` for compact output.

    Returns:
        The number of bytes written.

    Example:
        >>> import io, multistatus as ms
        >>> out = io.BytesIO()
        >>> size = ms.write_json([ms.Response("/a", status=204)], out)
        >>> size == len(out.getvalue())
        True
        >>> ms.from_json(out.getvalue()).responses[0].status.code
        204

    .. versionadded:: 0.1.0
    """
    written = 0
    write = file.write
    for chunk in stream_json(
        responses, description=description, sync_token=sync_token, extensions=extensions, job=job, indent=indent
    ):
        write(chunk)
        written += len(chunk)
    return written
