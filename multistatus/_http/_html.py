"""A readable ``text/html`` page of a multistatus, for people with a browser.

One table row per response (href, id, status, error code, message, and the
properties of propstat responses), then the summary.  Every string that comes
from the document is escaped, control and bidirectional characters (U+202E and
the like) as visible ``\\u202e`` escapes; the page has no script and loads nothing.
"""

from __future__ import annotations

from html import escape

from .._hrefs import escape_text
from .._model import MultiStatus, Response

__all__ = ["to_html"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    ".ok{color:#175e1d}.bad{color:#a3140b}.other{color:#6b5300}code{font-size:90%}"
)


def _e(text: object) -> str:
    """HTML-escaped, with control and bidi characters shown as visible escapes."""
    return escape(escape_text(str(text)), quote=True)


def _css(code: int) -> str:
    if 200 <= code < 300:
        return "ok"
    return "bad" if code >= 400 else "other"


def _status_cell(response: Response) -> str:
    parts = []
    for status in response.statuses:
        parts.append(f'<span class="{_css(status.code)}">{_e(status.code)} {_e(status.phrase)}</span>')
    return "<br>".join(parts)


def _props_cell(response: Response) -> str:
    lines = []
    for ps in response.propstats:
        for prop in ps.props:
            text = prop.text
            value = f" = {_e(text)}" if text else ""
            lines.append(f'<code class="{_css(ps.status.code)}">{_e(prop.name)}</code>{value}')
    return "<br>".join(lines)


def _row(index: int, response: Response) -> str:
    error = response.error
    code = error.code if error is not None else None
    message = error.message if error is not None else None
    if error is not None and error.conditions and code is None:
        code = ", ".join(error.condition_names)
    message = message or response.description or ""
    hrefs = "<br>".join(_e(h) for h in response.hrefs)
    cells = [
        str(index),
        hrefs,
        _e(response.id or ""),
        _status_cell(response),
        f"<code>{_e(code)}</code>" if code else "",
        _e(message),
        _props_cell(response),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def to_html(doc: MultiStatus, *, title: str = "Multi-Status") -> bytes:
    """Render *doc* as a small HTML page (UTF-8): a table of items and the summary.

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
        >>> b"/items/&lt;b&gt;" in page, b"<b>" in page
        (True, False)
    """
    if not isinstance(doc, MultiStatus):
        raise TypeError(f"to_html() takes a MultiStatus, not {type(doc).__name__}")
    s = doc.summary
    by_status = ", ".join(f"{code}: {count}" for code, count in s.by_status.items())
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width"><style>{_STYLE}</style></head><body>'
        f"<h1>{_e(title)}</h1>"
    )
    parts = [head]
    if doc.description:
        parts.append(f"<p>{_e(doc.description)}</p>")
    parts.append(
        f"<p>{s.total} items: {s.succeeded} succeeded, {s.failed} failed, {s.partial} partial, {s.other} other"
        + (f" ({_e(by_status)})" if by_status else "")
        + (". The server left results out." if s.truncated else ".")
        + "</p>"
    )
    parts.append(
        "<table><thead><tr><th>#</th><th>href</th><th>id</th><th>status</th><th>code</th>"
        "<th>message</th><th>properties</th></tr></thead><tbody>"
    )
    parts.extend(_row(i, r) for i, r in enumerate(doc.responses, 1))
    parts.append("</tbody></table>")
    if doc.sync_token:
        parts.append(f"<p>sync-token: <code>{_e(doc.sync_token)}</code></p>")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")
