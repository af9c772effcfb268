"""Reading the JSON form of multistatus: ``from_json`` (bytes or str) and ``from_dict`` (decoded JSON).

The shape is described normatively in ``docs/json-format.rst`` and by the JSON
Schema shipped as ``multistatus/_json/schema/multistatus.schema.json``.  In short::

    {"responses": [{"href": ..., "status": 423, ...} | {"href": ..., "propstats": [...]}],
     "description": ..., "syncToken": ..., "extensions": [...], "job": {...}, "summary": {...}}

Names are Clark strings, statuses integers, element content JsonML-like
(``[name, {attributes}?, ...children]``).  ``summary`` is derived: always
written, accepted and ignored on input.

Reading treats every body as hostile: duplicate member names, unknown members,
wrong types, NaN, deep nesting and oversized input all end in
:class:`~multistatus.ParseError` whose ``path`` is the JSON pointer of the
offending value.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping
from typing import Any

from .._exceptions import LimitExceeded, ParseError
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Element, Error, JobStatus, MultiStatus, Property, PropStat, Response
from .._model._common import extensions_of
from .._model._frozen import EMPTY, FrozenMap, freeze_json, owning
from .._model._response import check_header, check_texts, form_error, stripped
from ._values import _WRAPPED_MEMBERS, ValueReader, decode, escape_pointer, kind_of

__all__ = ["error_from_dict", "from_dict", "from_json"]


_DOC_MEMBERS = frozenset({"responses", "description", "syncToken", "extensions", "job", "summary"})
_JOB_MEMBERS = frozenset({"state", "done", "total"})
_PROPSTAT_MEMBERS = frozenset({"status", "reason", "props", "error", "description", "extensions"})
_RESPONSE_MEMBERS = frozenset({"id", "href", "additionalHrefs", "propstats", "location", "headers", "body", "replayed"})
_RESPONSE_MEMBERS |= _PROPSTAT_MEMBERS - {"props"}


class _Reader(ValueReader):
    """Walks decoded JSON into model values, with JSON pointers for every error."""

    __slots__ = ()

    # -- envelope (error() is in ValueReader) -------------------------------------
    def prop_value(self, value: object, ptr: str, depth: int) -> Any:
        if value is None or isinstance(value, str):
            return value if value is None else self.text(value, ptr, "a property value")
        if isinstance(value, (list, tuple)):
            return self.content(value, 0, ptr, depth)
        raise ParseError(f"a property value must be null, a string or a content array, not {kind_of(value)}", path=ptr)

    def propstat(self, value: object, ptr: str) -> PropStat:
        obj = self.obj(value, ptr, "a propstat", _PROPSTAT_MEMBERS)
        if "status" not in obj:
            raise ParseError("a propstat needs a status", path=ptr)
        status = self.status(obj, ptr)
        if "props" not in obj:
            raise ParseError("a propstat needs props", path=ptr)
        props = self.located_props(obj["props"], f"{ptr}/props", status.is_success)
        error = None if obj.get("error") is None else self.error(obj["error"], f"{ptr}/error", 4)
        description = self.opt_text(obj, "description", ptr, "description")
        extensions = self.elements(obj.get("extensions", ()), f"{ptr}/extensions", 4, "extensions")
        try:
            checked = extensions_of(extensions, "propstat")
        except ValueError as exc:
            raise ParseError(str(exc), path=f"{ptr}/extensions") from exc
        return PropStat._trusted(tuple(props), status, error, description, checked)

    def located_props(self, raw: object, props_ptr: str, success: bool) -> list[Property]:
        """The properties of *raw* (an object, or an array when a name repeats), each error with its pointer."""
        if isinstance(raw, (list, tuple)):  # a name repeats: one single-member object per property
            members: list[tuple[object, object, str]] = []
            for index, entry in enumerate(raw):
                one = self.obj(entry, f"{props_ptr}/{index}", "a property")
                if len(one) != 1:
                    raise ParseError(
                        f"each item of a props array has one member, not {len(one)}", path=f"{props_ptr}/{index}"
                    )
                ((key, item),) = one.items()
                members.append((key, item, f"{props_ptr}/{index}"))
        else:
            members = [(k, v, props_ptr) for k, v in self.obj(raw, props_ptr, "props").items()]
        return [_canonical(self.prop(key, item, parent), success) for key, item, parent in members]

    def prop(self, key: object, item: Any, parent: str) -> Property:
        """The property *key* of the object at the pointer *parent*, read once per document when a
        listing repeats it (``getcontenttype``, ``resourcetype``...: equal input, one immutable value)."""
        memo_key = _memo_key(key, item)
        if memo_key is not None:
            known: Property | None = self.memo.get(memo_key)
            if known is not None:
                return known
        prop = self.new_prop(key, item, f"{parent}/{escape_pointer(str(key))}")
        if memo_key is not None and len(self.memo) < MEMO_ENTRIES:
            self.memo[memo_key] = prop
        return prop

    def new_prop(self, key: object, item: Any, where: str) -> Property:
        name = self.name(key, where, "property name")
        lang = None
        attributes = None
        if isinstance(item, (dict, Mapping)):  # (dict first: no ABC check for what json.loads made)
            wrapped = self.obj(item, where, "a property value", _WRAPPED_MEMBERS)
            if "value" not in wrapped:
                raise ParseError("a wrapped property value needs a 'value' member", path=where)
            lang = self.opt_text(wrapped, "lang", where, "lang")
            if "attributes" in wrapped:
                attributes = self.attributes(wrapped["attributes"], f"{where}/attributes")
            item = self.prop_value(wrapped["value"], f"{where}/value", 5)
        else:
            item = self.prop_value(item, where, 5)
        try:
            return Property(name, item, lang=lang, attributes=attributes)
        except (ValueError, TypeError) as exc:
            raise ParseError(str(exc), path=where) from exc

    def response(self, value: object, ptr: str) -> Response:
        """The response *value* at *ptr*, every part checked here by the model's own checks, then built once."""
        obj = self.obj(value, ptr, "a response", _RESPONSE_MEMBERS)
        limits = self.limits
        if "href" not in obj:
            raise ParseError("a response needs an href", path=ptr)
        href, description, location, rest_id = obj["href"], obj.get("description"), obj.get("location"), obj.get("id")
        try:  # (the model's one scan of a response's texts; when it refuses one, say which and where)
            check_texts((href,), description, rest_id, location)
        except (ValueError, TypeError):
            for key in ("href", "description", "location", "id"):  # pragma: no branch - one is refused
                if obj.get(key) is not None or key == "href":
                    self.text(obj[key], f"{ptr}/{key}", key)
        try:
            hrefs = [stripped(href, "an href")]
        except ValueError as exc:
            raise ParseError(str(exc), path=f"{ptr}/href") from exc
        if "additionalHrefs" in obj:
            where = f"{ptr}/additionalHrefs"
            more = self.arr(obj["additionalHrefs"], where, "additionalHrefs")
            if limits.max_hrefs is not None and len(more) >= limits.max_hrefs:
                raise LimitExceeded(f"more than {limits.max_hrefs} hrefs in one response", path=where)
            hrefs += [self.href(self.text(h, f"{where}/{i}", "href"), f"{where}/{i}") for i, h in enumerate(more)]
        status = None
        propstats: list[PropStat] = []
        if "status" in obj:
            if "propstats" in obj:  # (the JSON form's rule, stricter than the model's: not even an empty array)
                raise ParseError("a response has both status and propstats; RFC 4918 §14.24 allows one form", path=ptr)
            status = self.status(obj, ptr)
        elif "reason" in obj:
            raise ParseError("reason without a status", path=f"{ptr}/reason")
        elif "propstats" in obj:
            where = f"{ptr}/propstats"
            items = self.arr(obj["propstats"], where, "propstats")
            if limits.max_propstats is not None and len(items) > limits.max_propstats:
                raise LimitExceeded(f"more than {limits.max_propstats} propstats in one response", path=where)
            propstats = [self.propstat(item, f"{where}/{i}") for i, item in enumerate(items)]
            if limits.max_properties is not None and sum([len(ps.props) for ps in propstats]) > limits.max_properties:
                raise LimitExceeded(f"more than {limits.max_properties} properties in one response", path=where)
            why = form_error(False, len(propstats), len(hrefs))
            if why is not None:
                raise ParseError(f"a response {why}", path=f"{ptr}/additionalHrefs")
        headers = self.headers(obj["headers"], ptr) if "headers" in obj else EMPTY
        body = obj.get("body")
        if body is not None:
            try:  # (one walk, the model's; when it refuses, the reader's walk says where, else the message stands)
                body = freeze_json(body, "body", carried=True, limit=self.body_depth)
            except (ValueError, TypeError) as exc:
                self.value(body, f"{ptr}/body", 1)
                raise ParseError(str(exc), path=ptr) from exc
        error = None if obj.get("error") is None else self.error(obj["error"], f"{ptr}/error", 3)
        if location is not None:
            try:
                location = stripped(location, "location")
            except ValueError as exc:
                raise ParseError(str(exc), path=f"{ptr}/location") from exc
        extensions: tuple[Element, ...] = ()
        if "extensions" in obj:
            elements = self.elements(obj["extensions"], f"{ptr}/extensions", 3, "extensions")
            try:
                extensions = extensions_of(elements, "response")
            except ValueError as exc:
                raise ParseError(str(exc), path=f"{ptr}/extensions") from exc
        replayed = obj.get("replayed", False)
        if replayed is not True and replayed is not False:
            raise ParseError(f"replayed must be true or false, not {kind_of(replayed)}", path=f"{ptr}/replayed")
        return Response._trusted(
            tuple(hrefs), status, tuple(propstats), error, description, location, rest_id, extensions,
            headers, body, replayed,
        )  # fmt: skip

    @staticmethod
    def href(text: str, ptr: str) -> str:
        """An href at *ptr* as the model keeps it (:func:`stripped`)."""
        try:
            return stripped(text, "an href")
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    def headers(self, value: object, ptr: str) -> FrozenMap[str, str]:
        """The per-item header fields of the response at *ptr*, by the model's rule (:func:`check_header`)."""
        where = f"{ptr}/headers"
        headers: dict[str, str] = {}
        for key, item in self.obj(value, where, "headers").items():
            at = f"{where}/{escape_pointer(str(key))}"
            if not isinstance(item, str):
                raise ParseError(f"header {key!r} must be a string, not {kind_of(item)}", path=at)
            try:
                headers[check_header(key, item, headers)] = item
            except (ValueError, TypeError) as exc:
                raise ParseError(str(exc), path=at) from exc
        return owning(headers) if headers else EMPTY

    def document(self, value: object) -> MultiStatus:
        """The document *value*."""
        obj = self.obj(value, "", "the document", _DOC_MEMBERS)
        if "responses" not in obj:
            raise ParseError("the document has no 'responses' member", path="")
        items = self.arr(obj["responses"], "/responses", "responses")
        max_responses = self.limits.max_responses
        if max_responses is not None and len(items) > max_responses:
            raise LimitExceeded(f"more than {max_responses} responses", path="/responses")
        responses = [self.response(item, f"/responses/{i}") for i, item in enumerate(items)]
        if "summary" in obj:  # derived: accepted, never trusted
            self.obj(obj["summary"], "/summary", "summary")
        token = self.opt_text(obj, "syncToken", "", "syncToken")
        description = self.opt_text(obj, "description", "", "description")
        extensions = self.elements(obj.get("extensions", ()), "/extensions", 2, "extensions")
        job = None if obj.get("job") is None else self.job(obj["job"])
        try:
            return MultiStatus(responses, description=description, sync_token=token, extensions=extensions, job=job)
        except ValueError as exc:  # an extension named like a part of the multistatus
            raise ParseError(str(exc), path="/extensions") from exc

    def job(self, value: object) -> JobStatus:
        """The ``job`` member of a job's monitor."""
        obj = self.obj(value, "/job", "a job", _JOB_MEMBERS)
        state = obj.get("state")
        if not isinstance(state, str):
            raise ParseError(f"a job's state is a string, not {kind_of(state)}", path="/job/state")
        counts = []
        for name in ("done", "total"):
            count = obj.get(name, 0 if name == "done" else None)
            if count is not None and (type(count) is not int or count < 0):
                shown = count if type(count) is int else kind_of(count)
                raise ParseError(
                    f"a job's {name} is a count (an integer of at least 0), not {shown}", path=f"/job/{name}"
                )
            counts.append(count)
        try:
            return JobStatus(state, *counts)  # type: ignore[arg-type]  # (the state is checked there)
        except ValueError as exc:
            raise ParseError(str(exc), path="/job") from exc


#: Properties one reader remembers (per document), and the longest input it remembers one by.
MEMO_ENTRIES = 4096
MEMO_LENGTH = 1024


def _memo_key(key: object, item: object) -> tuple[object, object] | None:
    """What a property is remembered by: its name and its value as decoded (``marshal`` tells
    every JSON type apart: ``true`` from ``1``, ``1`` from ``1.0``); ``None``: not remembered."""
    if item is None or item.__class__ is str:
        return (key, item) if item is None or len(item) <= MEMO_LENGTH else None
    if item.__class__ is list:
        try:
            raw = marshal.dumps(item)
        except ValueError:  # (something the decoder does not make: a Constant for NaN)
            return None
        return (key, raw) if len(raw) <= MEMO_LENGTH else None
    return None


def _canonical(prop: Property, success: bool) -> Property:
    """The empty value as PropStat stores it: ``""`` under a 2xx status, ``None`` otherwise."""
    if success and prop.value is None:
        return Property._trusted(prop.name, "", prop.lang, prop.attributes)
    if not success and prop.value == "":
        return Property._trusted(prop.name, None, prop.lang, prop.attributes)
    return prop


def from_dict(obj: Mapping[str, Any], *, limits: Limits = DEFAULT_LIMITS) -> MultiStatus:
    """Build a document from already decoded JSON (dicts, lists, scalars).

    Checks exactly what :func:`from_json` checks, except duplicate member names
    (a ``dict`` cannot hold them).

    Args:
        obj: the decoded JSON object.
        limits: depth and count limits.

    Returns:
        The :class:`~multistatus.MultiStatus`.

    Raises:
        ParseError: the object is not in the JSON form; ``path`` is the JSON
            pointer of the offending value.
        LimitExceeded: a limit was hit.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.from_dict({"responses": [{"href": "/items/3", "status": 429,
        ...                                    "headers": {"Retry-After": "30"}}]})
        >>> doc.responses[0].headers
        {'retry-after': '30'}
    """
    return _Reader(limits).document(obj)  # (no RecursionError: every level is counted, see MAX_NESTING)


def error_from_dict(obj: Mapping[str, Any], *, limits: Limits = DEFAULT_LIMITS) -> Error:
    """An :class:`~multistatus.Error` from its JSON form (what :func:`error_to_dict` writes).

    Raises:
        ParseError: the object is not in the JSON form of an error.
    """
    return _Reader(limits).error(obj, "", 1)


def from_json(data: bytes | bytearray | memoryview | str, *, limits: Limits = DEFAULT_LIMITS) -> MultiStatus:
    """Parse the JSON form of a multistatus document.

    The input is hostile until proven otherwise: it must be UTF-8 (a BOM is
    tolerated) within ``limits.max_bytes``; duplicate member names, unknown
    members, ``NaN``, wrong types and deep nesting are refused.  ``summary`` is
    accepted and ignored: it is recomputed from the responses.

    Args:
        data: the JSON text, as bytes or str.
        limits: size, depth and count limits.

    Returns:
        The :class:`~multistatus.MultiStatus`.

    Raises:
        ParseError: not JSON, or not in the JSON form; ``path`` is the JSON
            pointer of the offending value, e.g. ``/responses/2/status``.
        LimitExceeded: a limit was hit.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.from_json(b'{"responses": [{"href": "/a", "status": 423}]}')
        >>> doc.responses[0].status
        Status(423)
        >>> try:
        ...     ms.from_json('{"responses": [{"href": "/a", "status": "423"}]}')
        ... except ms.ParseError as exc:
        ...     print(exc.path, "-", exc.message)
        /responses/0/status - status must be an integer, not a string
    """
    max_bytes = limits.max_bytes
    if isinstance(data, str):
        if (
            max_bytes is not None
            and len(data) * 4 > max_bytes
            and len(data.encode("utf-8", "surrogatepass")) > max_bytes
        ):
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
        text = data[1:] if data.startswith("\ufeff") else data
    elif isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if max_bytes is not None and len(raw) > max_bytes:
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(f"the body is not UTF-8: byte {exc.start} is {raw[exc.start : exc.start + 1]!r}") from exc
    else:
        raise TypeError(f"from_json() takes bytes or str, not {type(data).__name__} (use from_dict for decoded JSON)")
    if not text.strip():
        raise ParseError("the body is empty; expected a JSON multistatus document")
    return from_dict(decode(text, limits, utf8=not isinstance(data, str)), limits=limits)
