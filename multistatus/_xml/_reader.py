"""Reading multistatus XML: the element -> model walk over the hardened parser's tree.

Parsing is lenient where real servers are sloppy; each such case names the
server that does it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lxml import etree

from .._exceptions import LimitExceeded, ParseError, ValidationError
from .._limits import DEFAULT_LIMITS, Limits
from .._memo import Memo
from .._model import Error, JobStatus, MultiStatus, Property, PropStat, Response, Status
from .._model._common import status_of
from .._model._element import Element
from .._model._response import form_error
from .._names import (
    DESCRIPTION,
    ERROR,
    HREF,
    JOB,
    JSON_MARK,
    LOCATION,
    MULTISTATUS,
    PROBLEM_PREFIX,
    PROP,
    PROPSTAT,
    RESPONSE,
    REST_BODY,
    REST_HEADER,
    REST_HEADERS,
    REST_ID,
    REST_REPLAYED,
    STATUS,
    SYNC_TOKEN,
    XML_LANG,
)
from ._content import text_of
from ._job import read_job
from ._parser import Source, clark, fail, parse_tree
from ._props import PropReader

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["ERROR_ROOTS", "Reader", "build", "from_xml", "read_error"]

#: Status lines seen before (most documents repeat a handful) -> Status.
_STATUSES: Memo[str, Status] = Memo(1024)


class Reader(PropReader):
    """Turns lxml elements into model values, enforcing the limits: the envelope (document,
    response, propstat, error) over :class:`PropReader`'s property values."""

    __slots__ = ()

    # -- documents ---------------------------------------------------------
    def multistatus(self, root: LxmlElement) -> MultiStatus:
        """The document of *root* (a tree of the hardened parser: its namespaces checked)."""
        self.check_root(root)
        responses: list[Response] = []
        description = token = None
        job: JobStatus | None = None
        extensions: list[Element] = []
        max_responses = self.limits.max_responses
        lang = root.get(XML_LANG)
        for child in root:
            tag = child.tag
            if tag == RESPONSE:
                if max_responses is not None and len(responses) >= max_responses:
                    raise fail(child, f"more than {max_responses} responses", LimitExceeded)
                responses.append(self.response(child, 2, lang))
            elif tag == DESCRIPTION:
                description = text_of(child)
            elif tag == SYNC_TOKEN:
                if token is not None:
                    raise fail(child, "more than one sync-token")
                token = text_of(child).strip()
            elif tag == JOB:
                if job is not None:
                    raise fail(child, "more than one job")
                job = read_job(child)
            elif isinstance(tag, str):
                extensions.append(self.element(child, 2))
        return self.document(root, responses, description, token, extensions, job)

    def check_root(self, root: LxmlElement) -> None:
        if root.tag != MULTISTATUS:
            found = clark(str(root.tag))
            if found.lower() in ("{}html", "{http://www.w3.org/1999/xhtml}html"):
                raise ParseError(
                    f"got an HTML page, not a multistatus XML document (root {found})", line=root.sourceline
                )
            raise ParseError(f"expected a {{DAV:}}multistatus root element, found {found}", line=root.sourceline)

    def document(
        self,
        root: LxmlElement,
        responses: list[Response],
        description: str | None,
        token: str | None,
        extensions: list[Element],
        job: JobStatus | None = None,
    ) -> MultiStatus:
        try:
            return MultiStatus(
                responses, description=description, sync_token=token or None, extensions=extensions, job=job
            )
        except (ValueError, TypeError) as exc:  # pragma: no cover - parts were checked already
            raise fail(root, str(exc)) from exc

    # -- response ----------------------------------------------------------
    def response(self, el: LxmlElement, depth: int, lang: str | None = None) -> Response:
        hrefs: list[str] = []
        status: Status | None = None
        propstats: list[PropStat] = []
        error = description = location = rest_id = None
        headers: dict[str, str] | None = None
        body: object = None
        replayed = False
        extensions: list[Element] = []
        limits = self.limits
        own_lang = el.get(XML_LANG)
        if own_lang is not None:
            lang = own_lang
        for child in el:
            tag = child.tag
            if tag == HREF:
                text = (child.text or "") if not len(child) else text_of(child)
                text = text.strip()
                if not text:
                    raise fail(child, "empty href")
                hrefs.append(text)
                if limits.max_hrefs is not None and len(hrefs) > limits.max_hrefs:
                    raise fail(child, f"more than {limits.max_hrefs} hrefs in one response", LimitExceeded)
            elif tag == PROPSTAT:
                propstats.append(self.propstat(child, depth + 1, lang))
                if limits.max_propstats is not None and len(propstats) > limits.max_propstats:
                    raise fail(child, f"more than {limits.max_propstats} propstats in one response", LimitExceeded)
            elif tag == STATUS:
                if status is not None:
                    raise fail(child, "a response has more than one status")
                status = self.status(child)
            elif tag == ERROR:
                error = self.error(child, depth + 1)
            elif tag == DESCRIPTION:
                description = text_of(child)
            elif tag == LOCATION:
                location = self.location(child)
            elif tag == REST_ID:
                rest_id = text_of(child)
            elif tag == REST_HEADERS:
                headers = self.headers(child)
            elif tag == REST_BODY:
                body = self.json_text(child, "body")
            elif tag == REST_REPLAYED:
                replayed = True
            elif isinstance(tag, str):
                extensions.append(self.element(child, depth + 1))
        if not hrefs:
            raise fail(el, "a response has no href")
        # (neither form: WsgiDAV 4.4 propname, corpus wsgidav/03-propfind-d1-propname; kept as is)
        why = form_error(status is not None, len(propstats), len(hrefs))
        if why is not None:
            raise fail(el, f"a response {why}")
        if limits.max_properties is not None and propstats:
            count = 0
            for ps in propstats:
                count += len(ps.props)
            if count > limits.max_properties:
                raise fail(el, f"more than {limits.max_properties} properties in one response", LimitExceeded)
        if headers is None and body is None and not replayed:
            # Every part was checked above or comes from well-formed XML: skip re-validation.
            return Response._trusted(
                tuple(hrefs),
                status,
                tuple(propstats),
                error,
                description,
                location,
                rest_id,
                tuple(extensions),
            )
        try:
            return Response(
                hrefs=hrefs,
                status=status,
                propstats=propstats,
                error=error,
                description=description,
                location=location,
                id=rest_id,
                headers=headers,
                body=body,
                extensions=extensions,
                replayed=replayed,
            )
        except (ValueError, TypeError) as exc:
            raise fail(el, str(exc)) from exc

    def status(self, el: LxmlElement) -> Status:
        text = (el.text or "") if not len(el) else text_of(el)
        status = _STATUSES.get(text)
        if status is not None:
            return status
        try:  # (the model's rule for a status in a multistatus: a status line, 200-599)
            status = status_of(text)
        except ValueError as exc:
            raise fail(el, str(exc)) from exc
        return _STATUSES.put(text, status)

    def location(self, el: LxmlElement) -> str:
        href = el.find(HREF)
        # RFC 4918 §14.9 wants <location><href>..</href></location>; take bare text too.
        text = (text_of(href) if href is not None else text_of(el)).strip()
        if not text:
            raise fail(el, "empty location")
        return text

    def headers(self, el: LxmlElement) -> dict[str, str]:
        out: dict[str, str] = {}
        for child in el:
            tag = child.tag
            if tag == REST_HEADER:
                name = child.get("name")
                if not name:
                    raise fail(child, "a header element needs a name attribute")
                out[name] = text_of(child)
            elif isinstance(tag, str):
                raise fail(child, f"unexpected {clark(tag)} inside the headers element (only header elements)")
        return out

    def json_text(self, el: LxmlElement, what: str) -> object:
        try:
            return json.loads(text_of(el))
        except (ValueError, RecursionError) as exc:
            raise fail(el, f"{what} is not valid JSON: {exc}") from exc

    # -- propstat ----------------------------------------------------------
    def propstat(self, el: LxmlElement, depth: int, lang: str | None = None) -> PropStat:
        props: list[Property] = []
        status: Status | None = None
        error = description = None
        extensions: list[Element] = []
        own_lang = el.get(XML_LANG)
        if own_lang is not None:
            lang = own_lang
        for child in el:
            tag = child.tag
            if tag == PROP:
                prop_lang = child.get(XML_LANG)
                if prop_lang is None:
                    prop_lang = lang
                self.read_props(child, depth + 1, prop_lang, props)
            elif tag == STATUS:
                if status is not None:
                    raise fail(child, "a propstat has more than one status")
                status = self.status(child)
            elif tag == ERROR:
                error = self.error(child, depth + 1)
            elif tag == DESCRIPTION:
                description = text_of(child)
            elif isinstance(tag, str):
                extensions.append(self.element(child, depth + 1))
        if status is None:
            raise fail(el, "a propstat has no status")
        # A name may repeat: Apache 2.4 and WsgiDAV 4.4 list a property three times
        # when a PROPPATCH removes and sets it (litmus props: propremoveset); kept in
        # order, and validate() reports it.
        if not status.is_success:
            # Canonical empty value (see Property): "" only under a 2xx status.  (Not
            # changed in place: the memos share the properties.)
            for i, p in enumerate(props):
                if p.value == "":
                    props[i] = self.without_value(p)
        return PropStat._trusted(tuple(props), status, error, description, tuple(extensions))

    # -- error -------------------------------------------------------------
    def error(self, el: LxmlElement, depth: int) -> Error:
        """``DAV:error``, or an RFC 9457 ``problem`` root: members in PROBLEM_NS, conditions beside them."""
        conditions: list[Element] = []
        problem: dict[str, object] = {}
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag.startswith(PROBLEM_PREFIX):
                key = tag[len(PROBLEM_PREFIX) :]
                if child.get(JSON_MARK) == "json":
                    problem[key] = self.json_text(child, f"problem member {key!r}")
                else:
                    problem[key] = text = text_of(child)
                    if key == "status" and depth == 1 and text.strip().isdecimal() and text.isascii():
                        problem[key] = int(text)  # RFC 9457 Appendix B writes the status as digits
            else:
                conditions.append(self.element(child, depth + 1))
        try:
            return Error(conditions, problem)
        except (ValueError, TypeError) as exc:
            raise fail(el, str(exc)) from exc


def from_xml(source: Source, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> MultiStatus:
    """Parse a ``DAV:multistatus`` document.

    Lenient with what real servers send (any prefix, several prefixes for
    ``DAV:``, a default namespace, ``status`` before ``prop``, status lines such as
    ``HTTP/1.1 424 (status)`` or a bare ``200``, whitespace around hrefs, UTF-16
    and BOMs); hostile-input safe (no DTD, no entities, no network, bounded).

    Args:
        source: bytes, str, or a binary file object.
        strict: also check the RFC 4918 rules for producers and raise
            :class:`~multistatus.ValidationError` listing every violation.
        limits: size, depth and count limits.

    Returns:
        The parsed :class:`~multistatus.MultiStatus`.

    Raises:
        ParseError: the body is malformed, hostile or not a multistatus
            (message and attributes say what and where).
        LimitExceeded: a limit was hit.
        ValidationError: ``strict=True`` and the document breaks RFC rules.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.from_xml(b'''<?xml version="1.0" encoding="utf-8"?>
        ... <D:multistatus xmlns:D="DAV:">
        ...   <D:response><D:href>/dav/locked/</D:href>
        ...     <D:status>HTTP/1.1 423 Locked</D:status></D:response>
        ... </D:multistatus>''')
        >>> doc.responses[0].href, doc.responses[0].status.code
        ('/dav/locked/', 423)
    """
    root = parse_tree(source, limits)
    if strict:
        from ._validate import check_tree  # (the validator reads trees this module builds from)

        violations = check_tree(root)
        if violations:
            raise ValidationError(violations)
    return Reader(limits).multistatus(root)


#: The roots a stand-alone error document may have.
ERROR_ROOTS = (ERROR, PROBLEM_PREFIX + "problem")


def read_error(source: Source | LxmlElement, *, limits: Limits = DEFAULT_LIMITS) -> Error:
    """The :class:`~multistatus.Error` of a ``DAV:error`` or RFC 9457 ``problem`` XML document.

    *source* is a body, or the root element the hardened parser already gave.

    Raises:
        ParseError: malformed XML, or a root that is neither of the two.
    """
    root = source if isinstance(source, etree._Element) else parse_tree(source, limits)
    if root.tag not in ERROR_ROOTS:
        raise fail(root, f"expected a DAV:error or problem document, not {root.tag!r}")
    return Reader(limits).error(root, 1)


def build(root: LxmlElement, limits: Limits) -> MultiStatus:
    """The model of a parsed ``DAV:multistatus`` tree (for from_xml and the client)."""
    return Reader(limits).multistatus(root)
