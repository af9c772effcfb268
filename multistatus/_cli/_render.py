"""The report of ``multistatus inspect``: a table, the listings, the summary and the exit status."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from .._client import retry_after
from .._hrefs import clip_text, display_href, escape_text, text_width
from .._http._html import Names, is_collection, item_message, job_line, listings, tally
from .._model import MultiStatus, Response
from .._model._grouping import error_keys
from . import EXIT_FAILED, EXIT_OK

__all__ = ["Out", "colour_wanted", "plural", "render", "tty", "width_wanted"]


def tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colour_wanted(choice: str, stream: TextIO) -> bool:
    return choice == "always" if choice != "auto" else not os.environ.get("NO_COLOR") and tty(stream)


def width_wanted(given: int | None, stream: TextIO) -> int:
    """Columns to fit: --width, else the terminal's when writing to one, else COLUMNS, else no limit (0)."""
    if given is not None:
        return max(given, 0)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if tty(stream):
            return os.get_terminal_size(stream.fileno()).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else 0


@dataclass
class Out:
    """Where the report goes: the stream, whether to colour it, the columns to fit (0: no limit)."""

    out: TextIO
    colour: bool
    width: int

    def paint(self, text: str, code: int | str) -> str:
        if isinstance(code, int):
            code = "" if not code else "32" if code < 300 else "33" if code < 400 else "31"
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and text and code else text

    def say(self, text: str = "", code: int | str = "") -> None:
        print(self.paint(clip_text(text, self.width), code), file=self.out)


def _fit(natural: list[int], width: int) -> list[int]:
    """Column widths within *width*: the widest column after the first gives a cell, down to 8, until all fit."""
    out = list(natural)
    while width > 0 and sum(out) + 2 * (len(out) - 1) > width and max(out[1:], default=0) > 8:
        out[out.index(max(out[1:]), 1)] -= 1
    return out


def _props_cell(r: Response, names: Names) -> str:
    found = sum(len(ps.props) for ps in r.propstats if ps.status.is_success)
    parts = [f"{found} found"] if r.propstats else []
    for ps in r.propstats:
        if not ps.status.is_success and ps.props:
            parts.append(f"{ps.status.code}: " + ", ".join(escape_text(names.short(p.name)) for p in ps.props))
    return "; ".join(parts)


def _error_cell(r: Response, names: Names) -> str:
    parts = [escape_text(names.short(k)) for k in error_keys(r) if k is not None]
    parts += [escape_text(m) for m in (item_message(r),) if m]
    delay = retry_after(r)
    if delay is not None and r.status is not None and r.status.is_error:
        parts.append(f"retry after {delay:g}s")
    return " — ".join(parts)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(doc: MultiStatus, name: str, o: Out) -> int:
    responses, names = doc.responses, Names()
    with_id = any(r.id is not None for r in responses)
    rows = []
    for r in responses:
        status = " ".join(dict.fromkeys(str(s.code) for s in r.statuses)) or "-"
        href = ("[folder] " if is_collection(r) else "") + display_href(r.href)
        href += f" (+{len(r.hrefs) - 1} more)" if len(r.hrefs) > 1 else ""
        ident = (escape_text(r.id or ""),) if with_id else ()
        rows.append((status, *ident, href, _props_cell(r, names), _error_cell(r, names)))
    header = ("STATUS", *(("ID",) if with_id else ()), "HREF", "PROPERTIES", "ERROR")
    keep = [i for i in range(len(header)) if i < len(header) - 2 or any(row[i] for row in rows)]
    header, rows = tuple(header[i] for i in keep), [tuple(row[i] for i in keep) for row in rows]
    natural = [max(text_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    widths = _fit(natural, o.width)

    def line(cells: Sequence[str], code: int = 0) -> str:
        clipped = [(clip_text(c, w), w) for c, w in zip(cells, widths, strict=True)]
        padded = [c + " " * (w - text_width(c)) for c, w in clipped]
        return "  ".join([o.paint(padded[0], code), *padded[1:]]).rstrip()

    o.say(f"{escape_text(name)}: {plural(len(responses), 'response')}", "1")
    sections = listings(responses, names)  # before the key: it names the prefixes the listings use
    if names.key():
        o.say("Names: " + ", ".join(f"{escape_text(p)}: = {escape_text(ns)}" for p, ns in names.key()))
    job = ("job " + job_line(doc.job)) if doc.job is not None else None
    for label, value in (("", doc.description), ("sync-token: ", doc.sync_token), ("", job)):
        if value:
            o.say(label + escape_text(value))
    if rows:
        o.say()
        print(o.paint(line(header), "1"), file=o.out)
        for r, row in zip(responses, rows, strict=True):
            print(line(row, max((s.code for s in r.statuses), default=0)), file=o.out)
    for title, groups in sections.items():
        o.say()
        o.say(title, "1")
        label_width = max(len(label) for label in groups)
        for label, group in groups.items():
            hrefs = ", ".join(clip_text(display_href(r.href), 40) for r in group[:5])
            more = f" and {len(group) - 5} more" if len(group) > 5 else ""
            painted = o.paint(label, int(label)) if label.isdigit() else label
            text = f"  {painted}{' ' * (label_width - len(label))}  {plural(len(group), 'response')}: {hrefs}{more}"
            print(clip_text(text, o.width + len(painted) - len(label) if o.width else 0), file=o.out)

    counts, with_missing = tally(doc)
    code = EXIT_OK if counts["succeeded"] == len(responses) else EXIT_FAILED
    s = doc.summary
    parts = [
        o.paint(f"{counts['succeeded']} succeeded", 200)
        + (f" ({with_missing} with properties not found)" if with_missing else ""),
        o.paint(f"{counts['failed']} failed", 500 if counts["failed"] else 0),
        o.paint(f"{counts['partial']} partial", 300 if counts["partial"] else 0),
        f"{counts['other']} other",
    ]
    by_status = ", ".join(f"{c}×{n}" for c, n in s.by_status.items())
    print(f"\nSummary: {plural(s.total, 'response')}: {', '.join(parts)}", file=o.out)
    if by_status or s.truncated:
        o.say(
            f"Statuses: {by_status or '-'}" + ("; the server left results out (507 truncated)" if s.truncated else "")
        )
    done = f"{s.total - counts['succeeded']} of {s.total} did not succeed" if code else "every response succeeded"
    o.say(f"Exit status {code}: {done}")
    return code
