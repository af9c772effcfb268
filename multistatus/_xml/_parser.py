"""The one hardened XML parser: options, reading a source, errors located in our words.

Every body is treated as hostile: no DTD (a document type declaration is
refused), no entity expansion, no network, no ``recover=True``, and bounded by
:class:`~multistatus.Limits`.  The tree reader, the streaming reader and the
validator all parse through here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from lxml import etree

from .._exceptions import LimitExceeded, ParseError
from .._limits import DEFAULT_LIMITS, Limits
from .._model._element import check_name

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = [
    "Positions",
    "Source",
    "clark",
    "element_path",
    "fail",
    "parse_tree",
    "parser_options",
    "read_source",
    "syntax_error",
]

#: What the parsers accept: bytes, str, or a binary file object.
Source = bytes | bytearray | memoryview | str | IO[bytes]

_local = threading.local()


def parser_options(utf8: bool) -> dict[str, Any]:
    """The hardened settings every parser of the library uses (tree and pull parsers)."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "recover": False,
        "collect_ids": False,
        "strip_cdata": True,
        "remove_blank_text": False,
        "encoding": "utf-8" if utf8 else None,
    }


def tree_parser(utf8: bool) -> etree.XMLParser:
    """A per-thread hardened parser (lxml parsers must not be shared across threads)."""
    name = "utf8" if utf8 else "auto"
    parser: etree.XMLParser | None = getattr(_local, name, None)
    if parser is None:
        parser = etree.XMLParser(**parser_options(utf8))
        setattr(_local, name, parser)
    return parser


def read_source(source: Source, limits: Limits) -> tuple[bytes, bool]:
    """Bytes of *source* and whether they are UTF-8 that came from a ``str``."""
    max_bytes = limits.max_bytes
    if isinstance(source, str):
        data = source.encode("utf-8", "surrogatepass")
        utf8 = True
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        utf8 = False
    elif hasattr(source, "read"):
        want = -1 if max_bytes is None else max_bytes + 1
        try:
            chunk = source.read(want)
        except OSError as exc:
            raise ParseError(f"could not read the body: {exc}") from exc
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError("open the file in binary mode ('rb'): multistatus reads bytes")
        data = bytes(chunk)
        utf8 = False
    else:
        raise TypeError(f"expected bytes, str or a binary file, not {type(source).__name__}")
    if max_bytes is not None and len(data) > max_bytes:
        raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
    return data, utf8


def parse_tree(source: Source, limits: Limits = DEFAULT_LIMITS) -> LxmlElement:
    """Parse *source* with the hardened parser and return the root element (its namespaces checked).

    Raises:
        ParseError: malformed XML, a DTD, or an empty body.
        LimitExceeded: the body is over ``limits.max_bytes``.
    """
    data, utf8 = read_source(source, limits)
    if not data or data.isspace():  # (not strip(): that copies the whole body)
        raise ParseError("the body is empty; expected a DAV:multistatus document")
    try:
        root = etree.fromstring(data, tree_parser(utf8))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        head = data[:4096].lower().replace(b"\0", b"")
        if b"<!doctype html" in head or b"<html" in head:
            message = "got an HTML page, not a multistatus XML document"
        elif b"<!doctype" in head:
            message = "a document type declaration (DTD) is not allowed"
        else:
            raise syntax_error(exc) from exc
        raise ParseError(message, line=line, column=column) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        at_line, at_column = _doctype_position(data)
        if str(root.tag).lower() in ("html", "{http://www.w3.org/1999/xhtml}html"):
            raise ParseError("got an HTML page, not a multistatus XML document", line=at_line, column=at_column)
        raise ParseError("a document type declaration (DTD) is not allowed", line=at_line, column=at_column)
    check_namespaces(root, data, utf8)
    return root


def check_namespaces(root: LxmlElement, data: bytes | None = None, utf8: bool = False) -> None:
    """Refuse a namespace the model cannot hold, as the model would (``check_name``).

    libxml2 checks namespace names itself, but not in every document (it let
    ``htt$p://example.com/ext`` through in a larger one that fuzzing built and
    refused it in a smaller one): what this reader accepts, the model and the
    JSON form must carry.  One walk over the declarations (about 4% of a parse),
    or, given the bytes *data* the tree was parsed from (*utf8*: from a ``str``),
    none when they show that only the root declares namespaces (see :func:`root_only`).
    """
    if data is not None:
        declared = root_only(root, data, utf8)
        if declared is not None:
            check_declarations(declared)
            return
    check_declarations(walk_declarations(root))


def root_only(root: LxmlElement, data: bytes, utf8: bool) -> list[tuple[str, str]] | None:
    """Every namespace declaration of the document of *root*, when the bytes show they are all on the root.

    In an encoding where ASCII characters are their bytes and no other character
    uses those bytes (UTF-8, ASCII, Latin-1), each declaration spells ``xmlns`` in
    *data*, so *data* holds at least as many ``xmlns`` as the document has
    declarations; as many as the root has, and no other element has any.  The
    declarations in the order :func:`walk_declarations` gives them; ``None``
    when the bytes cannot tell (another encoding, or ``xmlns`` elsewhere).
    """
    if not utf8 and not _ascii_markup(data):
        return None
    declared: list[tuple[str, str]] = []
    for event, item in etree.iterwalk(root, events=("start", "start-ns")):
        if event == "start":
            break
        declared.append(cast("tuple[str, str]", item))
    end = len(data)
    for _ in range(len(declared) + 1):  # (from the end: the root's are at the start)
        end = data.rfind(b"xmlns", 0, end)
        if end < 0:
            return declared
    return None


#: Encodings in which the bytes of ASCII characters mean those characters only (libxml2's names, lower case).
_ASCII_SUPERSETS = frozenset(
    ("utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "iso_8859-1", "latin1", "latin-1", "iso-8859-15")
)
_DECLARED_ENCODING = re.compile(rb"\bencoding\s*=\s*[\"']([A-Za-z0-9._-]*)[\"']")


def _ascii_markup(data: bytes) -> bool:
    """Whether libxml2 reads *data* (bytes it was given) in one of :data:`_ASCII_SUPERSETS`.

    Its rules (XML 1.0 Appendix F): a UTF-8 byte order mark, or a ``<`` not
    followed by a NUL byte (not UTF-16 or UCS-4, not EBCDIC), and then the
    encoding the XML declaration names (UTF-8 without one).  Anything else: ``False``.
    """
    head = data[3:259] if data.startswith(b"\xef\xbb\xbf") else data[:256]
    if head[:1] != b"<" or head[1:2] == b"\0":
        return False
    if not head.startswith(b"<?xml"):
        return True
    end = head.find(b"?>")
    if end < 0:
        return False
    declaration = head[:end]
    if b"encoding" not in declaration:
        return True
    match = _DECLARED_ENCODING.search(declaration)
    return match is not None and match.group(1).decode("ascii").lower() in _ASCII_SUPERSETS


def check_declarations(declared: Iterable[tuple[str, str]]) -> None:
    """:func:`check_namespaces` of ``(prefix, namespace name)`` declarations listed in document order."""
    seen: set[str] = set()
    for prefix, uri in declared:
        if uri in seen or not uri:
            continue
        try:
            check_name(f"{{{uri}}}x", "namespace")
        except ValueError as exc:
            reason = str(exc).partition("': ")[2] or str(exc)  # (without the made-up name it checked)
            raise ParseError(f"{'xmlns:' + prefix if prefix else 'xmlns'}: {reason}") from None
        seen.add(uri)


def walk_declarations(root: LxmlElement) -> Iterator[tuple[str, str]]:
    """``(prefix, namespace name)`` of every namespace declaration under *root*, in document order."""
    for _, declared in etree.iterwalk(root, events=("start-ns",)):
        yield cast("tuple[str, str]", declared)


def _doctype_position(data: bytes) -> tuple[int, int | None]:
    """Line and column of the document type declaration (the parser only says it is there)."""
    head = data[:4096].lower().replace(b"\0", b"")  # (NULs: UTF-16 read as bytes)
    at = head.find(b"<!doctype")
    if at < 0:
        return 1, None
    return head.count(b"\n", 0, at) + 1, at - head.rfind(b"\n", 0, at)


#: libxml2 ends its messages with the position, which ParseError says once itself.
#: Both forms: ", line 3, column 11" at the end, and " line 3" after the tag name of
#: "Premature end of data in tag href line 3".
_POSITION_SUFFIX = re.compile(r"(?:,? line \d+(?:, column \d+)?)+$")


def syntax_error(exc: etree.XMLSyntaxError, prefix: str = "malformed XML") -> ParseError:
    """Our error for an lxml syntax error, in our words (lxml's advice is not the user's)."""
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = _POSITION_SUFFIX.sub("", exc.msg or "")
    if "Excessive depth" in message:
        # libxml2 stops at 256 levels (huge_tree stays off on purpose).
        return LimitExceeded("elements nested deeper than 256 levels", line=line, column=column)
    return ParseError(f"{prefix}: {message}", line=line, column=column)


def element_path(el: LxmlElement, positions: Positions | None = None) -> str:
    """A readable path such as ``/D:multistatus/D:response[2]/D:status``.

    *positions*: for the paths of many elements of one tree (each parent's
    children are then counted once, not once per path).
    """
    parts = []
    positions = positions or Positions()
    node: LxmlElement | None = el
    while node is not None:
        tag = node.tag
        if not isinstance(tag, str):
            parts.append("comment()")
        else:
            # Not etree.QName: a streamed element may carry a name it rejects
            # ("b:v" from an undeclared prefix, before the parser reports it).
            local = tag.rpartition("}")[2]
            name = f"{node.prefix}:{local}" if node.prefix else local
            parent = node.getparent()
            if parent is not None:
                n, same = positions.of(node, parent)
                if same > 1:
                    name += f"[{n}]"
            parts.append(name)
        node = node.getparent()
    return "/" + "/".join(reversed(parts))


class Positions:
    """Where each child stands among its parent's children of the same name: ``(n, of)``,
    counted once per parent (see :func:`element_path`)."""

    __slots__ = ("_parents",)

    def __init__(self) -> None:
        self._parents: dict[LxmlElement, dict[LxmlElement, tuple[int, int]]] = {}

    def of(self, node: LxmlElement, parent: LxmlElement) -> tuple[int, int]:
        table = self._parents.get(parent)
        if table is None:
            children = list(parent)
            total: dict[object, int] = {}
            for child in children:
                total[child.tag] = total.get(child.tag, 0) + 1
            seen: dict[object, int] = {}
            table = {}
            for child in children:
                seen[child.tag] = n = seen.get(child.tag, 0) + 1
                table[child] = (n, total[child.tag])
            self._parents[parent] = table
        return table[node]


def fail(el: LxmlElement, message: str, exc_type: type[ParseError] = ParseError) -> ParseError:
    """A :class:`ParseError` located at *el*."""
    return exc_type(message, line=el.sourceline, path=element_path(el))


def clark(tag: str) -> str:
    """lxml tag -> canonical Clark name (``{}local`` for no namespace)."""
    return tag if tag[0] == "{" else "{}" + tag
