"""What the streaming reader checks itself, because the pull parser tells it too late.

lxml's pull parser hands out elements before it reports a bad namespace
declaration, and the streaming reader must refuse a document type
declaration before the parser reads one.  The tree reader needs neither.

A bad name in a parsed element can only come from a bad namespace URI:
libxml2 refuses a bad local name (or one over ``MAX_NAME_BYTES``) at once, and
gives a QName it cannot split no namespace.  So the streaming reader checks
each namespace declaration as it is read (:func:`good_namespace`), and walks
the names of an element (:func:`check_names`) only once the document has
declared a namespace that fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._memo import Memo
from .._model._element import _check_new_name, cached_name, check_name
from ._parser import fail

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["check_names", "good_namespace", "prolog_doctype"]

_UNDECIDED = -2
_SPACE = b" \t\r\n\xef\xbb\xbf\xff\xfe"  # (and byte order marks)
#: Namespace URIs that passed good_namespace (a bounded cache: documents repeat a few).
_GOOD: Memo[str, bool] = Memo(1024)


def prolog_doctype(head: bytes) -> int:
    """Where a document type declaration starts in the prolog of *head* (lower case), or -1.

    Only the prolog counts: the XML declaration, comments and processing
    instructions are skipped, so ``<!DOCTYPE`` inside a comment is not one.
    ``_UNDECIDED`` when the bytes so far end inside a comment or instruction.
    """
    at = 0
    while True:
        while at < len(head) and head[at] in _SPACE:
            at += 1
        if head.startswith(b"<?", at):
            end = head.find(b"?>", at + 2)
            if end < 0:
                return _UNDECIDED
            at = end + 2
        elif head.startswith(b"<!--", at):
            end = head.find(b"-->", at + 4)
            if end < 0:
                return _UNDECIDED
            at = end + 3
        elif head.startswith(b"<!doctype", at):
            return at
        else:
            return -1


def good_namespace(uri: str) -> bool:
    """Whether every name in namespace *uri* passes :func:`check_name` (given a
    local name libxml2 accepted): the pull parser's ``start-ns`` events give the URIs."""
    if uri in _GOOD:
        return True
    try:
        _check_new_name(f"{{{uri}}}x")  # (not check_name: this made-up name must not fill its cache)
    except ValueError:
        return False
    return _GOOD.put(uri, True)


def check_names(el: LxmlElement) -> None:
    """Refuse a name the model would refuse before the reader trusts it.

    The pull parser hands out an element before it reports a bad namespace
    declaration (``xmlns:x="}"``: libxml2 complains at the end), so a streamed
    element may carry names the tree parser never lets through.
    """
    for node in el.iter():
        tag = node.tag
        if tag.__class__ is str and tag[0] == "{" and cached_name(tag) is None:
            _checked(node, tag)
        for key in node.keys():  # noqa: SIM118 - an lxml element: iterating it gives the children
            if key[0] == "{" and cached_name(key) is None:
                _checked(node, key)


def _checked(node: LxmlElement, name: str) -> None:
    try:
        check_name(name, "name")
    except ValueError as exc:
        raise fail(node, str(exc)) from exc
