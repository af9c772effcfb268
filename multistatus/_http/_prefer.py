"""``Prefer`` (RFC 7240, RFC 8144) and ``Brief``: reading them, applying ``return=minimal``.

``Prefer: return=minimal`` and its legacy alias ``Brief: t`` drop 404
propstats and the ``body`` of batch items, and turn a fully successful ``PROPPATCH`` into 204 (see
:func:`~multistatus.choose_status`).  Nothing here imports werkzeug or touches
a request.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from .._model import MultiStatus, PropStat, Response
from .._model._frozen import EMPTY, FrozenMap

__all__ = ["Preferences", "apply_prefer", "minimal_response", "parse_prefer"]


@dataclass(frozen=True, slots=True)
class Preferences:
    """The client's ``Prefer`` (RFC 7240) and ``Brief`` preferences that matter here.

    Attributes:
        return_: ``"minimal"``, ``"representation"``, or ``None`` (not asked).
        brief: the legacy ``Brief: t`` header was sent (alias of ``return=minimal``).
        other: every other preference, name (lower case) to value (``""`` when none),
            e.g. ``respond-async`` or ``handling``; kept for the application.

    Example:
        >>> import multistatus as ms
        >>> prefs = ms.parse_prefer("return=minimal, handling=lenient")
        >>> prefs.minimal, prefs.other["handling"]
        (True, 'lenient')
        >>> ms.Preferences().minimal
        False
    """

    return_: Literal["minimal", "representation"] | None = None
    brief: bool = False
    other: FrozenMap[str, str] = EMPTY

    @property
    def minimal(self) -> bool:
        """True when the client asked for a minimal answer (``return=minimal`` or ``Brief: t``)."""
        return self.return_ == "minimal" or (self.return_ is None and self.brief)


#: The preferences of a request without ``Prefer`` and ``Brief`` (immutable, so shared).
NO_PREFERENCES = Preferences()


def _split_prefer(value: str) -> list[tuple[str, str]]:
    # preference = token [ BWS "=" BWS word ] *( OWS ";" [ OWS parameter ] ), comma separated;
    # quoted strings may contain commas and semicolons.
    prefs: list[tuple[str, str]] = []
    item: list[str] = []
    quoted = escaped = False
    for ch in [*value, ","]:
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
                continue
            elif ch == '"':
                quoted = False
                continue
            item.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            head = "".join(item).split(";", 1)[0]
            name, _, val = head.partition("=")
            if name.strip():
                prefs.append((name.strip().lower(), val.strip()))
            item = []
        else:
            item.append(ch)
    return prefs


def parse_prefer(prefer: str | None, brief: str | None = None) -> Preferences:
    """Read the ``Prefer`` and ``Brief`` request headers.

    Preference names are case-insensitive and the first occurrence of a
    preference wins (RFC 7240 §2); unknown ``return`` values are ignored.
    ``Brief: t`` counts as ``return=minimal`` unless ``Prefer`` says otherwise.
    Malformed input never raises: what cannot be read is ignored.

    Args:
        prefer: the ``Prefer`` header value (several fields joined by commas), or ``None``.
        brief: the ``Brief`` header value, or ``None``.

    Returns:
        The :class:`Preferences`.

    Example:
        >>> import multistatus as ms
        >>> ms.parse_prefer('return=minimal; foo="a,b", wait=10').other
        {'wait': '10'}
        >>> ms.parse_prefer(None, brief="t").minimal
        True
        >>> ms.parse_prefer("return=representation", brief="t").minimal
        False
    """
    if prefer is None and brief is None:
        return NO_PREFERENCES  # the usual request: nothing to read
    return_: Literal["minimal", "representation"] | None = None
    other: dict[str, str] = {}
    seen: set[str] = set()
    for name, value in _split_prefer(prefer or ""):
        if name in seen:
            continue
        seen.add(name)
        if name == "return":
            low = value.lower()
            if low == "minimal":
                return_ = "minimal"
            elif low == "representation":
                return_ = "representation"
        else:
            other[name] = value
    is_brief = brief is not None and brief.strip().lower() == "t"
    return Preferences(return_, is_brief, FrozenMap(other) if other else EMPTY)


def minimal_response(response: Response) -> Response:
    """*response* under ``return=minimal``: no 404 propstats, no ``body`` (the item's representation)."""
    if response.body is not None:
        # RFC 7240 §4.2: no representation back; status, id, location, error and headers stay.
        response = dataclasses.replace(response, body=None)
    if not response.propstats:
        return response
    kept = tuple(ps for ps in response.propstats if ps.status.code != 404)
    if len(kept) == len(response.propstats):
        return response
    if not kept:
        # A propstat response needs a propstat: an empty 200 one (RFC 8144 §2.1).
        kept = (PropStat((), 200),)
    return dataclasses.replace(response, propstats=kept)


def apply_prefer(doc: MultiStatus, prefs: Preferences, *, method: str | None = None) -> MultiStatus:
    """Apply ``return=minimal`` (or ``Brief: t``) to *doc*.

    Propstats with status 404 are dropped (RFC 8144 §2.1); a response left
    without any propstat gets an empty 200 propstat so it stays valid.  Status-form
    responses (batch items) are never dropped, but their ``body`` (the item's
    representation) is (RFC 7240 §4.2): status, id, location, error and headers stay.  A ``PROPPATCH`` document is
    returned unchanged: it becomes 204 as a whole when it fully succeeded (see
    :func:`choose_status`), otherwise every propstat matters.

    Args:
        doc: the document.
        prefs: the client's preferences.
        method: the request method.

    Returns:
        *doc* itself when nothing changes, else a new document.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/a", propstats=[
        ...     ms.PropStat({"{DAV:}getetag": '"1"'}), ms.PropStat({"{DAV:}owner": None}, 404)])])
        >>> small = ms.apply_prefer(doc, ms.parse_prefer("return=minimal"))
        >>> [ps.status.code for ps in small.responses[0].propstats]
        [200]
        >>> batch = ms.MultiStatus([ms.Response("/items/1", status=201, location="/items/1", body={"id": 1})])
        >>> item = ms.apply_prefer(batch, ms.parse_prefer("return=minimal")).responses[0]
        >>> item.body, item.location, item.status
        (None, '/items/1', Status(201))
    """
    if not prefs.minimal or (method is not None and method.upper() == "PROPPATCH"):
        return doc
    responses = tuple(minimal_response(r) for r in doc.responses)
    if all(new is old for new, old in zip(responses, doc.responses, strict=True)):
        return doc
    return dataclasses.replace(doc, responses=responses)
