"""Problem documents: one mapping of a request-level failure, written by servers and read by clients.

A failure that is not about single items (a bad body, a limit, a missing
lock token) is one :class:`~multistatus.Error`: RFC 9457 problem members
(``type``, ``title``, ``status``, ``detail``, extensions such as ``code``) and
RFC 4918 §16 condition elements.  It is sent in one of three forms, all
written and read here:

``application/problem+json``
    The members as a JSON object, the conditions under ``"conditions"`` in
    the JsonML form of the JSON format (``[name, {attributes}?, ...children]``).
``application/problem+xml``
    ``<problem xmlns="urn:ietf:rfc:7807">``: the members as elements of
    :data:`~multistatus.PROBLEM_NS`, the conditions as elements of their own
    namespaces beside them.
``text/html``
    For browsers: a page stating the members, every value escaped.
``DAV:error`` (``application/xml``, ``text/xml``)
    For WebDAV clients: the conditions, then the members as
    :data:`~multistatus.PROBLEM_NS` elements.  The ``status`` member is left
    out: the HTTP status says it, and the reader takes it from there.

Members that are not strings are written as JSON text marked
``ms:type="json"`` in both XML forms, so every value reads back as it was.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .._exceptions import ParseError
from .._json import error_from_dict, error_to_dict
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Element, Error
from .._model._frozen import thaw_json
from .._model._status import reason_phrase
from .._xml import error_document
from ._negotiation import HTML, TEXT_XML, XML

__all__ = ["PROBLEM_JSON", "PROBLEM_XML", "make_problem", "read_problem", "with_status", "write_problem"]

PROBLEM_JSON = "application/problem+json"
PROBLEM_XML = "application/problem+xml"
#: RFC 9457 §3.1: the members every problem may have.
PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")


def make_problem(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type: str | None = None,  # noqa: A002 - the RFC 9457 member is called "type"
    conditions: Iterable[Element | str] = (),
    members: Mapping[str, object] | None = None,
) -> Error:
    """The :class:`~multistatus.Error` of a request-level failure with *status*.

    ``title`` defaults to the reason phrase; the members come in RFC 9457's
    order (``type``, ``title``, ``status``, ``detail``), then the extensions.

    Raises:
        ValueError: *status* is not a 4xx or 5xx code, or a member cannot be carried.
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError(f"a problem needs a 4xx or 5xx status, not {status!r}")
    problem: dict[str, object] = {}
    if type is not None:
        problem["type"] = type
    problem["title"] = title if title is not None else reason_phrase(status) or "Error"
    problem["status"] = status
    if detail is not None:
        problem["detail"] = detail
    problem.update(members or {})
    return Error(conditions, problem)


def write_problem(error: Error, media_type: str) -> tuple[bytes, str]:
    """The body and ``Content-Type`` of *error* as *media_type*.

    *media_type* is :data:`PROBLEM_JSON`, :data:`PROBLEM_XML`, or an XML type
    (``application/xml``, ``text/xml``) for a ``DAV:error`` document.
    """
    if media_type in (XML, TEXT_XML):
        dav = Error(error.conditions, {k: v for k, v in error.problem.items() if k != "status"})
        return error_document(dav), f"{media_type}; charset=utf-8"
    if media_type == PROBLEM_XML:
        return error_document(error, problem=True), f"{PROBLEM_XML}; charset=utf-8"
    if media_type == HTML:
        return _problem_page(error), "text/html; charset=utf-8"
    data = error_to_dict(error)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), PROBLEM_JSON


def _problem_page(error: Error) -> bytes:
    """A self-contained HTML page stating *error*'s members and conditions, every value escaped."""
    members = thaw_json(error.problem)
    heading = f"{members.get('status', '')} {members.get('title', 'Error')}".strip()
    rows = []
    for key, value in members.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append(f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(shown)}</td></tr>")
    for name in error.condition_names:
        rows.append(f"<tr><th>condition</th><td>{html.escape(name)}</td></tr>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(heading)}</title></head>"
        f"<body><h1>{html.escape(heading)}</h1><table>{''.join(rows)}</table></body></html>\n"
    )
    return page.encode("utf-8")


def read_problem(data: Mapping[str, Any], *, status: int | None = None, limits: Limits = DEFAULT_LIMITS) -> Error:
    """The :class:`~multistatus.Error` of a problem+json document another server (or this one) sent.

    (An XML problem, ``DAV:error`` or ``problem``, is read by the XML reader:
    :func:`~multistatus._xml.read_error`, then :func:`with_status`.)

    Args:
        data: the decoded JSON object.
        status: the HTTP status: the ``status`` member when the body has none.
        limits: parsing limits.

    Members this library could not carry (a name XML forbids, a ``status``
    that is not a number) are left out rather than failing the whole answer,
    and so are conditions it cannot read: the client wants the rest.
    """
    try:
        error = error_from_dict({"conditions": data["conditions"]} if "conditions" in data else {}, limits=limits)
    except ParseError:
        error = Error()  # conditions this library cannot read: the members still say what happened
    members = {k: v for k, v in data.items() if k != "conditions"}
    return with_status(Error(error.conditions, _usable(error, members)), status)


def with_status(error: Error, status: int | None) -> Error:
    """*error* with the HTTP *status* as its ``status`` member when it has none (a ``DAV:error`` never has)."""
    if "status" in error.problem or status is None or not 400 <= status <= 599:
        return error
    return Error(error.conditions, {**thaw_json(error.problem), "status": status})


def _usable(error: Error, members: Mapping[str, Any]) -> dict[str, object]:
    usable: dict[str, object] = {}
    for key, value in members.items():
        if key == "status" and type(value) is not int:
            if not (isinstance(value, str) and value.isdecimal() and value.isascii()):
                continue
            value = int(value)
        try:
            Error(error.conditions, {key: value})
        except (ValueError, TypeError):
            continue
        usable[key] = value
    return usable
