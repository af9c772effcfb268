"""The JSON form of multistatus: ``to_json``/``from_json`` and ``to_dict``/``from_dict``.

The shape is described normatively in ``docs/json-format.rst`` and by the JSON
Schema shipped as ``multistatus/schema/multistatus.schema.json``.  In short::

    {"responses": [{"href": ..., "status": 423, ...} | {"href": ..., "propstats": [...]}],
     "description": ..., "syncToken": ..., "extensions": [...], "summary": {...}}

Names are Clark strings, statuses integers, element content JsonML-like
(``[name, {attributes}?, ...children]``).  ``summary`` is derived: always
written, accepted and ignored on input.

Reading treats every body as hostile: duplicate member names, unknown members,
wrong types, NaN, deep nesting and oversized input all end in
:class:`~multistatus.ParseError` whose ``path`` is the JSON pointer of the
offending value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ._element import Element, check_name, check_text, normalize_content
from ._exceptions import LimitExceeded, ParseError
from ._frozen import EMPTY, FrozenMap
from ._jsonwrite import to_dict, to_json
from ._limits import DEFAULT_LIMITS, Limits
from ._model import Error, MultiStatus, Property, PropStat, Response, _headers
from ._status import Status

__all__ = ["from_dict", "from_json", "json_schema", "to_dict", "to_json"]


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON form, as a ``dict``.

    The file ships inside the package as ``multistatus/schema/multistatus.schema.json``.

    Returns:
        A new ``dict`` on each call.

    Example:
        >>> import multistatus as ms
        >>> ms.json_schema()["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
    """
    text = resources.files(__package__).joinpath("schema/multistatus.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- reading -----------------------------------------------------------------------
class _Duplicate(dict):  # type: ignore[type-arg]
    """What the object hook returns for an object that repeats a member name."""

    name: str = ""


class _Constant:
    """What ``NaN``, ``Infinity`` and ``-Infinity`` parse to: never a valid value."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen: set[str] = set()
    for key, _ in pairs:  # pragma: no branch - a duplicate is known to exist
        if key in seen:
            dup = _Duplicate(out)
            dup.name = key
            return dup
        seen.add(key)
    raise AssertionError("unreachable")  # pragma: no cover


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, _Constant):
        return value.text
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


_DOC_MEMBERS = frozenset({"responses", "description", "syncToken", "extensions", "summary"})
_RESPONSE_MEMBERS = frozenset(
    {
        "id",
        "href",
        "additionalHrefs",
        "status",
        "reason",
        "propstats",
        "location",
        "headers",
        "body",
        "error",
        "description",
        "extensions",
    }
)
_PROPSTAT_MEMBERS = frozenset({"status", "reason", "props", "error", "description", "extensions"})
_WRAPPED_MEMBERS = frozenset({"value", "lang", "attributes"})


class _Reader:
    """Walks decoded JSON into model values, with JSON pointers for every error."""

    __slots__ = ("limits", "max_depth")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_depth = limits.max_depth

    # -- generic checks ----------------------------------------------------------
    @staticmethod
    def obj(value: object, ptr: str, what: str, allowed: frozenset[str] | None = None) -> Mapping[str, Any]:
        if isinstance(value, _Duplicate):
            raise ParseError(f"member {value.name!r} appears twice in {what}", path=f"{ptr}/{_escape(value.name)}")
        if not isinstance(value, Mapping):
            raise ParseError(f"{what} must be an object, not {_kind(value)}", path=ptr)
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    raise ParseError(f"unknown member {key!r} in {what}", path=f"{ptr}/{_escape(str(key))}")
        return value

    @staticmethod
    def arr(value: object, ptr: str, what: str) -> list[Any] | tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise ParseError(f"{what} must be an array, not {_kind(value)}", path=ptr)
        return value

    @staticmethod
    def text(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string, not {_kind(value)}", path=ptr)
        try:
            return check_text(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    @staticmethod
    def name(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string in Clark notation, not {_kind(value)}", path=ptr)
        try:
            return check_name(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    def opt_text(self, obj: Mapping[str, Any], key: str, ptr: str, what: str) -> str | None:
        value = obj.get(key)
        return None if value is None else self.text(value, f"{ptr}/{key}", what)

    @staticmethod
    def status(obj: Mapping[str, Any], ptr: str) -> Status:
        code = obj["status"]
        if type(code) is not int:
            raise ParseError(f"status must be an integer, not {_kind(code)}", path=f"{ptr}/status")
        if not 200 <= code <= 599:
            raise ParseError(f"status {code} is outside 200-599", path=f"{ptr}/status")
        reason = obj.get("reason")
        if reason is None:
            return Status.of(code)
        if not isinstance(reason, str):
            raise ParseError(f"reason must be a string, not {_kind(reason)}", path=f"{ptr}/reason")
        try:
            return Status(code, reason)
        except ValueError as exc:
            raise ParseError(str(exc), path=f"{ptr}/reason") from exc

    def value(self, value: object, ptr: str, depth: int) -> Any:
        """A JSON value (body, problem member): refuses NaN, duplicates and deep nesting."""
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ParseError(f"{value!r} is not a JSON number", path=ptr)
            return value
        if self.max_depth is not None and depth > self.max_depth:
            raise LimitExceeded(f"JSON values nested deeper than {self.max_depth} levels", path=ptr)
        if isinstance(value, (list, tuple)):
            return [self.value(item, f"{ptr}/{i}", depth + 1) for i, item in enumerate(value)]
        obj = self.obj(value, ptr, "a JSON value")
        out = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"object member names must be strings, not {_kind(key)}", path=ptr)
            out[key] = self.value(item, f"{ptr}/{_escape(key)}", depth + 1)
        return out

    # -- XML content -------------------------------------------------------------
    def attributes(self, value: object, ptr: str) -> dict[str, str]:
        obj = self.obj(value, ptr, "attributes")
        out: dict[str, str] = {}
        for key, item in obj.items():
            where = f"{ptr}/{_escape(str(key))}"
            name = self.name(key, where, "attribute name")
            if name in out:
                raise ParseError(f"attribute {name} given twice", path=where)
            out[name] = self.text(item, where, f"attribute {name}")
        return out

    def content(self, items: list[Any] | tuple[Any, ...], start: int, ptr: str, depth: int) -> list[str | Element]:
        out: list[str | Element] = []
        for i in range(start, len(items)):
            item = items[i]
            if isinstance(item, str):
                out.append(self.text(item, f"{ptr}/{i}", "text"))
            elif isinstance(item, (list, tuple)):
                out.append(self.element(item, f"{ptr}/{i}", depth))
            else:
                raise ParseError(f"content must be strings and element arrays, not {_kind(item)}", path=f"{ptr}/{i}")
        return out

    def element(self, value: object, ptr: str, depth: int) -> Element:
        items = self.arr(value, ptr, "an element")
        if self.max_depth is not None and depth > self.max_depth:
            raise LimitExceeded(f"elements nested deeper than {self.max_depth} levels", path=ptr)
        if not items:
            raise ParseError("an element array needs a name as its first item", path=ptr)
        tag = self.name(items[0], f"{ptr}/0", "element name")
        start = 1
        attributes: dict[str, str] | None = None
        if len(items) > 1 and not isinstance(items[1], (str, list, tuple)):
            attributes = self.attributes(items[1], f"{ptr}/1")
            start = 2
        children = self.content(items, start, ptr, depth + 1)
        return Element._trusted(tag, normalize_content(children, tag), FrozenMap(attributes) if attributes else EMPTY)

    def elements(self, value: object, ptr: str, depth: int, what: str) -> list[Element]:
        items = self.arr(value, ptr, what)
        return [self.element(item, f"{ptr}/{i}", depth) for i, item in enumerate(items)]

    # -- envelope ----------------------------------------------------------------
    def error(self, value: object, ptr: str, depth: int) -> Error:
        obj = self.obj(value, ptr, "an error")
        conditions: list[Element] = []
        problem: dict[str, Any] = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"member names must be strings, not {_kind(key)}", path=ptr)
            where = f"{ptr}/{_escape(key)}"
            if key == "conditions":
                conditions = self.elements(item, where, depth + 1, "conditions")
            else:
                problem[key] = member = self.value(item, where, 1)
                try:
                    Error(problem={key: member})
                except ValueError as exc:
                    raise ParseError(str(exc), path=where) from exc
        return Error(conditions, problem)

    def prop_value(self, value: object, ptr: str, depth: int) -> Any:
        if value is None or isinstance(value, str):
            return value if value is None else self.text(value, ptr, "a property value")
        if isinstance(value, (list, tuple)):
            return self.content(value, 0, ptr, depth)
        raise ParseError(f"a property value must be null, a string or a content array, not {_kind(value)}", path=ptr)

    def propstat(self, value: object, ptr: str) -> PropStat:
        obj = self.obj(value, ptr, "a propstat", _PROPSTAT_MEMBERS)
        if "status" not in obj:
            raise ParseError("a propstat needs a status", path=ptr)
        status = self.status(obj, ptr)
        if "props" not in obj:
            raise ParseError("a propstat needs props", path=ptr)
        props_ptr = f"{ptr}/props"
        props: list[Property] = []
        for key, item in self.obj(obj["props"], props_ptr, "props").items():
            where = f"{props_ptr}/{_escape(str(key))}"
            name = self.name(key, where, "property name")
            lang = None
            attributes = None
            if isinstance(item, Mapping):
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
                props.append(Property(name, item, lang=lang, attributes=attributes))
            except (ValueError, TypeError) as exc:
                raise ParseError(str(exc), path=where) from exc
        error = None if obj.get("error") is None else self.error(obj["error"], f"{ptr}/error", 4)
        description = self.opt_text(obj, "description", ptr, "description")
        extensions = self.elements(obj.get("extensions", ()), f"{ptr}/extensions", 4, "extensions")
        try:
            return PropStat(props, status, error=error, description=description, extensions=extensions)
        except (ValueError, TypeError) as exc:  # pragma: no cover - every part was checked
            raise ParseError(str(exc), path=ptr) from exc

    def response(self, value: object, ptr: str) -> Response:
        obj = self.obj(value, ptr, "a response", _RESPONSE_MEMBERS)
        limits = self.limits
        if "href" not in obj:
            raise ParseError("a response needs an href", path=ptr)
        hrefs = [self.text(obj["href"], f"{ptr}/href", "href")]
        if "additionalHrefs" in obj:
            where = f"{ptr}/additionalHrefs"
            more = self.arr(obj["additionalHrefs"], where, "additionalHrefs")
            if limits.max_hrefs is not None and len(more) >= limits.max_hrefs:
                raise LimitExceeded(f"more than {limits.max_hrefs} hrefs in one response", path=where)
            hrefs += [self.text(h, f"{where}/{i}", "href") for i, h in enumerate(more)]
        for i, href in enumerate(hrefs):
            if not href.strip():
                raise ParseError(
                    "an href cannot be empty", path=f"{ptr}/href" if i == 0 else f"{ptr}/additionalHrefs/{i - 1}"
                )
        status = None
        propstats: list[PropStat] = []
        if "status" in obj:
            if "propstats" in obj:
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
            if limits.max_properties is not None and sum(len(ps.props) for ps in propstats) > limits.max_properties:
                raise LimitExceeded(f"more than {limits.max_properties} properties in one response", path=where)
            if propstats and len(hrefs) > 1:
                raise ParseError("a response with propstats has one href", path=f"{ptr}/additionalHrefs")
        headers = None
        if "headers" in obj:
            where = f"{ptr}/headers"
            headers = {}
            for key, item in self.obj(obj["headers"], where, "headers").items():
                at = f"{where}/{_escape(str(key))}"
                if not isinstance(item, str):
                    raise ParseError(f"header {key!r} must be a string, not {_kind(item)}", path=at)
                try:
                    (name,) = _headers({key: item})
                except (ValueError, TypeError) as exc:
                    raise ParseError(str(exc), path=at) from exc
                if name in headers:
                    raise ParseError(f"header {name!r} given twice", path=at)
                headers[name] = item
        body = self.value(obj.get("body"), f"{ptr}/body", 1)
        error = None if obj.get("error") is None else self.error(obj["error"], f"{ptr}/error", 3)
        description = self.opt_text(obj, "description", ptr, "description")
        location = self.location(obj, ptr)
        rest_id = self.opt_text(obj, "id", ptr, "id")
        extensions = self.elements(obj.get("extensions", ()), f"{ptr}/extensions", 3, "extensions")
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
            )
        except (ValueError, TypeError) as exc:  # pragma: no cover - every part was checked
            raise ParseError(str(exc), path=ptr) from exc

    def location(self, obj: Mapping[str, Any], ptr: str) -> str | None:
        location = self.opt_text(obj, "location", ptr, "location")
        if location is not None and not location.strip():
            raise ParseError("location cannot be empty", path=f"{ptr}/location")
        return location

    def document(self, value: object) -> MultiStatus:
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
        return MultiStatus(
            responses,
            description=self.opt_text(obj, "description", "", "description"),
            sync_token=token,
            extensions=self.elements(obj.get("extensions", ()), "/extensions", 2, "extensions"),
        )


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
    try:
        return _Reader(limits).document(obj)
    except RecursionError as exc:
        raise LimitExceeded("the document is nested too deeply") from exc


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
    try:
        decoded = json.loads(text, object_pairs_hook=_pairs, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:
        raise LimitExceeded("the JSON is nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer with more than 4300 digits
        raise ParseError(f"not JSON: {exc}") from exc
    return from_dict(decoded, limits=limits)
