"""Writing the JSON form: :func:`to_dict` (plain dicts) and :func:`to_json` (bytes).

``to_json`` does not build dicts and hand them to :mod:`json`: it writes the
text directly, escaping every string with the stdlib's own (C) string encoder,
so that it costs about what ``json.dumps`` of prebuilt dicts costs
(``bench/bench_json.py``).  The tests check that both paths agree byte for byte
with ``json.dumps(to_dict(doc), ensure_ascii=False, separators=(",", ":"))``.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from ._element import Element
from ._frozen import EMPTY, FrozenMap, thaw_json
from ._model import Error, MultiStatus, PropStat, Response, Summary

__all__ = ["to_dict", "to_json"]

_TRUNCATED = "{DAV:}number-of-matches-within-limits"


# Encoders built once: json.dumps() with options builds a new one per call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False).encode
_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False, allow_nan=False).encode
_esc = encode_basestring


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "total": summary.total,
        "succeeded": summary.succeeded,
        "failed": summary.failed,
        "partial": summary.partial,
        "other": summary.other,
        "byStatus": {str(code): count for code, count in summary.by_status.items()},
        "truncated": summary.truncated,
    }


def _duplicate(ps: PropStat) -> ValueError:
    seen: set[str] = set()
    for name in ps.names:  # pragma: no branch - a duplicate is known to exist
        if name in seen:
            break
        seen.add(name)
    return ValueError(f"property {name} appears twice in one propstat; the JSON form keys properties by name")


def _reserved() -> ValueError:
    return ValueError("a problem member called 'conditions' cannot be written as JSON: the name is reserved")


# -- plain dicts ---------------------------------------------------------------------
def _attrs(attributes: FrozenMap[str, str]) -> dict[str, str]:
    # Unqualified attributes are written bare ("name", not "{}name"): see docs/json-format.rst.
    return {(k[2:] if k[1] == "}" else k): v for k, v in attributes.items()}


def _jsonml(el: Element) -> list[Any]:
    out: list[Any] = [el.tag]
    if el.attributes:
        out.append(_attrs(el.attributes))
    for child in el.children:
        out.append(child if child.__class__ is str else _jsonml(child))  # type: ignore[arg-type]
    return out


def _error(error: Error) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if error.conditions:
        out["conditions"] = [_jsonml(c) for c in error.conditions]
    for key, value in error.problem.items():
        if key == "conditions":
            raise _reserved()
        out[key] = thaw_json(value)
    return out


def _propstat(ps: PropStat) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for p in ps.props:
        value: Any = p.value
        if value is not None and value.__class__ is not str:
            value = [c if c.__class__ is str else _jsonml(c) for c in value]
        if p.lang is not None or p.attributes:
            wrapped: dict[str, Any] = {"value": value}
            if p.lang is not None:
                wrapped["lang"] = p.lang
            if p.attributes:
                wrapped["attributes"] = _attrs(p.attributes)
            value = wrapped
        props[p.name] = value
    if len(props) != len(ps.props):
        raise _duplicate(ps)
    status = ps.status
    out: dict[str, Any] = {"status": status.code}
    if status.reason is not None:
        out["reason"] = status.reason
    out["props"] = props
    if ps.error is not None:
        out["error"] = _error(ps.error)
    if ps.description is not None:
        out["description"] = ps.description
    if ps.extensions:
        out["extensions"] = [_jsonml(e) for e in ps.extensions]
    return out


def _response(r: Response) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if r.id is not None:
        d["id"] = r.id
    hrefs = r.hrefs
    d["href"] = hrefs[0]
    if len(hrefs) > 1:
        d["additionalHrefs"] = list(hrefs[1:])
    status = r.status
    if status is not None:
        d["status"] = status.code
        if status.reason is not None:
            d["reason"] = status.reason
    if r.propstats:
        d["propstats"] = [_propstat(ps) for ps in r.propstats]
    if r.location is not None:
        d["location"] = r.location
    if r.headers:
        d["headers"] = r.headers.to_dict()
    if r.body is not None:
        d["body"] = thaw_json(r.body)
    if r.error is not None:
        d["error"] = _error(r.error)
    if r.description is not None:
        d["description"] = r.description
    if r.extensions:
        d["extensions"] = [_jsonml(e) for e in r.extensions]
    return d


def to_dict(doc: MultiStatus) -> dict[str, Any]:
    """The JSON form of *doc* as plain dicts, lists and scalars (what ``json.loads`` returns).

    Args:
        doc: the document.

    Returns:
        A new ``dict`` that :func:`json.dumps` can serialize; mutating it does not
        affect *doc*.

    Raises:
        ValueError: *doc* cannot be written as JSON: one propstat names the same
            property twice, or a problem member is called ``conditions``.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201, location="/items/1")])
        >>> ms.to_dict(doc)["responses"]
        [{'href': '/items/1', 'status': 201, 'location': '/items/1'}]
    """
    if not isinstance(doc, MultiStatus):
        raise TypeError(f"to_dict() takes a MultiStatus, not {type(doc).__name__}")
    out: dict[str, Any] = {"responses": [_response(r) for r in doc.responses]}
    if doc.description is not None:
        out["description"] = doc.description
    if doc.sync_token is not None:
        out["syncToken"] = doc.sync_token
    if doc.extensions:
        out["extensions"] = [_jsonml(e) for e in doc.extensions]
    out["summary"] = _summary(doc.summary)
    return out


# -- text ----------------------------------------------------------------------------
_keys: dict[str, str] = {}


def _key(name: str) -> str:
    """``"name":`` escaped, cached for the names that repeat (property names, members)."""
    key = _keys.get(name)
    if key is None:
        key = _esc(name) + ":"
        if len(_keys) < 4096:
            _keys[name] = key
    return key


def _attrs_text(attributes: FrozenMap[str, str]) -> str:
    return "{" + ",".join([_key(k[2:] if k[1] == "}" else k) + _esc(v) for k, v in attributes.to_dict().items()]) + "}"


def _ml_text(el: Element) -> str:
    parts = [_esc(el.tag)]
    if el.attributes:
        parts.append(_attrs_text(el.attributes))
    for c in el.children:
        parts.append(_esc(c) if c.__class__ is str else _ml_text(c))  # type: ignore[arg-type]
    return "[" + ",".join(parts) + "]"


def _value_text(value: Any) -> str:
    """A frozen JSON value as text; what the stdlib would write, without its per-call set-up."""
    cls = value.__class__
    if cls is str:
        return _esc(value)
    if cls is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if cls is FrozenMap:
        return "{" + ",".join([_esc(k) + ":" + _value_text(v) for k, v in value.to_dict().items()]) + "}"
    if cls is tuple:
        return "[" + ",".join([_value_text(v) for v in value]) + "]"
    return _COMPACT(value)  # floats: the stdlib's own repr


def _error_text(error: Error) -> str:
    parts = []
    if error.conditions:
        parts.append('"conditions":[' + ",".join([_ml_text(c) for c in error.conditions]) + "]")
    for key, value in error.problem.items():
        if key == "conditions":
            raise _reserved()
        parts.append(_key(key) + _value_text(value))
    return "{" + ",".join(parts) + "}"


def _propstat_text(ps: PropStat) -> str:
    parts = []
    names = set()
    keys = _keys
    for p in ps.props:
        value = p.value
        if value.__class__ is str:
            v = _esc(value)
        elif value is None:
            v = "null"
        else:
            v = "[" + ",".join([_esc(c) if c.__class__ is str else _ml_text(c) for c in value]) + "]"  # type: ignore[arg-type]
        attributes = p.attributes
        if p.lang is not None or (attributes is not EMPTY and attributes):
            v = '{"value":' + v
            if p.lang is not None:
                v += ',"lang":' + _esc(p.lang)
            if attributes:
                v += ',"attributes":' + _attrs_text(attributes)
            v += "}"
        name = p.name
        names.add(name)
        key = keys.get(name)
        parts.append((key if key is not None else _key(name)) + v)
    if len(names) != len(parts):
        raise _duplicate(ps)
    status = ps.status
    text = f'{{"status":{status.code}'
    if status.reason is not None:
        text += ',"reason":' + _esc(status.reason)
    text += ',"props":{' + ",".join(parts) + "}"
    if ps.error is not None:
        text += ',"error":' + _error_text(ps.error)
    if ps.description is not None:
        text += ',"description":' + _esc(ps.description)
    if ps.extensions:
        text += ',"extensions":[' + ",".join([_ml_text(e) for e in ps.extensions]) + "]"
    return text + "}"


def _text(doc: MultiStatus) -> str:
    """The compact JSON text of *doc*; the summary is counted on the way (as :meth:`Summary.of`)."""
    chunks: list[str] = []
    append = chunks.append
    by_status: dict[int, int] = {}
    outcomes = {"succeeded": 0, "failed": 0, "partial": 0, "other": 0}
    truncated = False
    for r in doc.responses:
        hrefs = r.hrefs
        text = "{" if r.id is None else '{"id":' + _esc(r.id) + ","
        text += '"href":' + _esc(hrefs[0])
        if len(hrefs) > 1:
            text += ',"additionalHrefs":[' + ",".join([_esc(h) for h in hrefs[1:]]) + "]"
        status = r.status
        if status is not None:
            code = status.code
            text += f',"status":{code}'
            if status.reason is not None:
                text += ',"reason":' + _esc(status.reason)
            by_status[code] = by_status.get(code, 0) + 1
            # Response.outcome and Summary.truncated for the status form, inlined for speed.
            if code < 300:
                outcomes["succeeded"] += 1
            elif code >= 400:
                outcomes["failed"] += 1
                if code == 507 and r.error is not None and _TRUNCATED in r.error.condition_names:
                    truncated = True
            else:
                outcomes["other"] += 1
        else:
            # Response.outcome, inlined (the tests hold both to Summary.of): no
            # statuses at all (an href-only response) or a 1xx/3xx one is "other".
            ok = bad = odd = False
            if r.propstats:
                text += ',"propstats":[' + ",".join([_propstat_text(ps) for ps in r.propstats]) + "]"
                for ps in r.propstats:
                    code = ps.status.code
                    by_status[code] = by_status.get(code, 0) + 1
                    if code < 300:
                        ok = True
                    elif code >= 400:
                        bad = True
                    else:
                        odd = True
            if odd or not (ok or bad):
                outcomes["other"] += 1
            elif ok and bad:
                outcomes["partial"] += 1
            else:
                outcomes["succeeded" if ok else "failed"] += 1
        if r.location is not None:
            text += ',"location":' + _esc(r.location)
        headers = r.headers
        if headers is not EMPTY and headers:
            text += ',"headers":{' + ",".join([_key(k) + _esc(v) for k, v in headers.to_dict().items()]) + "}"
        if r.body is not None:
            text += ',"body":' + _value_text(r.body)
        if r.error is not None:
            text += ',"error":' + _error_text(r.error)
        if r.description is not None:
            text += ',"description":' + _esc(r.description)
        if r.extensions:
            text += ',"extensions":[' + ",".join([_ml_text(e) for e in r.extensions]) + "]"
        append(text + "}")
    text = '{"responses":[' + ",".join(chunks) + "]"
    if doc.description is not None:
        text += ',"description":' + _esc(doc.description)
    if doc.sync_token is not None:
        text += ',"syncToken":' + _esc(doc.sync_token)
    if doc.extensions:
        text += ',"extensions":[' + ",".join([_ml_text(e) for e in doc.extensions]) + "]"
    summary = {
        "total": len(chunks),
        **outcomes,
        "byStatus": {str(code): by_status[code] for code in sorted(by_status)},
        "truncated": truncated,
    }
    return text + ',"summary":' + _COMPACT(summary) + "}"


def to_json(doc: MultiStatus, *, indent: int | None = None) -> bytes:
    """Serialize *doc* as JSON (UTF-8 bytes), in the form of ``docs/json-format.rst``.

    Output is compact unless *indent* is given.  Non-ASCII text is written as
    UTF-8, not as ``\\u`` escapes.

    Args:
        doc: the document.
        indent: spaces per level for people to read; ``None`` for compact output.

    Returns:
        The document as UTF-8 bytes.

    Raises:
        ValueError: *doc* cannot be written as JSON (see :func:`to_dict`).

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/dav/locked/", status=423)])
        >>> print(ms.to_json(doc).decode())
        {"responses":[{"href":"/dav/locked/","status":423}],"summary":{"total":1,"succeeded":0,"failed":1,"partial":0,"other":0,"byStatus":{"423":1},"truncated":false}}
    """
    if not isinstance(doc, MultiStatus):
        raise TypeError(f"to_json() takes a MultiStatus, not {type(doc).__name__}")
    if indent is not None:
        text = json.dumps(to_dict(doc), ensure_ascii=False, indent=indent, allow_nan=False)
    else:
        text = _text(doc)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate in a JSON body or problem member (the model allows it there): escape it.
        obj = to_dict(doc)
        return (_ASCII(obj) if indent is None else json.dumps(obj, indent=indent)).encode("ascii")
