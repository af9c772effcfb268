"""Writing multistatus XML from an iterable of responses, in constant memory.

The bytes are those of :func:`~multistatus.to_xml` when the namespaces to
declare on the root are given; the same :class:`~._writer.Writer` writes both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

from .._chunks import CHUNK_SIZE, chunks
from .._model import Element, JobStatus, MultiStatus, Response
from .._model._element import check_name
from ._writer import WELL_KNOWN, Writer

__all__ = ["stream_xml", "write_xml"]


def pieces(
    writer: Writer, responses: Iterable[Response], tail: MultiStatus | Callable[[], MultiStatus]
) -> Iterator[str]:
    """Head, one piece per response, tail: the sequence stream_xml and the streaming WSGI and ASGI answers share.

    *tail* may be a callable, asked for the multistatus-level parts once the
    responses are written (the WSGI stream reports a failure there).
    """
    yield writer.head()
    response = writer.response
    for r in responses:
        if r.__class__ is not Response and not isinstance(r, Response):
            raise TypeError(f"responses must be Response values, not {type(r).__name__}")
        yield response(r)
    end = tail if isinstance(tail, MultiStatus) else tail()
    yield writer.tail(end.description, end.sync_token, end.extensions, end.job)


def stream_xml(
    responses: Iterable[Response],
    *,
    description: str | None = None,
    sync_token: str | None = None,
    extensions: Iterable[Element] = (),
    job: JobStatus | None = None,
    namespaces: Iterable[str] | None = None,
    pretty: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[bytes]:
    """Serialize a multistatus from an iterable of responses, as byte chunks, in constant memory.

    Responses are taken one at a time (a generator works: nothing is kept), so
    a million-item listing never sits in memory.  The multistatus-level parts
    follow the responses in the document, as keyword arguments.

    The namespaces to declare on the root cannot be collected in advance:
    ``DAV:`` and *namespaces* are declared there (by default ``DAV:`` and the
    well-known WebDAV namespaces such as CalDAV's), and any other namespace is
    declared on each element that uses it.  Given the namespaces
    :func:`~multistatus.to_xml` would declare (in the same order), the output
    is byte for byte that of ``to_xml``; otherwise it reads back to the same
    document.

    Args:
        responses: the responses, in order (any iterable, consumed once).
        description: the multistatus-level ``DAV:responsedescription``.
        sync_token: the RFC 6578 ``DAV:sync-token``.
        extensions: top-level extension elements, written after the responses.
        job: a job monitor's state and progress (:class:`~multistatus.JobStatus`), written after them.
        namespaces: namespace URIs to declare on the root, after ``DAV:``.
        pretty: indent the envelope elements for people to read.
        chunk_size: yield a chunk once this many characters are ready; ``1``
            yields the head, each response and the tail as they come.

    Returns:
        An iterator of UTF-8 byte chunks.

    Raises:
        TypeError: an item is not a :class:`~multistatus.Response`.
        ValueError: a multistatus-level part is invalid (checked before the
            first chunk).

    Example:
        >>> import multistatus as ms
        >>> items = (ms.Response(f"/items/{i}", status=201) for i in range(2))
        >>> print(b"".join(ms.stream_xml(items, namespaces=())).decode())
        <?xml version="1.0" encoding="utf-8"?>
        <D:multistatus xmlns:D="DAV:"><D:response><D:href>/items/0</D:href><D:status>HTTP/1.1 201 Created</D:status></D:response><D:response><D:href>/items/1</D:href><D:status>HTTP/1.1 201 Created</D:status></D:response></D:multistatus>

    .. versionadded:: 0.1.0
    """
    # Validate and normalize the tail exactly as MultiStatus does (to_xml's bytes).
    tail = MultiStatus(description=description, sync_token=sync_token, extensions=extensions, job=job)
    if type(chunk_size) is not int or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
    writer = _writer(namespaces, pretty)
    return chunks(pieces(writer, responses, tail), chunk_size)


def _writer(namespaces: Iterable[str] | None, pretty: bool) -> Writer:
    if namespaces is None:
        return Writer(WELL_KNOWN, pretty=pretty)
    if isinstance(namespaces, str):
        raise TypeError("namespaces must be an iterable of URIs, not a str")
    uris = tuple(namespaces)
    for uri in uris:  # (declared on the root as they are: each must be one a name may carry)
        try:
            check_name(f"{{{uri}}}x", "namespace")
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"namespace {uri!r} cannot be declared: {exc}") from None
    return Writer(uris, pretty=pretty)


def write_xml(
    responses: Iterable[Response],
    file: IO[bytes],
    *,
    description: str | None = None,
    sync_token: str | None = None,
    extensions: Iterable[Element] = (),
    job: JobStatus | None = None,
    namespaces: Iterable[str] | None = None,
    pretty: bool = False,
) -> int:
    """Write a multistatus from an iterable of responses to a binary file, in constant memory.

    The document is that of :func:`stream_xml` with the same arguments.

    Args:
        responses: the responses, in order (any iterable, consumed once).
        file: a binary file object (anything with ``write(bytes)``).
        description: the multistatus-level ``DAV:responsedescription``.
        sync_token: the RFC 6578 ``DAV:sync-token``.
        extensions: top-level extension elements, written after the responses.
        job: a job monitor's state and progress (:class:`~multistatus.JobStatus`), written after them.
        namespaces: namespace URIs to declare on the root, after ``DAV:``.
        pretty: indent the envelope elements for people to read.

    Returns:
        The number of bytes written.

    Raises:
        TypeError: an item is not a :class:`~multistatus.Response`.

    Example:
        >>> import io, multistatus as ms
        >>> out = io.BytesIO()
        >>> size = ms.write_xml([ms.Response("/a", status=204)], out, sync_token="data:,2")
        >>> size == len(out.getvalue())
        True
        >>> [r.href for r in ms.iter_xml(out.getvalue())]
        ['/a']

    .. versionadded:: 0.1.0
    """
    written = 0
    for data in stream_xml(
        responses,
        description=description,
        sync_token=sync_token,
        extensions=extensions,
        job=job,
        namespaces=namespaces,
        pretty=pretty,
    ):
        file.write(data)
        written += len(data)
    return written
