"""Streaming XML parsing: one :class:`~multistatus.Response` at a time, in bounded memory.

:class:`XMLFeeder` is the sans-I/O core (bytes in, responses out, like h11's
``receive_data``); :func:`iter_xml` drives it from bytes, a binary file or an
iterator of byte chunks.  Both use the hardened parser settings of
:func:`~multistatus.from_xml` and the same :class:`~multistatus._xml.Reader`
for each completed ``DAV:response`` element, so a streamed document parses to
exactly the responses ``from_xml`` would give.  Each response element is freed
(with the siblings before it) as soon as it has been read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, cast

from lxml import etree

from .._exceptions import LimitExceeded, ParseError
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Element, JobStatus, Response
from .._names import DESCRIPTION, JOB, RESPONSE, SYNC_TOKEN, XML_LANG
from ._content import text_of
from ._guard import check_names, good_namespace, prolog_doctype
from ._job import read_job
from ._parser import element_path, fail, parser_options, syntax_error
from ._reader import Reader

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["XMLFeeder", "XMLStream", "iter_xml"]

#: Bytes read from a file per step.
CHUNK_SIZE = 64 * 1024
_DTD_MESSAGE = "a document type declaration (DTD) is not allowed"
_HEAD = 4096


def _pull_parser(utf8: bool) -> etree.XMLPullParser:
    # The settings of _xml._parser(), as a push parser.
    # start-ns: each namespace declaration, for good_namespace (see _read).
    return etree.XMLPullParser(events=("start", "end", "start-ns"), **parser_options(utf8))


class XMLFeeder:
    """Sans-I/O streaming parser: feed bytes, get each completed response.

    Feed the body in chunks of any size (one byte works); :meth:`feed` returns
    the responses completed so far and :meth:`close` the last ones, after
    checking that the document ended properly.  The multistatus-level parts
    (``description``, ``sync_token``, ``extensions``) are attributes, set once
    they have been read: after :meth:`close` they are final.

    The parser settings and limits are those of :func:`~multistatus.from_xml`:
    a document type declaration is refused as soon as it is seen, entities are
    never expanded, nothing is fetched, and ``limits.max_bytes`` applies to the
    whole stream (pass ``Limits(max_bytes=None)`` for huge listings).  If a
    chunk completes some responses and then turns out malformed, :meth:`feed`
    returns those responses and the next call raises.

    Args:
        limits: size, depth and count limits.

    Attributes:
        description: the multistatus-level ``DAV:responsedescription``, or ``None``.
        sync_token: the ``DAV:sync-token`` (RFC 6578), or ``None``.
        extensions: unknown top-level elements, in order.
        job: the :class:`~multistatus.JobStatus` of a job's monitor, or ``None``.
        count: the number of responses returned so far.

    Example:
        >>> import multistatus as ms
        >>> feeder = ms.XMLFeeder()
        >>> feeder.feed(b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>')
        []
        >>> feeder.feed(b"<D:status>HTTP/1.1 200 OK</D:status></D:response><D:sync-to")
        [Response('/a', status=Status(200))]
        >>> feeder.feed(b"ken>data:,7</D:sync-token></D:multistatus>")
        []
        >>> feeder.close(), feeder.sync_token
        ([], 'data:,7')

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_depth",
        "_error",
        "_head",
        "_lang",
        "_parser",
        "_reader",
        "_root",
        "_size",
        "_suspect",
        "_token_seen",
        "count",
        "description",
        "extensions",
        "job",
        "limits",
        "sync_token",
    )

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS, _utf8: bool = False) -> None:
        self.limits = limits
        self.description: str | None = None
        self.sync_token: str | None = None
        self._token_seen = False
        self.extensions: tuple[Element, ...] = ()
        self.job: JobStatus | None = None
        self.count = 0
        self._reader = Reader(limits)
        self._parser: etree.XMLPullParser | None = _pull_parser(_utf8)
        self._root: LxmlElement | None = None
        self._lang: str | None = None
        self._depth = 0
        self._size = 0
        self._head = b""
        self._error: ParseError | None = None
        self._suspect = False  # a namespace was declared that can make a name check_names refuses

    def feed(self, data: bytes | bytearray | memoryview) -> list[Response]:
        """Parse one more chunk of the body.

        Args:
            data: the next bytes of the body (any size, any boundary).

        Returns:
            The responses whose closing tag was in this chunk, in order.

        Raises:
            ParseError: the body is malformed, hostile or not a multistatus.
            LimitExceeded: a limit was hit.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"feed() takes bytes, not {type(data).__name__}")
        parser = self._start()
        data = bytes(data)
        self._size += len(data)
        max_bytes = self.limits.max_bytes
        if max_bytes is not None and self._size > max_bytes:
            self._parser = None
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
        if self._root is None and len(self._head) < _HEAD:
            self._head += data[: _HEAD - len(self._head)]
            if self._doctype(final=False):
                return []  # refused for sure; the next bytes tell whether it is an HTML page
        error = None
        try:
            parser.feed(data)
        except etree.XMLSyntaxError as exc:
            error = exc
        return self._events(parser, error)

    def close(self) -> list[Response]:
        """End the body: return the last responses and check the document is complete.

        Returns:
            The responses completed by the end of the input (often none).  If
            the document turns out broken after some of them, they are returned
            and the next call raises the error.

        Raises:
            ParseError: the body is empty, truncated or malformed.
        """
        parser = self._start()
        self._parser = None
        if self._root is None:
            self._doctype(final=True)
        error = None
        try:
            parser.close()
        except etree.XMLSyntaxError as exc:
            error = exc
            # Every end tag that was in the input was reported by feed(): the
            # events a failed close() adds are the parser closing what was still
            # open (lxml 6.2 does), never elements that were read whole.
            for _ in parser.read_events():
                pass
        return self._events(parser, error, final=True)

    # -- internals -----------------------------------------------------------------
    def _start(self) -> etree.XMLPullParser:
        if self._error is not None:
            error, self._error = self._error, None
            self._parser = None
            raise error
        if self._parser is None:
            raise ParseError("the feeder is closed (after the end of the body or an error)")
        return self._parser

    def _doctype(self, final: bool) -> bool:
        """Refuse a document type declaration before the parser reads it.

        Returns true when one was seen but the bytes so far cannot tell an HTML
        page from another DTD (the chunk is then not parsed at all).
        """
        head = self._head.lower().replace(b"\0", b"")
        at = prolog_doctype(head)
        if at < 0:  # none, or the prolog so far ends inside a comment: the next bytes tell
            return False
        name = head[at + 9 :].lstrip()
        if len(name) < 4 and not final and len(self._head) < _HEAD:
            return True
        self._parser = None
        line = head.count(b"\n", 0, at) + 1
        if name.startswith(b"html"):
            raise ParseError("got an HTML page, not a multistatus XML document", line=line)
        raise ParseError(_DTD_MESSAGE, line=line)

    def _syntax_error(self, exc: etree.XMLSyntaxError, final: bool) -> ParseError:
        line, column = exc.position if exc.position else (exc.lineno, None)
        if self._root is None:
            head = self._head.lower().replace(b"\0", b"")
            if not head.strip():
                return ParseError("the body is empty; expected a DAV:multistatus document")
            if b"<html" in head:
                return ParseError("got an HTML page, not a multistatus XML document", line=line, column=column)
        if final and self._root is not None and not line:
            # lxml's push parser with resolve_entities=False stops silently at an
            # undefined entity (&name;) and only fails at close(), with no position.
            return ParseError("malformed XML: the parser stopped early (an undefined entity reference?)")
        return syntax_error(exc, "the document is incomplete" if final else "malformed XML")

    def _events(
        self, parser: etree.XMLPullParser, error: etree.XMLSyntaxError | None, final: bool = False
    ) -> list[Response]:
        out: list[Response] = []
        try:
            self._read(parser, out)
        except ParseError as bad:
            self._parser = None
            if not out:
                raise
            # The responses before the bad one were complete: hand them out first,
            # as when the bytes arrive in smaller chunks; the next call raises.
            self._error = bad
            return out
        if error is not None:
            self._parser = None
            failure = self._syntax_error(error, final)
            if not out:
                raise failure from error
            failure.__cause__ = error
            self._error = failure  # raised by the next call: first hand out what was complete
        return out

    def _read(self, parser: etree.XMLPullParser, out: list[Response]) -> None:
        depth = self._depth
        reader = self._reader
        max_responses = self.limits.max_responses
        for event, el in parser.read_events():
            if event == "start":
                depth += 1
                if depth == 1:
                    self._begin(el)
                continue
            if event == "start-ns":
                # Names are only bad in a bad namespace (see _guard): until one is
                # declared, the names of each element need no walk of their own.
                if not self._suspect and not good_namespace(cast("tuple[str, str]", el)[1]):
                    self._suspect = True
                continue
            if depth == 2:
                tag = el.tag
                if tag == RESPONSE:
                    if max_responses is not None and self.count >= max_responses:
                        raise LimitExceeded(
                            f"more than {max_responses} responses", line=el.sourceline, path=element_path(el)
                        )
                    if self._suspect:
                        check_names(el)
                    out.append(reader.response(el, 2, self._lang))
                    self.count += 1
                elif tag == DESCRIPTION:
                    self.description = text_of(el)
                elif tag == SYNC_TOKEN:
                    if self._token_seen:
                        raise fail(el, "more than one sync-token")
                    self._token_seen = True
                    self.sync_token = text_of(el).strip() or None
                elif tag == JOB:
                    if self.job is not None:
                        raise fail(el, "more than one job")
                    self.job = read_job(el)
                elif isinstance(tag, str):  # pragma: no branch - comments and PIs give no end event
                    if self._suspect:
                        check_names(el)
                    self.extensions += (reader.element(el, 2),)
                # Free this element and everything before it (comments, PIs, earlier responses).
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:  # pragma: no branch - a depth-2 element has its root
                    while el.getprevious() is not None:
                        del parent[0]
            depth -= 1
        self._depth = depth

    def _begin(self, root: LxmlElement) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise ParseError(_DTD_MESSAGE, line=1)
        self._reader.check_root(root)
        self._root = root
        self._head = b""
        self._lang = root.get(XML_LANG)


class XMLStream(Iterator[Response]):
    """The iterator :func:`iter_xml` returns: responses, then the multistatus-level parts.

    Attributes:
        description: the multistatus-level ``DAV:responsedescription``, or ``None``.
        sync_token: the ``DAV:sync-token``, or ``None``.
        extensions: unknown top-level elements.

    These are final once the iteration has ended (they follow the responses in
    a document).

    Example:
        >>> import multistatus as ms
        >>> stream = ms.iter_xml(b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>'
        ...                      b"<D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
        ...                      b"<D:sync-token>data:,3</D:sync-token></D:multistatus>")
        >>> [r.status.code for r in stream], stream.sync_token
        ([404], 'data:,3')

    .. versionadded:: 0.1.0
    """

    def __init__(self, chunks: Iterator[bytes], feeder: XMLFeeder) -> None:
        self._chunks: Iterator[bytes] | None = chunks
        self._feeder = feeder
        self._ready: deque[Response] = deque()

    def __iter__(self) -> XMLStream:
        return self

    def __next__(self) -> Response:
        ready = self._ready
        while not ready:
            chunks = self._chunks
            if chunks is None:
                if self._feeder._error is not None:  # pragma: no cover - libxml2 reports end tags on feed
                    self._feeder.close()  # raises the error found after the last responses
                raise StopIteration
            chunk = next(chunks, None)
            if chunk is None:
                self._chunks = None
                ready.extend(self._feeder.close())
            else:
                ready.extend(self._feeder.feed(chunk))
        return ready.popleft()

    @property
    def description(self) -> str | None:
        """The multistatus-level ``DAV:responsedescription`` read so far."""
        return self._feeder.description

    @property
    def sync_token(self) -> str | None:
        """The ``DAV:sync-token`` read so far."""
        return self._feeder.sync_token

    @property
    def extensions(self) -> tuple[Element, ...]:
        """Unknown top-level elements read so far."""
        return self._feeder.extensions

    @property
    def job(self) -> JobStatus | None:
        """The ``job`` of a job's monitor, once read (it follows the responses)."""
        return self._feeder.job


def _file_chunks(source: IO[bytes]) -> Iterator[bytes]:
    while True:
        try:
            chunk = source.read(CHUNK_SIZE)
        except OSError as exc:
            raise ParseError(f"could not read the body: {exc}") from exc
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError("open the file in binary mode ('rb'): multistatus reads bytes")
        if not chunk:
            return
        yield bytes(chunk)


def _checked_chunks(source: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in source:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"iter_xml() reads byte chunks, not {type(chunk).__name__}")
        if chunk:
            yield bytes(chunk)


def iter_xml(
    source: bytes | bytearray | memoryview | str | IO[bytes] | Iterable[bytes], *, limits: Limits = DEFAULT_LIMITS
) -> XMLStream:
    """Parse a multistatus document one response at a time, in bounded memory.

    Each :class:`~multistatus.Response` is yielded as soon as its closing tag
    has been read, and its XML is freed.  The multistatus-level parts come
    after the responses in a document: read them from the returned iterator's
    ``description``, ``sync_token`` and ``extensions`` once it is exhausted.
    A truncated or malformed document yields every complete response first,
    then raises :class:`~multistatus.ParseError`.

    Same leniency, hardening and limits as :func:`~multistatus.from_xml`;
    ``limits.max_bytes`` counts the whole stream, so pass
    ``ms.Limits(max_bytes=None)`` (or a larger bound) for huge listings.

    Args:
        source: bytes, str, a binary file object, or an iterable of byte
            chunks (such as an HTTP client's ``iter_bytes()``).
        limits: size, depth and count limits.

    Returns:
        An iterator of responses with the multistatus-level attributes.

    Raises:
        ParseError: the body is malformed, truncated, hostile or not a multistatus.
        LimitExceeded: a limit was hit.

    Example:
        >>> import multistatus as ms
        >>> body = [b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>',
        ...         b"<D:status>HTTP/1.1 201 Created</D:status></D:response>",
        ...         b"<D:responsedescription>done</D:responsedescription></D:multistatus>"]
        >>> stream = ms.iter_xml(body)
        >>> [(r.href, r.status.code) for r in stream], stream.description
        ([('/a', 201)], 'done')

    .. versionadded:: 0.1.0
    """
    utf8 = False
    chunks: Iterator[bytes]
    if isinstance(source, str):
        data = source.encode("utf-8", "surrogatepass")
        chunks = iter([data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)])
        utf8 = True
    elif isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        chunks = (bytes(view[i : i + CHUNK_SIZE]) for i in range(0, len(view), CHUNK_SIZE))
    elif hasattr(source, "read"):
        chunks = _file_chunks(source)  # type: ignore[arg-type]
    elif isinstance(source, Iterable):
        chunks = _checked_chunks(source)
    else:
        raise TypeError(f"expected bytes, str, a binary file or byte chunks, not {type(source).__name__}")
    return XMLStream(chunks, XMLFeeder(limits=limits, _utf8=utf8))
