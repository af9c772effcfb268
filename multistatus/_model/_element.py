"""XML content as immutable values: Clark names, text checks and :class:`Element`.

Property values and ``DAV:error`` conditions can hold arbitrary XML (RFC 4918
§4.3).  :class:`Element` keeps what §4.3 calls significant: namespace and local
name of elements and attributes, attribute values, text (including whitespace)
and the order of mixed content.  Prefixes are not kept: names are Clark strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, Union, cast

from .._limits import MAX_NESTING
from .._memo import Memo
from .._names import XMLNS_NS
from ._frozen import EMPTY, FrozenMap, draft, exact

__all__ = [
    "Content",
    "Element",
    "check_attribute_name",
    "check_name",
    "check_text",
    "normalize_content",
    "split_name",
]


# XML 1.0 (5th edition) §2.3 NameStartChar and NameChar, without ":" (an NCName).
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + "\\-.0-9\u00b7\u0300-\u036f\u203f\u2040"


class _Lazy:
    """A pattern compiled on first use, which then takes its own place in this module.

    The character classes below take milliseconds to compile; ``import multistatus``
    should not pay for them before a name or a text is checked.
    """

    __slots__ = ("name", "source")

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source

    def _compiled(self) -> re.Pattern[str]:
        pattern = re.compile(self.source)
        globals()[self.name] = pattern  # later calls find the compiled pattern directly
        return pattern

    def search(self, text: str) -> re.Match[str] | None:
        return self._compiled().search(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._compiled().fullmatch(text)


def _lazy(name: str, source: str) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Lazy(name, source))


_NCNAME = _lazy("_NCNAME", f"[{_NAME_START}][{_NAME_CHAR}]*")
#: libxml2 refuses a name longer than this many UTF-8 bytes (XML_MAX_NAME_LENGTH; huge_tree is off).
MAX_NAME_BYTES = 50_000
#: Longest namespace URI accepted, in UTF-8 bytes.  libxml2 refuses a start tag
#: (namespace declarations included) over about 10 MB; this leaves room for the rest.
MAX_NAMESPACE_BYTES = 1_000_000
# RFC 3986 URI-reference, as libxml2's reader checks a namespace name (it refuses
# anything else: spaces, non-ASCII, "{", a bad percent-escape).  libxml2 allows
# "[" and "]" in a fragment, anything but "]" inside an IP literal, and a port
# of one or more digits up to 2**31 - 1.
_UNRESERVED = r"A-Za-z0-9\-._~"
_PCT = "%[0-9A-Fa-f]{2}"
_SUB = "!$&'()*+,;="
_PCHAR = f"(?:[{_UNRESERVED}{_SUB}:@]|{_PCT})"
_SEGMENTS = f"(?:/{_PCHAR}*)*"
_PORT = (
    "0*(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])"
)
_AUTHORITY = f"(?:(?:[{_UNRESERVED}{_SUB}:]|{_PCT})*@)?(?:\\[[^\\]]*\\]|(?:[{_UNRESERVED}{_SUB}]|{_PCT})*)(?::{_PORT})?"
_SEGMENT_NC = f"(?:[{_UNRESERVED}{_SUB}@]|{_PCT})"  # a first segment without ":" (relative path)
_NETWORK_PATH = f"//{_AUTHORITY}{_SEGMENTS}|/(?:{_PCHAR}+{_SEGMENTS})?"
_URI_REFERENCE = _lazy(
    "_URI_REFERENCE",
    f"(?:[A-Za-z][A-Za-z0-9+\\-.]*:(?:{_NETWORK_PATH}|{_PCHAR}+{_SEGMENTS}|)"
    f"|(?:{_NETWORK_PATH}|{_SEGMENT_NC}+{_SEGMENTS}|))"
    f"(?:\\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?\\[\\]])*)?",
)
# Characters XML 1.0 cannot carry at all (even as references).
_BAD_CHARS = _lazy("_BAD_CHARS", "[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_name_cache: Memo[str, str] = Memo(4096)
#: The canonical form of a name checked before, or ``None``: a dict lookup, for hot loops.
cached_name = _name_cache.get


def check_name(name: object, what: str = "name") -> str:
    """Validate a Clark-notation name and return its canonical form.

    ``"{ns}local"`` is kept; ``"local"`` and ``"{}local"`` both mean "no
    namespace" and become ``"{}local"``.

    Raises:
        ValueError: the name is not ``{namespace}NCName``.

    Example:
        >>> check_name("{DAV:}getetag"), check_name("color")
        ('{DAV:}getetag', '{}color')
    """
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str in Clark notation, not {type(name).__name__}")
    canonical = _name_cache.get(name)
    if canonical is None:
        canonical = _check_new_name(name)
        if name.__class__ is str:  # (a str subclass may compare as it likes)
            _name_cache.put(name, canonical)
    return canonical


def check_attribute_name(name: object, what: str = "attribute name") -> str:
    """:func:`check_name` for an attribute: ``{}xmlns`` is refused too.

    Written as ``xmlns="..."`` it would declare a default namespace, and the
    elements under it would change namespace when read back.  (Names in the
    xmlns namespace itself are refused by :func:`check_name`.)
    """
    canonical = check_name(name, what)
    if canonical == "{}xmlns":
        raise ValueError(f"bad {what} {name!r}: an attribute named xmlns is a namespace declaration")
    return canonical


def _check_new_name(name: str) -> str:
    if name.startswith("{"):
        end = name.find("}")
        if end < 0:
            raise ValueError(f"bad Clark name {name!r}: no closing brace")
        ns, local = name[1:end], name[end + 1 :]
        if "{" in ns:
            raise ValueError(f"bad Clark name {name!r}: brace inside the namespace")
        if ns == XMLNS_NS:
            raise ValueError(f"bad Clark name {name!r}: the xmlns namespace is reserved")
    else:
        ns, local = "", name
    if not _NCNAME.fullmatch(local):
        raise ValueError(f"bad Clark name {_clip(name)!r}: {_clip(local)!r} is not an XML local name (NCName)")
    if len(local.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise ValueError(
            f"bad Clark name {_clip(name)!r}: the local name is longer than {MAX_NAME_BYTES} UTF-8 bytes, "
            "which XML readers refuse"
        )
    if len(ns.encode("utf-8", "surrogatepass")) > MAX_NAMESPACE_BYTES:
        raise ValueError(
            f"bad Clark name {_clip(name)!r}: the namespace is longer than {MAX_NAMESPACE_BYTES} UTF-8 bytes"
        )
    if _BAD_CHARS.search(ns):
        raise ValueError(f"bad Clark name {_clip(name)!r}: the namespace has characters XML cannot carry")
    if not _URI_REFERENCE.fullmatch(ns):
        raise ValueError(
            f"bad Clark name {_clip(name)!r}: the namespace {_clip(ns)!r} is not a URI reference (RFC 3986); "
            "percent-encode spaces and non-ASCII characters"
        )
    return f"{{{ns}}}{local}"


def _clip(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def split_name(name: str) -> tuple[str, str]:
    """Split a canonical Clark name into ``(namespace, local)``.

    Example:
        >>> split_name("{DAV:}href")
        ('DAV:', 'href')
    """
    end = name.index("}")
    return name[1:end], name[end + 1 :]


def check_text(text: object, what: str = "text") -> str:
    """Validate that *text* is a str that XML 1.0 can carry.

    Raises:
        ValueError: *text* holds a character XML 1.0 cannot represent (NUL, most C0 controls).

    Example:
        >>> check_text("Grüße")
        'Grüße'
    """
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, not {type(text).__name__}")
    bad = _BAD_CHARS.search(text)
    if bad is not None:
        char, at = bad.group(), bad.start()
        if "\ud800" <= char <= "\udfff":  # (said as the JSON rule says it: uncarried_json_text)
            raise ValueError(f"{what} holds a lone surrogate {char!r} at offset {at} (not Unicode text)")
        raise ValueError(f"{what} holds {char!r} at offset {at}, which XML 1.0 cannot carry")
    return exact(text)


#: Mixed content: a sequence of text and elements.
Content: TypeAlias = tuple[Union[str, "Element"], ...]


def normalize_content(items: Iterable[object], what: str) -> Content:
    """Check mixed content and merge adjacent text; drop empty strings.

    Example:
        >>> normalize_content(["a", "", "b", Element("{DAV:}x")], "value")
        ('ab', Element('{DAV:}x'))
    """
    out: list[str | Element] = []
    run: list[str] = []  # adjacent text, joined once
    for item in items:
        if isinstance(item, Element):
            if run:
                out.append("".join(run))
                run.clear()
            out.append(item)
        elif isinstance(item, str):
            if item:
                run.append(check_text(item, what))
        else:
            raise TypeError(f"{what} may hold only str and Element, not {type(item).__name__}")
    if run:
        out.append("".join(run))
    return tuple(out)


def _height(content: Content) -> int:
    """How many levels of elements *content* holds (0 for text only), counted up to :data:`MAX_NESTING`.

    Level by level, without recursion, so a tree built too deep for recursion is
    measured all the same.  (Content holds only str and Element: see normalize_content.)
    """
    frontier = [c for c in content if c.__class__ is not str]
    height = 0
    while frontier:
        height += 1
        if height >= MAX_NESTING:
            break
        frontier = [c for element in frontier for c in element.children if c.__class__ is not str]  # type: ignore[union-attr]
    return height


def check_attributes(attributes: Mapping[str, str] | None, what: str) -> FrozenMap[str, str]:
    """Validate attribute names (Clark) and values; return them frozen.

    An attribute named ``xmlns`` (no namespace) is refused: XML would read it as a
    namespace declaration (names in the xmlns namespace are refused by :func:`check_name`).
    """
    if not isinstance(attributes, Mapping) and attributes is not None:
        raise TypeError(f"{what}: attributes must be a mapping of name to value, not {type(attributes).__name__}")
    if not attributes:
        return EMPTY
    checked: dict[str, str] = {}
    for key, value in attributes.items():
        name = check_attribute_name(key, f"{what} attribute name")
        if name in checked:
            raise ValueError(f"{what}: attribute {name} given twice")
        checked[name] = check_text(value, f"{what} attribute {key!r}")
    if isinstance(attributes, FrozenMap) and all(name in attributes for name in checked):
        return attributes  # already canonical: keep the value
    return FrozenMap(checked)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Element:
    """An XML element inside a property value, an error or an extension.

    ``children`` is mixed content: a tuple of ``str`` and :class:`Element`, with
    adjacent strings merged.  Attributes are keyed by Clark name.

    Args:
        tag: Clark name, e.g. ``"{DAV:}collection"``.
        children: child elements and text, in document order.
        attributes: attribute values by Clark name.

    Example:
        >>> e = Element("{DAV:}href", ["/dav/a.txt"])
        >>> e.text
        '/dav/a.txt'
        >>> Element("{DAV:}resourcetype", [Element("{DAV:}collection")])
        Element('{DAV:}resourcetype', [Element('{DAV:}collection')])
    """

    tag: str
    children: Content
    attributes: FrozenMap[str, str]

    def __init__(
        self,
        tag: str,
        children: Iterable[str | Element] | str = (),
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "tag", check_name(tag, "element tag"))
        if isinstance(children, str):
            children = (children,)
        content = normalize_content(children, f"content of {tag}")
        if _height(content) >= MAX_NESTING:
            raise ValueError(f"element {tag}: XML content nested deeper than {MAX_NESTING} levels")
        object.__setattr__(self, "children", content)
        object.__setattr__(self, "attributes", check_attributes(attributes, tag))

    @property
    def text(self) -> str:
        """All text inside this element, descendants included, in order."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def elements(self) -> tuple[Element, ...]:
        """The child elements, without the text between them."""
        return tuple(c for c in self.children if isinstance(c, Element))

    def find(self, tag: str) -> Element | None:
        """The first child element named *tag* (Clark), or ``None``.

        Example:
            >>> lock = Element("{DAV:}lock-token-submitted", [Element("{DAV:}href", "/x")])
            >>> lock.find("{DAV:}href").text
            '/x'
        """
        tag = check_name(tag)
        for child in self.children:
            if isinstance(child, Element) and child.tag == tag:
                return child
        return None

    def __repr__(self) -> str:
        args = [repr(self.tag)]
        if self.children:
            args.append(repr(list(self.children)))
        if self.attributes:
            args.append(f"attributes={self.attributes!r}")
        return f"Element({', '.join(args)})"

    @classmethod
    def _trusted(cls, tag: str, children: Content, attributes: FrozenMap[str, str]) -> Element:
        """Build without checks: for parsers whose input is already well-formed XML."""
        self = _new(_ElementDraft)
        self.tag = tag
        self.children = children
        self.attributes = attributes
        self.__class__ = Element
        element: Element = self
        return element


_new = object.__new__
_ElementDraft = draft(Element)


def carried(text: str) -> bool:
    """Whether XML 1.0 can carry every character of *text* (:func:`check_text` without the error)."""
    return _BAD_CHARS.search(text) is None
