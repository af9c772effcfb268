"""Writing the JSON form: :func:`to_json` (bytes) and :func:`to_dict` (plain dicts).

The mapping is written once, as text: ``to_json`` does not build dicts and hand
them to :mod:`json`, it writes the text directly, escaping every string with
the stdlib's own (C) string encoder, so that it costs about what ``json.dumps``
of prebuilt dicts costs (``bench/bench_json.py``).  ``to_dict`` reads that text
back with :func:`json.loads`.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from .._memo import Memo
from .._model import Element, Error, FrozenMap, JobStatus, MultiStatus, PropStat, Response, Summary
from .._model._document import document_of
from .._model._frozen import EMPTY

__all__ = ["to_dict", "to_json"]


# Encoders built once: json.dumps() with options builds a new one per call.
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False).encode
_esc = encode_basestring


def summary_dict(summary: Summary) -> dict[str, Any]:
    return {
        "total": summary.total,
        "succeeded": summary.succeeded,
        "failed": summary.failed,
        "partial": summary.partial,
        "other": summary.other,
        "byStatus": {str(code): count for code, count in summary.by_status.items()},
        "truncated": summary.truncated,
    }


def summary_text(summary: Summary) -> str:
    """The ``summary`` member's compact text."""
    return COMPACT(summary_dict(summary))


def to_dict(doc: MultiStatus) -> dict[str, Any]:
    """The JSON form of *doc* as plain dicts, lists and scalars (what ``json.loads`` returns).

    Args:
        doc: the document.

    Returns:
        A new ``dict`` that :func:`json.dumps` can serialize; mutating it does not
        affect *doc*.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201, location="/items/1")])
        >>> ms.to_dict(doc)["responses"]
        [{'href': '/items/1', 'status': 201, 'location': '/items/1'}]
    """
    doc = document_of(doc, "to_dict()")
    # One mapping, written once (as text, for speed): the dicts are read back from it.
    result: dict[str, Any] = json.loads(_text(doc))
    return result


# -- text ----------------------------------------------------------------------------
_keys: Memo[str, str] = Memo(4096)


def _key(name: str) -> str:
    """``"name":`` escaped, cached for the names that repeat (property names, members)."""
    key = _keys.get(name)
    if key is None:
        key = _keys.put(name, _esc(name) + ":")
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
    return COMPACT(value)  # floats: the stdlib's own repr


def _error_text(error: Error) -> str:
    parts = []
    if error.conditions:
        parts.append('"conditions":[' + ",".join([_ml_text(c) for c in error.conditions]) + "]")
    for key, value in error.problem.items():
        parts.append(_key(key) + _value_text(value))
    return "{" + ",".join(parts) + "}"


def error_to_dict(error: Error) -> dict[str, Any]:
    """The JSON form of *error* (``conditions`` in JsonML, then the problem members), as plain dicts.

    The same mapping as the ``error`` member of a response; problem+json bodies use it too.
    """
    result: dict[str, Any] = json.loads(_error_text(error))
    return result


def _props_text(ps: PropStat) -> str:
    """The ``"props"`` member of a propstat: an object, or a list of one-member objects when a name repeats."""
    parts = []
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
        key = keys.get(name)
        parts.append((key if key is not None else _key(name)) + v)
    if len(parts) > 1 and len({p.name for p in ps.props}) != len(parts):
        # A name repeats (a PROPPATCH answer that removes and sets it): one object per property, in order.
        return ',"props":[{' + "},{".join(parts) + "}]"
    return ',"props":{' + ",".join(parts) + "}"


def _propstat_text(ps: PropStat) -> str:
    status = ps.status
    text = f'{{"status":{status.code}'
    if status.reason is not None:
        text += ',"reason":' + _esc(status.reason)
    text += _props_text(ps)
    if ps.error is not None:
        text += ',"error":' + _error_text(ps.error)
    if ps.description is not None:
        text += ',"description":' + _esc(ps.description)
    if ps.extensions:
        text += ',"extensions":[' + ",".join([_ml_text(e) for e in ps.extensions]) + "]"
    return text + "}"


def response_text(r: Response) -> str:
    """The compact JSON text of one response (also used by the streaming writers)."""
    hrefs = r.hrefs
    text = "{" if r.id is None else '{"id":' + _esc(r.id) + ","
    text += '"href":' + _esc(hrefs[0])
    if len(hrefs) > 1:
        text += ',"additionalHrefs":[' + ",".join([_esc(h) for h in hrefs[1:]]) + "]"
    status = r.status
    if status is not None:
        text += f',"status":{status.code}'
        if status.reason is not None:
            text += ',"reason":' + _esc(status.reason)
    elif r.propstats:
        text += ',"propstats":[' + ",".join([_propstat_text(ps) for ps in r.propstats]) + "]"
    if r.location is not None:
        text += ',"location":' + _esc(r.location)
    headers = r.headers
    if headers is not EMPTY and headers:
        text += ',"headers":{' + ",".join([_key(k) + _esc(v) for k, v in headers.to_dict().items()]) + "}"
    if r.body is not None:
        text += ',"body":' + _value_text(r.body)
    if r.replayed:
        text += ',"replayed":true'
    if r.error is not None:
        text += ',"error":' + _error_text(r.error)
    if r.description is not None:
        text += ',"description":' + _esc(r.description)
    if r.extensions:
        text += ',"extensions":[' + ",".join([_ml_text(e) for e in r.extensions]) + "]"
    return text + "}"


def tail_text(
    summary: Summary,
    description: str | None = None,
    sync_token: str | None = None,
    extensions: tuple[Element, ...] = (),
    job: JobStatus | None = None,
) -> str:
    """Everything after the responses array: multistatus-level members and the summary."""
    text = "]"
    if description is not None:
        text += ',"description":' + _esc(description)
    if sync_token is not None:
        text += ',"syncToken":' + _esc(sync_token)
    if extensions:
        text += ',"extensions":[' + ",".join([_ml_text(e) for e in extensions]) + "]"
    if job is not None:
        total = "" if job.total is None else f',"total":{job.total}'
        text += f',"job":{{"state":"{job.state}","done":{job.done}{total}}}'
    return text + ',"summary":' + summary_text(summary) + "}"


HEAD = '{"responses":['


def _text(doc: MultiStatus) -> str:
    """The compact JSON text of *doc*."""
    body = ",".join([response_text(r) for r in doc.responses])
    return HEAD + body + tail_text(doc.summary, doc.description, doc.sync_token, doc.extensions, doc.job)


def to_json(doc: MultiStatus, *, indent: int | None = None) -> bytes:
    """Serialize *doc* as JSON (UTF-8 bytes), in the form of ``docs/json-format.rst``.

    Output is compact unless *indent* is given.  Non-ASCII text is written as
    UTF-8, not as ``\\u`` escapes.

    Args:
        doc: the document.
        indent: spaces per level for people to read; ``None`` for compact output.

    Returns:
        The document as UTF-8 bytes.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/dav/locked/", status=423)])
        >>> print(ms.to_json(doc).decode())
        {"responses":[{"href":"/dav/locked/","status":423}],"summary":{"total":1,"succeeded":0,"failed":1,"partial":0,"other":0,"byStatus":{"423":1},"truncated":false}}
    """
    doc = document_of(doc, "to_json()")
    text = _text(doc)
    if indent is not None:
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=indent)
    return text.encode("utf-8")
