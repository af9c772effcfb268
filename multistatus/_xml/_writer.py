"""Writing multistatus XML as text, without building an lxml tree.

Output rules (DESIGN §4): UTF-8 with an XML declaration; ``DAV:`` bound to
``D`` and every other namespace declared once on the root with a stable prefix;
compact unless ``pretty=True`` (old Windows clients choke on whitespace);
1xx statuses are refused by the model already.  Text is escaped so that a
conforming parser reads back exactly the same characters (``\\r`` included).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .._chunks import CHUNK_SIZE, chunks
from .._model import Element, Error, JobStatus, MultiStatus, Property, PropStat, Response, Status
from .._model._document import document_of
from .._model._frozen import FrozenMap, thaw_json
from .._names import DAV, NAMESPACE, PROBLEM_NS, XML_NS

__all__ = [
    "WELL_KNOWN",
    "Writer",
    "element_document",
    "error_document",
    "escape_attr",
    "escape_text",
    "propstat_document",
    "to_xml",
]

#: Prefixes used for well-known namespaces; others get ``ns0``, ``ns1``, ...
WELL_KNOWN: dict[str, str] = {
    DAV: "D",
    NAMESPACE: "ms",
    PROBLEM_NS: "P",
    "urn:ietf:params:xml:ns:caldav": "C",
    "urn:ietf:params:xml:ns:carddav": "CR",
    "http://calendarserver.org/ns/": "CS",
    "http://apple.com/ns/ical/": "ICAL",
    "http://apache.org/dav/props/": "lp",
    "http://sabredav.org/ns": "s",
    "http://owncloud.org/ns": "oc",
    "http://nextcloud.org/ns": "nc",
}

_XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n'
_REST_ID = f"{{{NAMESPACE}}}id"
#: ``<D:status>...</D:status>`` by code, for statuses with the standard reason phrase.
_STATUS_ELEMENTS: dict[int, str] = {}
#: How many written properties one writer remembers, and the longest text it keeps of one
#: (a listing repeats the same property objects in every response: written once each).
_REMEMBERED = 1024
_REMEMBERED_CHARS = 2048


def escape_text(text: str) -> str:
    """Escape character data: ``& < >`` and ``\\r`` (which parsers would turn into ``\\n``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attr(text: str) -> str:
    """Escape an attribute value (double-quoted), keeping tabs and newlines intact."""
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    return text


class Writer:
    """Serializes model values to XML text, one piece at a time.

    Namespaces given up front are declared on the root; one met later (in
    streaming, where the responses are not known in advance) is declared on the
    element that uses it.
    """

    __slots__ = ("_collect", "_decls", "_next", "_prefixes", "_qnames", "_written", "pretty")

    def __init__(self, namespaces: Iterable[str] = (), *, pretty: bool = False, collect: bool = False) -> None:
        self.pretty = pretty
        self._collect = collect
        self._qnames: dict[str, str] = {}
        self._written: dict[int, tuple[Property, str]] = {}
        self._next = 0
        if namespaces == ():  # (to_xml's writer: the state every writer starts from, copied)
            self._prefixes = _START_PREFIXES.copy()
            self._decls = _START_DECLS
            return
        self._prefixes = {"": "", XML_NS: "xml"}
        decls = []
        for uri in [DAV, *namespaces]:
            if uri not in self._prefixes:
                prefix = self._new_prefix(uri)
                decls.append(f' xmlns:{prefix}="{escape_attr(uri)}"')
        self._decls = "".join(decls)

    def _new_prefix(self, uri: str) -> str:
        prefix = WELL_KNOWN.get(uri)
        used = set(self._prefixes.values())
        while prefix is None or prefix in used:
            prefix = f"ns{self._next}"
            self._next += 1
        self._prefixes[uri] = prefix
        return prefix

    def _qname(self, name: str, local_decls: list[str]) -> str:
        """``prefix:local`` for a Clark name; adds a local declaration when needed."""
        qname = self._qnames.get(name)
        if qname is not None:
            return qname
        end = name.index("}")
        uri, local = name[1:end], name[end + 1 :]
        prefix = self._prefixes.get(uri)
        if prefix is None:
            if self._collect:
                # to_xml: give it a root prefix now; head() is written last.
                prefix = self._new_prefix(uri)
                self._decls += f' xmlns:{prefix}="{escape_attr(uri)}"'
                qname = f"{prefix}:{local}"
                self._qnames[name] = qname
                return qname
            # Not declared on the root: declare on this element (streaming only).
            prefix = WELL_KNOWN.get(uri) or f"x{len(local_decls)}"
            local_decls.append(f' xmlns:{prefix}="{escape_attr(uri)}"')
            return f"{prefix}:{local}"
        qname = f"{prefix}:{local}" if prefix else local
        self._qnames[name] = qname
        return qname

    # -- document parts ------------------------------------------------------
    def head(self) -> str:
        """XML declaration and the multistatus start tag with all declarations."""
        return f"{_XML_DECL}<D:multistatus{self._decls}>"

    def tail(
        self,
        description: str | None = None,
        sync_token: str | None = None,
        extensions: Iterable[Element] = (),
        job: JobStatus | None = None,
    ) -> str:
        """Multistatus-level parts after the responses and the end tag."""
        out: list[str] = []
        nl = "\n  " if self.pretty else ""
        if description is not None:
            out.append(f"{nl}<D:responsedescription>{escape_text(description)}</D:responsedescription>")
        if sync_token is not None:
            out.append(f"{nl}<D:sync-token>{escape_text(sync_token)}</D:sync-token>")
        if job is not None:
            out.append(nl)
            self._job(job, out)
        for ext in extensions:
            out.append(nl)
            self.element(ext, out)
        out.append("\n</D:multistatus>\n" if self.pretty else "</D:multistatus>")
        return "".join(out)

    def response(self, r: Response) -> str:
        """One ``<D:response>`` element as text."""
        out: list[str] = []
        p = self.pretty
        i1, i2 = ("\n  ", "\n    ") if p else ("", "")
        out.append(f"{i1}<D:response>")
        for href in r.hrefs:
            out.append(f"{i2}<D:href>{escape_text(href)}</D:href>")
        if r.status is not None:
            out.append(i2)
            out.append(self._status(r.status))
        for ps in r.propstats:
            self.propstat(ps, out)
        if r.error is not None:
            out.append(i2)
            self.error(r.error, out)
        if r.description is not None:
            out.append(f"{i2}<D:responsedescription>{escape_text(r.description)}</D:responsedescription>")
        if r.location is not None:
            out.append(f"{i2}<D:location><D:href>{escape_text(r.location)}</D:href></D:location>")
        if r.id is not None or r.headers or r.body is not None or r.replayed:
            self._rest(r, out, i2)
        for ext in r.extensions:
            out.append(i2)
            self.element(ext, out)
        out.append(f"{i1}</D:response>")
        return "".join(out)

    def _status(self, status: Status) -> str:
        """``<D:status>`` with its line: made once per code (statuses with their own reason each time)."""
        if status.reason is not None:
            return f"<D:status>{escape_text(status.line())}</D:status>"
        text = _STATUS_ELEMENTS.get(status.code)
        if text is None:
            text = f"<D:status>{escape_text(status.line())}</D:status>"
            if len(_STATUS_ELEMENTS) < 1024:
                _STATUS_ELEMENTS[status.code] = text
        return text

    def _rest(self, r: Response, out: list[str], indent: str) -> None:
        decls: list[str] = []
        m = self._qname(_REST_ID, decls).partition(":")[0]
        d = "".join(decls)
        if r.id is not None:
            out.append(f"{indent}<{m}:id{d}>{escape_text(r.id)}</{m}:id>")
        if r.headers:
            out.append(f"{indent}<{m}:headers{d}>")
            for name, value in r.headers.items():
                out.append(f'<{m}:header name="{escape_attr(name)}">{escape_text(value)}</{m}:header>')
            out.append(f"</{m}:headers>")
        if r.body is not None:
            out.append(f"{indent}<{m}:body{d}>{escape_text(_dump_json(r.body))}</{m}:body>")
        if r.replayed:
            out.append(f"{indent}<{m}:replayed{d}/>")

    def _job(self, job: JobStatus, out: list[str]) -> None:
        """The ``job`` element of a job's monitor: state, done and total (when known), in the library's namespace."""
        decls: list[str] = []
        m = self._qname(_REST_ID, decls).partition(":")[0]
        out.append(f"<{m}:job{''.join(decls)}><{m}:state>{job.state}</{m}:state><{m}:done>{job.done}</{m}:done>")
        if job.total is not None:
            out.append(f"<{m}:total>{job.total}</{m}:total>")
        out.append(f"</{m}:job>")

    def propstat(self, ps: PropStat, out: list[str]) -> None:
        p = self.pretty
        i2, i3, i4 = ("\n    ", "\n      ", "\n        ") if p else ("", "", "")
        out.append(f"{i2}<D:propstat>{i3}<D:prop>")
        for prop in ps.props:
            out.append(i4)
            self.property(prop, out)
        out.append(f"{i3}</D:prop>" if ps.props else "</D:prop>")
        out.append(i3)
        out.append(self._status(ps.status))
        if ps.error is not None:
            out.append(i3)
            self.error(ps.error, out)
        if ps.description is not None:
            out.append(f"{i3}<D:responsedescription>{escape_text(ps.description)}</D:responsedescription>")
        for ext in ps.extensions:
            out.append(i3)
            self.element(ext, out)
        out.append(f"{i2}</D:propstat>")

    def property(self, prop: Property, out: list[str]) -> None:
        """Appends *prop*'s element; the text of a property object met before in this document is reused.

        A property is immutable and a namespace's prefix never changes within
        one writer, so the same object always writes the same text: a listing
        whose resources share property objects (a ``supportedlock``, a
        ``resourcetype``, a date) writes each once.  Kept by identity, the
        object held with its text (so its ``id`` is not reused), at most
        ``_REMEMBERED`` of them and none longer than ``_REMEMBERED_CHARS``.
        """
        known = self._written.get(id(prop))
        if known is not None:  # (the object is held, so its id is not reused)
            out.append(known[1])
            return
        piece: list[str] = []
        self._property(prop, piece)
        text = "".join(piece)
        if len(self._written) < _REMEMBERED and len(text) <= _REMEMBERED_CHARS:
            self._written[id(prop)] = (prop, text)
        out.append(text)

    def _property(self, prop: Property, out: list[str]) -> None:
        decls: list[str] = []
        qname = self._qname(prop.name, decls)
        attrs = self._attrs(prop.attributes, decls)
        if prop.lang is not None:
            attrs += f' xml:lang="{escape_attr(prop.lang)}"'
        value = prop.value
        if not value:
            out.append(f"<{qname}{''.join(decls)}{attrs}/>")
        elif isinstance(value, str):
            out.append(f"<{qname}{''.join(decls)}{attrs}>{escape_text(value)}</{qname}>")
        else:
            out.append(f"<{qname}{''.join(decls)}{attrs}>")
            for item in value:
                if isinstance(item, str):
                    out.append(escape_text(item))
                else:
                    self.element(item, out)
            out.append(f"</{qname}>")

    def _attrs(self, attributes: FrozenMap[str, str], decls: list[str]) -> str:
        if not attributes:
            return ""
        return "".join(f' {self._qname(k, decls)}="{escape_attr(v)}"' for k, v in attributes.items())

    def element(self, el: Element, out: list[str]) -> None:
        decls: list[str] = []
        qname = self._qname(el.tag, decls)
        attrs = self._attrs(el.attributes, decls)
        if not el.children:
            out.append(f"<{qname}{''.join(decls)}{attrs}/>")
            return
        out.append(f"<{qname}{''.join(decls)}{attrs}>")
        for item in el.children:
            if isinstance(item, str):
                out.append(escape_text(item))
            else:
                self.element(item, out)
        out.append(f"</{qname}>")

    def error(self, error: Error, out: list[str], root: str = "D:error") -> None:
        out.append(f"<{root}>")
        for cond in error.conditions:
            self.element(cond, out)
        for key, value in error.problem.items():
            decls: list[str] = []
            qname = self._qname(f"{{{PROBLEM_NS}}}{key}", decls)
            if isinstance(value, str):
                out.append(f"<{qname}{''.join(decls)}>{escape_text(value)}</{qname}>")
            else:
                mark = self._qname(f"{{{NAMESPACE}}}type", decls)
                out.append(f'<{qname}{"".join(decls)} {mark}="json">{escape_text(_dump_json(value))}</{qname}>')
        out.append(f"</{root}>")


#: What Writer() starts from without namespaces given: ``DAV:`` bound to ``D``.
_START_PREFIXES: dict[str, str] = {"": "", XML_NS: "xml", DAV: "D"}
_START_DECLS = ' xmlns:D="DAV:"'


def _dump_json(value: object) -> str:
    return json.dumps(thaw_json(value), ensure_ascii=False, separators=(",", ":"))  # type: ignore[arg-type]


def iter_document(doc: MultiStatus, *, pretty: bool = False) -> Iterator[str]:
    """The text of *doc* in pieces: head, one piece per response, tail.

    The namespaces are collected while the responses are written (in order of
    first use, ``DAV:`` first), so the head, which declares them all, is made
    last: one pass over the document instead of two.
    """
    writer = Writer(pretty=pretty, collect=True)
    body = [writer.response(r) for r in doc.responses]
    tail = writer.tail(doc.description, doc.sync_token, doc.extensions, doc.job)
    yield writer.head()
    yield from body
    yield tail


def to_xml(doc: MultiStatus, *, pretty: bool = False) -> bytes:
    """Serialize *doc* as UTF-8 XML with an XML declaration.

    ``DAV:`` is bound to ``D:`` and every namespace is declared once on the root
    with a stable prefix.  Output is compact unless ``pretty=True``; property
    values are never re-indented.

    Args:
        doc: the document.
        pretty: indent the envelope elements for people to read.

    Returns:
        The document as bytes.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/dav/a.txt", status=423)])
        >>> print(ms.to_xml(doc).decode())
        <?xml version="1.0" encoding="utf-8"?>
        <D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/a.txt</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response></D:multistatus>
    """
    doc = document_of(doc, "to_xml()")
    # Encoding 64 KiB pieces and joining the bytes beats one huge str join and
    # encode on large documents (cache-friendly; bench/bench_xml.py).
    return b"".join(chunks(iter_document(doc, pretty=pretty), CHUNK_SIZE))


def error_document(error: Error, *, problem: bool = False) -> bytes:
    """A stand-alone ``DAV:error`` document (RFC 4918 §16), or with *problem* an
    RFC 9457 ``problem`` document (``application/problem+xml``), as UTF-8 XML.

    Both carry the same parts, written exactly as inside a response: the
    conditions as elements of their own namespaces, the problem members as
    elements of :data:`~multistatus.PROBLEM_NS` (JSON values that are not
    strings marked ``ms:type="json"``).  The reader reads both back.
    """
    writer = Writer(collect=True)  # declarations collected while writing, put on the root
    out: list[str] = []
    root = writer._qname(f"{{{PROBLEM_NS}}}problem", []) if problem else "D:error"
    writer.error(error, out, root)
    out[0] = f"<{root}{writer._decls}>"
    return (_XML_DECL + "".join(out)).encode("utf-8")


def element_document(el: Element) -> bytes:
    """*el* as a stand-alone UTF-8 XML document, its namespaces declared on the root.

    The writer of every other document writes it (``DAV:`` bound to ``D``, the
    well-known prefixes, text escaped to read back the same): a ``DAV:prop``
    answer to LOCK, a ``DAV:error``-less REPORT or MKCOL answer, a body a test
    sends.  The tree reader reads it back equal (see ``webdav.parse_body``).
    """
    writer = Writer(collect=True)  # declarations collected while writing, put on the root
    decls: list[str] = []
    qname = writer._qname(el.tag, decls)
    attrs = writer._attrs(el.attributes, decls)
    out: list[str] = []
    for item in el.children:
        if isinstance(item, str):
            out.append(escape_text(item))
        else:
            writer.element(item, out)
    if not out:
        return f"{_XML_DECL}<{qname}{writer._decls}{attrs}/>".encode()
    return f"{_XML_DECL}<{qname}{writer._decls}{attrs}>{''.join(out)}</{qname}>".encode()


def propstat_document(root: str, propstats: Iterable[PropStat]) -> bytes:
    """A document whose root *root* (a Clark name) holds ``DAV:propstat`` elements, written as in a multistatus.

    The ``DAV:mkcol-response`` of an extended MKCOL (RFC 5689 §5.2) and the
    ``CALDAV:mkcalendar-response`` (RFC 4791 §9.4) are such documents.
    """
    writer = Writer(collect=True)
    decls: list[str] = []
    qname = writer._qname(root, decls)
    out: list[str] = []
    for ps in propstats:
        writer.propstat(ps, out)
    return f"{_XML_DECL}<{qname}{writer._decls}>{''.join(out)}</{qname}>".encode()
