"""Reading JSON values: strict decoding, type checks with JSON pointers, XML content in JsonML form."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from .._exceptions import LimitExceeded, ParseError
from .._limits import MAX_NESTING, Limits, depth_limit, value_depth
from .._memo import Memo
from .._model import Element, Error, Property, Status
from .._model._common import status_of
from .._model._element import carried, check_attribute_name, check_name, check_text, normalize_content
from .._model._frozen import EMPTY, FrozenMap, draft, uncarried_json_text

__all__ = ["Constant", "ValueReader", "decode", "escape_pointer", "kind_of"]

_WRAPPED_MEMBERS = frozenset({"value", "lang", "attributes"})
#: A character :func:`uncarried_json_text` refuses (a lone surrogate, U+FFFE, U+FFFF) in JSON
#: text, raw or escaped: a string that may hold one (then the decoded value is walked to say
#: where; an escaped backslash before "uffff", or an escaped surrogate pair, is only a false
#: alarm).  The escapes are found by a pattern that starts with a literal, which the regular
#: expression engine scans for fast; raw ones only in a text that is not ASCII (a flag), U+FFFE
#: and U+FFFF by ``in``, and a lone surrogate by encoding (a pattern of characters took 5x longer).
_ESCAPED_UNCARRIED = re.compile(r"\\u(?:[fF]{3}[eEfF]|[dD][89a-fA-F])")


def _maybe_uncarried(text: str, utf8: bool) -> bool:
    if _ESCAPED_UNCARRIED.search(text) is not None:
        return True
    if text.isascii():
        return False
    if "\ufffe" in text or "\uffff" in text:
        return True
    if utf8:  # (decoded from UTF-8 bytes: no lone surrogate)
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # (a lone surrogate, in text given as a str)
        return True
    return False


#: Statuses read, by (code, reason phrase or None): a listing repeats a few (bounded: see Memo).
_STATUSES: Memo[tuple[int, str | None], Status] = Memo(256)


# -- reading -----------------------------------------------------------------------
class _Duplicate(dict):  # type: ignore[type-arg]
    """What the object hook returns for an object that repeats a member name."""

    name: str = ""


class Constant:
    """What ``NaN``, ``Infinity`` and ``-Infinity`` parse to: never a valid value."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _named_twice(pairs: list[tuple[str, Any]], out: dict[str, Any]) -> _Duplicate:
    """What an object whose *pairs* name a member twice decodes to (*out*: their dict, shorter than *pairs*)."""
    seen: set[str] = set()
    for key, _ in pairs:  # pragma: no branch - a duplicate is known to exist
        if key in seen:
            dup = _Duplicate(out)
            dup.name = key
            return dup
        seen.add(key)
    raise AssertionError("unreachable")  # pragma: no cover


def decode(text: str, limits: Limits, what: str = "not JSON", *, utf8: bool = False) -> Any:
    """*text* decoded under the rule the JSON form holds any value to: no ``NaN`` or
    ``Infinity``, no number too large for a float (``1e999``), no object that names a
    member twice (RFC 8259 §4, §6), no string :func:`uncarried_json_text` refuses; errors
    say *what* and where.  *utf8*: *text* was decoded from UTF-8 bytes (so it holds no
    lone surrogate but as an escape), not given as a str.

    The hooks only note an offence; then :meth:`ValueReader.value`, where that rule
    lives, walks the value to say what and where (a JSON pointer).  A value without
    one is never walked.  (Used by :func:`~multistatus.from_json` and
    :func:`~multistatus.read_batch`.)

    Raises:
        ParseError: not JSON (with its line and column), or an offence (with its pointer).
        LimitExceeded: nested too deeply for the decoder.

    Example:
        >>> decode('{"a": [1, 2.5]}', Limits())
        {'a': [1, 2.5]}
        >>> try:
        ...     decode('{"a": [NaN]}', Limits())
        ... except ParseError as exc:
        ...     print(exc.path, "-", exc.message)
        /a/0 - a JSON number must be finite (RFC 8259 §6), not NaN
    """
    offences: list[object] = []

    def members(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):  # a member named twice: a dict subclass that says which
            out = _named_twice(items, out)
            offences.append(out)
        return out

    def constant(name: str) -> Constant:
        offences.append(name)
        return Constant(name)

    def number(digits: str) -> float:
        value = float(digits)
        if math.isinf(value):
            offences.append(value)
        return value

    try:
        decoded = json.loads(text, object_pairs_hook=members, parse_constant=constant, parse_float=number)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{what}: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:
        raise LimitExceeded("the JSON is nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer with more than 4300 digits
        raise ParseError(f"{what}: {exc}") from exc
    if offences or _maybe_uncarried(text, utf8):
        ValueReader(limits).value(decoded, "", 1)
        if offences:
            raise AssertionError("unreachable: value() refuses what the hooks note")  # pragma: no cover
    return decoded


def escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def kind_of(value: object) -> str:
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
    if isinstance(value, Constant):
        return value.text
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


class ValueReader:
    """Checks of decoded JSON values and XML content in the JsonML form, with JSON pointers for every error."""

    __slots__ = ("body_depth", "limits", "max_depth", "memo")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_depth: int = depth_limit(limits)
        #: How deep a JSON value (a body) may nest: the model's limit, or less under these limits.
        self.body_depth = min(MAX_NESTING, self.max_depth)
        #: Properties read before from equal input (see ``_reader._Reader.prop``; bounded there).
        self.memo: dict[tuple[object, object], Property] = {}

    # -- generic checks ----------------------------------------------------------
    @staticmethod
    def obj(value: object, ptr: str, what: str, allowed: frozenset[str] | None = None) -> Mapping[str, Any]:
        if value.__class__ is not dict:  # (what the decoder makes; the checks below for anything else)
            if isinstance(value, _Duplicate):
                raise ParseError(
                    f"member {value.name!r} appears twice in {what}", path=f"{ptr}/{escape_pointer(value.name)}"
                )
            if not isinstance(value, Mapping):
                raise ParseError(f"{what} must be an object, not {kind_of(value)}", path=ptr)
        if allowed is not None and not allowed.issuperset(value):
            for key in value:  # pragma: no branch - one key is unknown
                if key not in allowed:
                    raise ParseError(f"unknown member {key!r} in {what}", path=f"{ptr}/{escape_pointer(str(key))}")
        return value

    @staticmethod
    def arr(value: object, ptr: str, what: str) -> list[Any] | tuple[Any, ...]:
        if value.__class__ is not list and not isinstance(value, (list, tuple)):
            raise ParseError(f"{what} must be an array, not {kind_of(value)}", path=ptr)
        return value

    @staticmethod
    def text(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string, not {kind_of(value)}", path=ptr)
        if carried(value):  # (check_text's rule: then no error to build)
            return value
        try:  # (raises, saying why)
            return check_text(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    def member_text(self, obj: Mapping[str, Any], key: str, ptr: str, what: str) -> str:
        """The text of the member *key* of *obj* (at *ptr*), its pointer made only for an error."""
        value = obj[key]
        if isinstance(value, str) and carried(value):  # (as text() has it)
            return value
        return self.text(value, f"{ptr}/{key}", what)

    @staticmethod
    def name(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string in Clark notation, not {kind_of(value)}", path=ptr)
        try:
            return check_name(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    def opt_text(self, obj: Mapping[str, Any], key: str, ptr: str, what: str) -> str | None:
        return None if obj.get(key) is None else self.member_text(obj, key, ptr, what)

    @staticmethod
    def status(obj: Mapping[str, Any], ptr: str) -> Status:
        code = obj["status"]
        if type(code) is not int:
            raise ParseError(f"status must be an integer, not {kind_of(code)}", path=f"{ptr}/status")
        reason = obj.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise ParseError(f"reason must be a string, not {kind_of(reason)}", path=f"{ptr}/reason")
        known = _STATUSES.get((code, reason))
        if known is not None:
            return known
        try:  # (the model's rule for a status in a multistatus: 200-599)
            status = status_of(code)
        except ValueError as exc:
            raise ParseError(str(exc), path=f"{ptr}/status") from exc
        if reason is not None:
            try:
                status = Status(code, reason)
            except ValueError as exc:
                raise ParseError(str(exc), path=f"{ptr}/reason") from exc
        return _STATUSES.put((code, reason), status)

    def value(self, value: object, ptr: str, depth: int) -> Any:
        """A JSON value (body, problem member): refuses NaN, duplicates, deep nesting and
        strings no document can carry (:func:`uncarried_json_text`)."""
        if isinstance(value, str):
            why = uncarried_json_text(value)
            if why is not None:
                raise ParseError(f"a string {why}", path=ptr)
            return value
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ParseError(f"{value!r} is not a JSON number", path=ptr)
            return value
        if isinstance(value, Constant):
            raise ParseError(f"a JSON number must be finite (RFC 8259 §6), not {value.text}", path=ptr)
        if depth > self.max_depth:
            raise LimitExceeded(f"JSON values nested deeper than {self.max_depth} levels", path=ptr)
        if isinstance(value, (list, tuple)):
            return [self.value(item, f"{ptr}/{i}", depth + 1) for i, item in enumerate(value)]
        obj = self.obj(value, ptr, "a JSON value")
        out = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"object member names must be strings, not {kind_of(key)}", path=ptr)
            why = uncarried_json_text(key)
            if why is not None:
                raise ParseError(f"a member name {why}", path=f"{ptr}/{escape_pointer(key)}")
            out[key] = self.value(item, f"{ptr}/{escape_pointer(key)}", depth + 1)
        return out

    # -- DAV:error with problem members ----------------------------------------------
    def error(self, value: object, ptr: str, depth: int) -> Error:
        obj = self.obj(value, ptr, "an error")
        conditions: list[Element] = []
        problem: dict[str, Any] = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"member names must be strings, not {kind_of(key)}", path=ptr)
            where = f"{ptr}/{escape_pointer(key)}"
            if key == "conditions":
                conditions = self.elements(item, where, depth + 1, "conditions")
            else:
                problem[key] = member = self.value(item, where, 1)
                try:
                    Error(problem={key: member})
                except ValueError as exc:
                    raise ParseError(str(exc), path=where) from exc
        try:
            return Error(conditions, problem)
        except ValueError as exc:  # (a condition the model refuses: one in the problem namespace)
            raise ParseError(str(exc), path=f"{ptr}/conditions") from exc

    # -- XML content -------------------------------------------------------------
    def attributes(self, value: object, ptr: str) -> dict[str, str]:
        obj = self.obj(value, ptr, "attributes")
        out: dict[str, str] = {}
        for key, item in obj.items():
            where = f"{ptr}/{escape_pointer(str(key))}"
            if not isinstance(key, str):
                raise ParseError(f"attribute name must be a string in Clark notation, not {kind_of(key)}", path=where)
            try:
                name = check_attribute_name(key)
            except ValueError as exc:
                raise ParseError(str(exc), path=where) from exc
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
                raise ParseError(f"content must be strings and element arrays, not {kind_of(item)}", path=f"{ptr}/{i}")
        return out

    def element(self, value: object, ptr: str, depth: int) -> Element:
        items = self.arr(value, ptr, "an element")
        depth = value_depth(depth, self.max_depth)
        if depth > self.max_depth:
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


_new = object.__new__
_ElementDraft = draft(Element)
