"""Grouping the responses of a document by status and by error, and raising for failures.

The methods :meth:`~multistatus.MultiStatus.group_by_status`,
:meth:`~multistatus.MultiStatus.group_by_error` and
:meth:`~multistatus.MultiStatus.raise_for_failures` use these; the CLI and the
HTML view group the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._exceptions import FailedItems
from .._hrefs import display_href
from ._response import Response

if TYPE_CHECKING:
    from ._document import MultiStatus

__all__ = ["describe_failure", "error_keys", "group_by_error", "group_by_status", "raise_for_failures"]

_MAX_LISTED = 50


def group_by_status(responses: Iterable[Response]) -> dict[int, tuple[Response, ...]]:
    """Responses keyed by status code, codes in ascending order (see :meth:`MultiStatus.group_by_status`)."""
    groups: dict[int, list[Response]] = {}
    for response in responses:
        for code in dict.fromkeys(s.code for s in response.statuses):
            groups.setdefault(code, []).append(response)
    return {code: tuple(groups[code]) for code in sorted(groups)}


def error_keys(response: Response) -> list[str | None]:
    errors = [response.error] + [ps.error for ps in response.propstats if not ps.status.is_success]
    keys: list[str | None] = []
    for error in errors:
        if not error:
            continue
        if error.code is not None:
            keys.append(error.code)
        elif error.type is not None:
            keys.append(error.type)
        keys.extend(error.condition_names)
    return list(dict.fromkeys(keys)) or [None]


def group_by_error(responses: Iterable[Response]) -> dict[str | None, tuple[Response, ...]]:
    """Failed and partial responses keyed by error (see :meth:`MultiStatus.group_by_error`)."""
    groups: dict[str | None, list[Response]] = {}
    for response in responses:
        if response.outcome in ("failed", "partial"):
            for key in error_keys(response):
                groups.setdefault(key, []).append(response)
    return {key: tuple(value) for key, value in groups.items()}


def describe_failure(response: Response) -> str:
    label = display_href(response.href)
    if response.id is not None:
        label = f"item {response.id} ({label})"
    codes = "/".join(str(c) for c in dict.fromkeys(s.code for s in response.statuses if s.is_error))
    keys = [k for k in error_keys(response) if k is not None]
    message = response.error.message if response.error is not None else None
    detail = ", ".join(keys)
    if message:
        detail = f"{detail}: {message}" if detail else message
    return f"{label} {codes}" + (f" {detail}" if detail else "")


def raise_for_failures(doc: MultiStatus, *, partial: bool = False) -> None:
    """Raise :class:`FailedItems` when some response failed (see :meth:`MultiStatus.raise_for_failures`)."""
    failures = [r for r in doc.responses if r.outcome == "failed" or (partial and r.outcome == "partial")]
    if failures:
        lines = [describe_failure(r) for r in failures[:_MAX_LISTED]]
        if len(failures) > _MAX_LISTED:
            lines.append(f"and {len(failures) - _MAX_LISTED} more")
        total = len(doc.responses)
        message = f"{len(failures)} of {total} item{'s' if total != 1 else ''} failed: " + "; ".join(lines)
        raise FailedItems(failures, doc, message)
