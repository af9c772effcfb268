"""Reading the ``job`` element of a job's monitor (the library's namespace): state, done, total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._model import JobStatus
from .._model._job import MAX_COUNT
from .._names import JOB_DONE, JOB_STATE, JOB_TOTAL
from ._content import text_of
from ._parser import fail

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["read_job"]

_PARTS = (JOB_STATE, JOB_DONE, JOB_TOTAL)
#: The longest count read (digits): the model's largest count (int() stays linear).
_MAX_DIGITS = len(str(MAX_COUNT))


def _count(el: LxmlElement, what: str) -> int:
    text = text_of(el).strip()
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        raise fail(el, f"a job's {what} is a count of items (up to {_MAX_DIGITS} digits), not {text[:40]!r}")
    return int(text)


def read_job(el: LxmlElement) -> JobStatus:
    """The :class:`~multistatus.JobStatus` of a ``job`` element; other children are ignored.

    Raises:
        ParseError: a part is missing, repeated or not what it should be (located at the element).
    """
    found: dict[str, LxmlElement] = {}
    for child in el:
        tag = child.tag
        if tag in _PARTS:
            if tag in found:
                raise fail(child, f"a job has one {str(tag).rpartition('}')[2]}")
            found[str(tag)] = child
    if JOB_STATE not in found:
        raise fail(el, "a job needs a state")
    state = text_of(found[JOB_STATE]).strip()
    done = _count(found[JOB_DONE], "done count") if JOB_DONE in found else 0
    total = _count(found[JOB_TOTAL], "total") if JOB_TOTAL in found else None
    try:
        return JobStatus(state, done, total)  # type: ignore[arg-type]  # (the state is checked here)
    except ValueError as exc:
        raise fail(el, str(exc)) from exc
