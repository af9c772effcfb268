"""A readable ``text/html`` page of a multistatus, and the verdicts and names both human views share.

The page: a summary, the items that need attention as links to their rows (no
script: plain ``#item-N`` anchors), then one table row per response.  Rows are
marked by a text badge and a row class, not by colour alone; collections carry
a "folder" tag; hrefs are decoded for reading and linked when they are paths on
the same server; Location, Retry-After and the other per-item headers are
shown.  Every string that comes from the document is HTML-escaped (quotes too)
after :func:`~multistatus._hrefs.escape_text`, so control and bidirectional
characters (U+202E and the like) show as visible ``\\u202e`` escapes.  The page
has no script, no event handler and loads nothing: it works under the
``default-src 'none'; style-src 'unsafe-inline'`` policy :func:`reply` sends.

:func:`verdict` and :class:`Names` are also what ``multistatus inspect`` uses,
so the page, the command line and its exit status count items the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any, Literal

from .._hrefs import display_href, escape_text
from .._model import JobStatus, MultiStatus, Property, Response
from .._model._document import document_of
from .._model._grouping import error_keys

__all__ = [
    "Names",
    "is_collection",
    "item_message",
    "listings",
    "missing_properties",
    "summary_dict",
    "tally",
    "to_html",
    "verdict",
]

Verdict = Literal["succeeded", "failed", "partial", "other"]

#: Prefixes for namespaces people meet often; any other gets ns1, ns2, ...
WELL_KNOWN = {
    "DAV:": "D",
    "urn:ietf:params:xml:ns:caldav": "C",
    "urn:ietf:params:xml:ns:carddav": "CR",
    "http://calendarserver.org/ns/": "CS",
    "http://apache.org/dav/props/": "A",
    "http://owncloud.org/ns": "oc",
    "http://nextcloud.org/ns": "nc",
    "http://sabredav.org/ns": "s",
}


def missing_properties(response: Response) -> tuple[str, ...]:
    """Names of the properties a server reported as 404 Not Found in *response*'s propstats."""
    return tuple(p.name for ps in response.propstats if ps.status.code == 404 for p in ps.props)


def verdict(response: Response) -> Verdict:
    """What a person should make of *response*: ``succeeded``, ``failed``, ``partial`` or ``other``.

    :attr:`Response.outcome`, except that a 404 propstat next to a 2xx one is
    not a failure: a PROPFIND answers 404 for the properties a resource simply
    does not have.  A response whose propstats *all* failed is ``failed``; one
    with another error propstat (403, 424, 500...) is ``partial``; one with
    only an href, or a 1xx/3xx status, is ``other``.

    Example:
        >>> import multistatus as ms
        >>> verdict(ms.Response("/a", propstats=[ms.PropStat({"{DAV:}getetag": "1"}), ms.PropStat({"{x:}c": None}, 404)]))
        'succeeded'
    """
    outcome = response.outcome
    if outcome == "partial" and all(s.code == 404 for s in response.statuses if s.is_error):
        return "succeeded"
    return outcome


def tally(doc: MultiStatus) -> tuple[dict[Verdict, int], int]:
    """Responses per :func:`verdict`, and how many of the succeeded ones have properties not found."""
    kinds = [verdict(r) for r in doc.responses]
    missing = sum(1 for r, k in zip(doc.responses, kinds, strict=True) if k == "succeeded" and missing_properties(r))
    return {k: kinds.count(k) for k in _BADGES}, missing


def listings(responses: Sequence[Response], names: Names) -> dict[str, dict[str, list[Response]]]:
    """The listings ``multistatus inspect`` prints after its table, by title then label.

    Each response is in the listings its :func:`verdict` puts it in: failed and
    partial ones by error status and by error, succeeded ones with properties
    not found by property name, the others by status.  Labels are escaped.
    """
    failed, by_error, missing, other = "Failures by status", "Failures by error", "Properties not found", "Other"
    out: dict[str, dict[str, list[Response]]] = {failed: {}, by_error: {}, missing: {}, other: {}}
    for r in responses:
        kind = verdict(r)
        if kind in ("failed", "partial"):
            for code in sorted({s.code for s in r.statuses if s.is_error}):
                out[failed].setdefault(str(code), []).append(r)
            for key in error_keys(r):
                label = escape_text(names.short(key)) if key is not None else "(no error detail)"
                out[by_error].setdefault(label, []).append(r)
        elif kind == "succeeded":
            for name in dict.fromkeys(missing_properties(r)):
                out[missing].setdefault(escape_text(names.short(name)), []).append(r)
        else:
            out[other].setdefault(" ".join(str(s.code) for s in r.statuses) or "no status", []).append(r)
    out[failed] = dict(sorted(out[failed].items(), key=lambda item: int(item[0])))
    if list(out[by_error]) == ["(no error detail)"]:
        out[by_error] = {}
    elif "(no error detail)" in out[by_error]:
        out[by_error]["(no error detail)"] = out[by_error].pop("(no error detail)")
    titles = {missing: "Properties not found (404 next to 2xx: not failures)", other: "Other (no 2xx, no 4xx/5xx)"}
    return {titles.get(k, k): v for k, v in out.items() if v}


def item_message(response: Response) -> str | None:
    """The error message of *response*, else its description when it did not succeed."""
    error = response.error
    message = error.message if error is not None else None
    return message or (response.description if verdict(response) != "succeeded" else None)


def summary_dict(doc: MultiStatus, source: str, retry_after: Callable[[Response], float | None]) -> dict[str, Any]:
    """The JSON summary ``multistatus inspect --json`` prints (its keys are listed in docs/cli.rst).

    *retry_after* gives an item's delay in seconds (the client's
    :func:`~multistatus.retry_after`; passed in, since this layer does not
    depend on the client's).
    """
    counts, with_missing = tally(doc)
    items = []
    for r in doc.responses:
        item: dict[str, Any] = {"href": r.href, "hrefs": list(r.hrefs), "id": r.id, "outcome": verdict(r)}
        item["status"] = r.status.code if r.status is not None else None
        item["statuses"] = list(dict.fromkeys(s.code for s in r.statuses))
        item["error"] = [k for k in error_keys(r) if k is not None]
        item["message"], item["location"], item["retry_after"] = item_message(r), r.location, retry_after(r)
        item["collection"], item["missing_properties"] = is_collection(r), list(missing_properties(r))
        items.append(item)
    s = doc.summary
    return {
        "source": source,
        "description": doc.description,
        "sync_token": doc.sync_token,
        "job": None if doc.job is None else {"state": doc.job.state, "done": doc.job.done, "total": doc.job.total},
        "items": items,
        "counts": {"total": s.total, **counts, "with_missing_properties": with_missing},
        "by_status": {str(c): n for c, n in s.by_status.items()},
        "truncated": s.truncated,
        "exit_code": 0 if counts["succeeded"] == s.total else 1,
    }


def is_collection(response: Response) -> bool:
    """Whether *response* has a successful ``DAV:resourcetype`` holding ``DAV:collection``."""
    found = response.find("{DAV:}resourcetype")
    return (
        found is not None
        and found[1].status.is_success
        and any(child.tag == "{DAV:}collection" for child in found[0].children)
    )


class Names:
    """Short names for Clark names (``{DAV:}getetag`` -> ``D:getetag``), each namespace given a prefix once.

    Example:
        >>> names = Names()
        >>> names.short("{DAV:}getetag"), names.short("{http://example.com/ns/}color"), names.short("{}plain")
        ('D:getetag', 'ns1:color', 'plain')
        >>> names.key()
        [('D', 'DAV:'), ('ns1', 'http://example.com/ns/')]
    """

    def __init__(self) -> None:
        self._prefixes: dict[str, str] = {}

    def short(self, name: str) -> str:
        if not name.startswith("{"):
            return name
        ns, _, local = name[1:].partition("}")
        if not ns:
            return local
        prefix = self._prefixes.get(ns)
        if prefix is None:
            taken = set(self._prefixes.values())
            prefix = WELL_KNOWN.get(ns, "")
            counter = 0
            while not prefix or prefix in taken:
                counter += 1
                prefix = f"ns{counter}"
            self._prefixes[ns] = prefix
        return f"{prefix}:{local}"

    def key(self) -> list[tuple[str, str]]:
        """``(prefix, namespace)`` pairs: the well-known ones first, then the others in the order first met."""
        known = list(WELL_KNOWN)
        return sorted(
            ((p, ns) for ns, p in self._prefixes.items()), key=lambda k: known.index(k[1]) if k[1] in known else 99
        )


# -- the page ------------------------------------------------------------------------
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5em;line-height:1.4;color:#1b1b1b}"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.1em;margin:1em 0 .3em}"
    "table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.4em 0}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}"
    "thead th{background:#f2f2f2;white-space:nowrap}tbody th{font-weight:normal;min-width:9em}"
    "tbody th,td.wide{overflow-wrap:anywhere}td.wide{min-width:12em}"
    "tr.failed{background:#fdecea;border-left:6px solid #a3140b}"
    "tr.partial{background:#fff6dd;border-left:6px solid #8a6100}tr.other{background:#f1f1f7;border-left:6px solid #555}"
    ".badge{display:inline-block;white-space:nowrap;font-weight:600;padding:0 .35em;border-radius:.3em;"
    "border:1px solid currentColor}"
    ".succeeded .badge,span.succeeded{color:#175e1d}.failed .badge,.bad{color:#a3140b}.partial .badge{color:#7a5500}.other .badge{color:#444}"
    ".tag{font-size:80%;border:1px solid #777;border-radius:.3em;padding:0 .3em;margin-right:.3em;color:#444}"
    ".note{color:#555;font-size:90%}code{font-size:90%}ul.attention{padding-left:1.2em}"
    "ul.attention a{overflow-wrap:anywhere}"
    "dl.names{display:flex;flex-wrap:wrap;gap:0 1.2em;margin:.3em 0}dl.names dt{font-weight:600}"
    "dl.names dd{margin:0 0 0 .3em;overflow-wrap:anywhere}"
    "@media (max-width:700px){body{margin:.6em}thead{position:absolute;left:-9999px}"
    "table,caption,tbody,tr,th,td{display:block;width:auto;min-width:0}tr{border:1px solid #bbb;margin:0 0 .8em}"
    "th,td,td.wide{border:0;border-top:1px solid #e3e3e3;min-width:0}td:empty{display:none}"
    "td[data-label]::before{content:attr(data-label) ': ';font-weight:600;color:#555}}"
)
_BADGES: dict[Verdict, str] = {
    "succeeded": "\u2713 succeeded",
    "failed": "\u2717 failed",
    "partial": "\u25d0 partial",
    "other": "\u2022 other",
}
_WIDE = dict.fromkeys(("error", "properties", "headers"), ' class="wide"')
# A link target is offered only for a path on the same server: "/" then no
# second "/" or "\" (browsers read "//host" and "/\host" as another host), and
# nothing a URL may not hold raw.
_SAME_ORIGIN_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#\[\]]*")


def _e(text: object) -> str:
    """HTML-escaped, with control and bidi characters shown as visible escapes."""
    return escape(escape_text(str(text)), quote=True)


def _href_cell(response: Response) -> str:
    parts = []
    for href in response.hrefs:
        shown = escape(display_href(href), quote=True)
        if _SAME_ORIGIN_PATH.fullmatch(href):
            shown = f'<a href="{escape(href, quote=True)}">{shown}</a>'
        parts.append(shown)
    folder = '<span class="tag">folder</span>' if is_collection(response) else ""
    return folder + "<br>".join(parts)


def _status_cell(response: Response) -> str:
    out = []
    for status in response.statuses:
        css = "succeeded" if status.is_success else "bad" if status.is_error else "other"
        out.append(f'<span class="{css}">{_e(status.code)} {_e(status.phrase)}</span>')
    return "<br>".join(out)


def _value(prop: Property, names: Names) -> str:
    if prop.children:  # DAV:resourcetype, DAV:supportedlock...: show the element names, not blank
        return " = " + ", ".join(f"<code>{_e(names.short(c.tag))}</code>" for c in prop.children)
    return f" = {_e(prop.text)}" if prop.text else ""


def _props_cell(response: Response, names: Names) -> str:
    lines = []
    for ps in response.propstats:
        label = (
            "" if ps.status.is_success else f'<span class="bad">{_e(ps.status.code)} {_e(ps.status.phrase)}:</span> '
        )
        for prop in ps.props:
            value = _value(prop, names) if ps.status.is_success else ""
            lines.append(f'{label}<code title="{_e(prop.name)}">{_e(names.short(prop.name))}</code>{value}')
    return "<br>".join(lines)


def _error_cell(response: Response, names: Names) -> str:
    error = response.error
    parts = []
    if error is not None:
        if error.code:
            parts.append(f"<code>{_e(error.code)}</code>")
        parts.extend(f'<code title="{_e(c)}">{_e(names.short(c))}</code>' for c in error.condition_names)
    message = (error.message if error is not None else None) or response.description
    if message:
        parts.append(_e(message))
    return " ".join(parts)


def _headers_cell(response: Response) -> str:
    lines = []
    if response.location:
        lines.append(f"<b>Location</b>: {_e(display_href(response.location))}")
    for name, value in response.headers.items():
        label = "Retry-After" if name.lower() == "retry-after" else _e(name)
        lines.append(f"<b>{label}</b>: {_e(value)}")
    return "<br>".join(lines)


def _result_cell(response: Response, kind: Verdict) -> str:
    cell = f'<span class="badge">{_BADGES[kind]}</span>'
    missing = len(missing_properties(response))
    if kind == "succeeded" and missing:
        cell += f' <span class="note">{missing} propert{"y" if missing == 1 else "ies"} not found</span>'
    return cell


def _label(response: Response) -> str:
    href = _e(display_href(response.href))
    return f"item {_e(response.id)} ({href})" if response.id is not None else href


def job_line(job: JobStatus) -> str:
    """One line on a job's progress: ``running: 500 of 2000 items done (25%)``."""
    of = "" if job.total is None else f" of {job.total}"
    percent = "" if job.percent is None else f" ({job.percent:.0f}%)"
    return f"{job.state}: {job.done}{of} items done{percent}"


def _job_html(job: JobStatus) -> str:
    """A job monitor's state and a progress bar (a bar without a value while the total is not known)."""
    value = "" if job.total is None else f' max="{job.total}" value="{job.done}"'
    fallback = "" if job.percent is None else f"{job.percent:.0f}%"
    return f'<p class="job job-{job.state}"><label>Job {_e(job_line(job))} <progress{value}>{fallback}</progress></label></p>'


def to_html(doc: MultiStatus, *, title: str = "Multi-Status") -> bytes:
    """Render *doc* as a small HTML page (UTF-8): a summary, links to the failures, a table of items.

    Everything taken from the document (hrefs, ids, messages, property values)
    is HTML-escaped, so hostile item data cannot inject markup.

    Args:
        doc: the document.
        title: the page title (escaped too).

    Returns:
        The page as UTF-8 bytes.

    Example:
        >>> import multistatus as ms
        >>> page = ms.to_html(ms.MultiStatus([ms.Response("/items/<b>", status=404)]))
        >>> b"/items/&lt;b&gt;" in page, b"<b>" in page, b'class="failed"' in page
        (True, False, True)
    """
    doc = document_of(doc, "to_html()")
    names = Names()
    kinds = [verdict(r) for r in doc.responses]
    count, missing = tally(doc)
    with_id = any(r.id is not None for r in doc.responses)
    with_headers = any(r.location or r.headers for r in doc.responses)
    cols = ["#", "href", "result", "status", *(["id"] if with_id else []), "error", "properties"]
    cols += ["headers"] if with_headers else []
    rows = []
    for index, (r, kind) in enumerate(zip(doc.responses, kinds, strict=True), 1):
        cells = {
            "result": _result_cell(r, kind),
            "status": _status_cell(r),
            "id": _e(r.id or ""),
            "error": _error_cell(r, names),
            "properties": _props_cell(r, names),
            "headers": _headers_cell(r),
        }
        tds = "".join(f'<td data-label="{c}"{_WIDE.get(c, "")}>{cells[c]}</td>' for c in cols[2:])
        rows.append(
            f'<tr id="item-{index}" class="{kind}"><td data-label="#">{index}</td>'
            f'<th scope="row">{_href_cell(r)}</th>{tds}</tr>'
        )
    s = doc.summary
    by_status = ", ".join(f"{code}: {n}" for code, n in s.by_status.items())
    summary = (
        f"{s.total} items: {count['succeeded']} succeeded"
        + (f" ({missing} with properties not found)" if missing else "")
        + f", {count['failed']} failed, {count['partial']} partial, {count['other']} other"
        + (f" ({_e(by_status)})" if by_status else "")
        + (". The server left results out (507)." if s.truncated else ".")
    )
    parts = [
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_STYLE}</style></head><body>'
        f"<h1>{_e(title)}</h1>"
    ]
    if doc.description:
        parts.append(f"<p>{_e(doc.description)}</p>")
    if doc.job is not None:
        parts.append(_job_html(doc.job))
    parts.append(f'<p class="summary">{summary}</p>')
    attention = [(i, r, k) for i, (r, k) in enumerate(zip(doc.responses, kinds, strict=True), 1) if k != "succeeded"]
    attention.sort(key=lambda item: ("failed", "partial", "other").index(item[2]))
    if attention:
        parts.append(
            f'<nav aria-labelledby="attention"><h2 id="attention">Needs attention ({len(attention)})</h2>'
            '<ul class="attention">'
        )
        for i, r, k in attention:
            codes = " ".join(dict.fromkeys(str(st.code) for st in r.statuses if not st.is_success)) or "no status"
            parts.append(f'<li class="{k}"><a href="#item-{i}">{_BADGES[k]}: {_e(codes)} {_label(r)}</a></li>')
        parts.append("</ul></nav>")
    head = "".join(f'<th scope="col">{c}</th>' for c in cols)
    rows_html = "".join(rows)
    caption = f"{s.total} responses, one row each; failed and partial rows are marked \u2717 and \u25d0"
    key = names.key()
    if key:
        terms = "".join(f"<dt>{_e(p)}:</dt><dd>{_e(ns)}</dd>" for p, ns in key)
        parts.append(f'<h2>Names</h2><dl class="names">{terms}</dl>')
    parts.append(f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>")
    if doc.sync_token:
        parts.append(f"<p>sync-token: <code>{_e(doc.sync_token)}</code></p>")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")
