"""The overall HTTP status of a multistatus answer: pluggable status policies.

A *status policy* is any callable that takes the :class:`~multistatus.MultiStatus`
about to be sent and returns the status code of the whole answer (the
:class:`StatusPolicy` protocol).  The four built-ins are :class:`Policy`
instances, named in :data:`POLICIES` and found by name with :func:`policy_of`:

``always-207``
    The default: RFC 4918 and every WebDAV client expect 207.
``200-if-all-succeeded``
    200 when every item succeeded, else 207 (naive REST clients see 200 only
    for full success).
``collapse-uniform``
    When every item has the same status S, answer S (the body still lists the
    items): a single-item batch, or a ``DELETE`` that failed completely
    (RFC 4918 §9.6.1).  Otherwise 207.
``always-200``
    For clients and gateways that cannot take 207.

Two protocol rules come before any policy (:func:`choose_status`): requests
whose multistatus reports properties (``PROPFIND``, ``PROPPATCH``, ``REPORT``,
``SEARCH``) always get 207 (RFC 4918 §9.1, §9.2), and a fully successful
``PROPPATCH`` under ``Prefer: return=minimal`` gets 204 (RFC 8144).
Nothing here imports werkzeug or touches a request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

from .._model import MultiStatus

if TYPE_CHECKING:
    from ._prefer import Preferences

__all__ = ["POLICIES", "PROPERTY_METHODS", "Policy", "StatusPolicy", "choose_status", "policy_of"]

#: Methods whose multistatus carries property results: always 207.
PROPERTY_METHODS = frozenset({"PROPFIND", "PROPPATCH", "REPORT", "SEARCH"})

# Statuses that are not sent on their own for a whole batch: no body allowed
# (204, 205), or meaningless without header fields the items cannot supply
# (401 WWW-Authenticate, 405 Allow, 407 Proxy-Authenticate, 416 Content-Range).
_NO_COLLAPSE = frozenset({204, 205, 401, 405, 407, 416})


class StatusPolicy(Protocol):
    """What a status policy is: a callable from the document to the status code.

    It is called once per answer, with the document after ``Prefer`` was
    applied, and returns a 2xx, 4xx or 5xx code (a 3xx code would need a
    ``Location`` the items cannot give).  Any plain function fits; a
    :class:`Policy` also has a name and says what to send when the answer is
    streamed (the items are not known when the status is sent).

    Example:
        >>> import multistatus as ms
        >>> def strict_batch(doc):  # 422 when anything failed, else 200
        ...     return 200 if doc.summary.all_succeeded else 422
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=422)])
        >>> ms.reply(doc, policy=strict_batch).status
        422
    """

    def __call__(self, doc: MultiStatus, /) -> int:
        """The status code of the answer that sends *doc*."""


@dataclass(frozen=True, slots=True)
class Policy:
    """A named status policy: one of the built-ins, or your own.

    Attributes:
        name: the name shown in logs and accepted by the ``policy=`` settings.
        choose: the function from the document to the status code.
        streaming_status: the status of a streamed answer, sent before the
            items are known (207, or 200 for clients that cannot take 207).

    Example:
        >>> import multistatus as ms
        >>> ms.policy_of("collapse-uniform").name
        'collapse-uniform'
        >>> only_ok = ms.Policy("all-or-422", lambda doc: 200 if doc.summary.all_succeeded else 422)
        >>> ms.choose_status(ms.MultiStatus([ms.Response("/a", status=500)]), only_ok)
        422
    """

    name: str
    choose: Callable[[MultiStatus], int]
    streaming_status: int = 207

    def __call__(self, doc: MultiStatus, /) -> int:
        """The status code of the answer that sends *doc*."""
        return self.choose(doc)

    def __repr__(self) -> str:
        return f"Policy({self.name!r})"


def _uniform_status(doc: MultiStatus) -> int | None:
    code: int | None = None
    for response in doc.responses:
        if response.status is None:
            return None
        if code is None:
            code = response.status.code
        elif response.status.code != code:
            return None
    return code


def _collapse_uniform(doc: MultiStatus) -> int:
    code = _uniform_status(doc)
    if code is None or code in _NO_COLLAPSE or 300 <= code < 400:
        return 207
    return code


_BUILT_IN: Mapping[str, Policy] = {
    p.name: p
    for p in (
        Policy("always-207", lambda doc: 207),
        Policy("200-if-all-succeeded", lambda doc: 200 if doc.summary.all_succeeded else 207),
        Policy("collapse-uniform", _collapse_uniform),
        Policy("always-200", lambda doc: 200, streaming_status=200),
    )
}

#: The names of the built-in status policies, the default first (:func:`policy_of` gives each).
POLICIES: tuple[str, ...] = tuple(_BUILT_IN)


def policy_of(policy: str | StatusPolicy) -> StatusPolicy:
    """The policy for a name of :data:`POLICIES`, or *policy* itself when it is callable.

    Raises:
        ValueError: an unknown name.
        TypeError: neither a name nor a callable.

    Example:
        >>> import multistatus as ms
        >>> ms.policy_of("always-200")
        Policy('always-200')
    """
    if isinstance(policy, str):
        try:
            return _BUILT_IN[policy]
        except KeyError:
            raise ValueError(f"unknown status policy {policy!r}; use one of {', '.join(POLICIES)}") from None
    if not callable(policy):
        raise TypeError(f"a status policy is a name or a callable, not {type(policy).__name__}")
    return policy


def choose_status(
    doc: MultiStatus,
    policy: str | StatusPolicy = "always-207",
    *,
    method: str | None = None,
    prefs: Preferences | None = None,
) -> int:
    """The HTTP status to answer *doc* with, under a status *policy*.

    Args:
        doc: the document to send.
        policy: a name of :data:`POLICIES` (see the module documentation) or
            any :class:`StatusPolicy` callable.
        method: the request method; property methods (``PROPFIND``,
            ``PROPPATCH``, ``REPORT``, ``SEARCH``) always get 207.
        prefs: the client's preferences: with ``return=minimal`` a fully
            successful ``PROPPATCH`` gets 204 (RFC 8144), with no body.

    Returns:
        The status code.

    Raises:
        ValueError: *policy* is not a known policy name, or the policy
            returned something that is not a 2xx, 4xx or 5xx code.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201), ms.Response("/items/2", status=201)])
        >>> ms.choose_status(doc), ms.choose_status(doc, "200-if-all-succeeded")
        (207, 200)
        >>> ms.choose_status(doc, "collapse-uniform")
        201
        >>> gone = ms.MultiStatus([ms.Response(["/c/a", "/c/b"], status=423)])
        >>> ms.choose_status(gone, "collapse-uniform", method="DELETE")
        423
    """
    return status_by(status_rule(policy, method, prefs), doc)


#: What decides the status of an answer before its document is known (see :func:`status_rule`).
StatusRule: TypeAlias = "int | StatusPolicy"


def status_rule(policy: str | StatusPolicy, method: str | None, prefs: Preferences | None) -> StatusRule:
    """What :func:`choose_status` decides before it looks at the document: a status code; 0 for
    "204 when every item succeeded, else 207" (a ``PROPPATCH`` under ``return=minimal``); or the
    policy to call.  The WSGI glue remembers it per request headers."""
    chosen = policy if type(policy) is Policy else policy_of(policy)
    verb = method.upper() if method is not None else None
    if verb == "PROPPATCH" and prefs is not None and prefs.minimal:
        return 0
    if verb in PROPERTY_METHODS or chosen is _BUILT_IN["always-207"]:
        return 207
    if chosen is _BUILT_IN["always-200"]:
        return 200
    return chosen


def status_by(rule: StatusRule, doc: MultiStatus) -> int:
    """The status *rule* (from :func:`status_rule`) gives *doc*."""
    if isinstance(rule, int):
        return rule if rule else (204 if doc.summary.all_succeeded else 207)
    return check_code(rule, rule(doc))


def check_code(policy: StatusPolicy, code: object) -> int:
    """*code*, which *policy* returned, when it is a 2xx, 4xx or 5xx code; else ValueError."""
    if type(code) is not int or not (200 <= code < 300 or 400 <= code < 600):
        raise ValueError(f"status policy {policy!r} returned {code!r}; a policy returns a 2xx, 4xx or 5xx code")
    return code
