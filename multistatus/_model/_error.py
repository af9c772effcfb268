"""``DAV:error`` (RFC 4918 §14.5, §16) with its optional RFC 9457 problem members."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .._names import PROBLEM_NS
from ._common import set_slot
from ._element import Element, check_name, check_text
from ._frozen import EMPTY, FrozenMap, JSONValue, freeze_json, same_json

__all__ = ["Error", "error_of"]

_PROBLEM_PREFIX = f"{{{PROBLEM_NS}}}"


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Error:
    """The ``DAV:error`` element (RFC 4918 §14.5, §16) with an optional problem.

    ``conditions`` are the precondition/postcondition elements (for example
    ``{DAV:}lock-token-submitted`` holding the locked hrefs).  ``problem`` holds
    RFC 9457 members (``type``, ``title``, ``detail``, ``instance``, and extension
    members such as ``code`` and ``message``) for REST batch endpoints; in XML they
    are elements of :data:`PROBLEM_NS` (RFC 9457's ``urn:ietf:rfc:7807``) inside
    ``DAV:error``.

    Args:
        conditions: condition elements, or bare Clark names for empty ones.
        problem: RFC 9457 members; values are JSON values.
        **members: more problem members, e.g. ``code="rate_limited"``.

    Example:
        >>> e = Error(["{DAV:}no-conflicting-lock"])
        >>> e.condition_names
        ('{DAV:}no-conflicting-lock',)
        >>> Error(code="rate_limited", message="Retry later.").code
        'rate_limited'
    """

    conditions: tuple[Element, ...]
    problem: FrozenMap[str, JSONValue]

    def __init__(
        self,
        conditions: Iterable[Element | str] = (),
        problem: Mapping[str, object] | None = None,
        **members: object,
    ) -> None:
        conds: list[Element] = []
        for cond in conditions:
            if isinstance(cond, str):
                cond = Element(cond)
            elif not isinstance(cond, Element):
                raise TypeError(f"an error condition must be an Element or a name, not {type(cond).__name__}")
            if cond.tag.startswith(_PROBLEM_PREFIX):  # (the readers take those for problem members)
                raise ValueError(f"an error condition is not in the problem namespace {PROBLEM_NS}: {cond.tag!r}")
            conds.append(cond)
        merged: dict[str, object] = dict(problem or {})
        merged.update(members)
        frozen = freeze_json(merged, "problem")
        assert isinstance(frozen, FrozenMap)
        for key, member in frozen.items():
            if isinstance(member, str):  # written as XML text
                check_text(member, f"problem member {key!r}")
            else:  # written as JSON text
                freeze_json(member, f"problem member {key!r}", carried=True)
        for key in frozen:
            try:  # written as an element of PROBLEM_NS: the name must be an XML local name
                check_name(f"{{{PROBLEM_NS}}}{key}", "problem member name")
            except ValueError:
                raise ValueError(f"problem member name {key!r} is not usable as an XML element name") from None
            if key == "conditions":
                raise ValueError("'conditions' is not a problem member name: pass condition elements as conditions=")
        if "status" in frozen and type(frozen["status"]) is not int:
            raise ValueError("problem member 'status' must be an int")
        set_slot(self, "conditions", tuple(conds))
        set_slot(self, "problem", frozen if frozen else EMPTY)

    @property
    def condition_names(self) -> tuple[str, ...]:
        """The Clark names of the conditions, in order."""
        return tuple(c.tag for c in self.conditions)

    def _member(self, key: str) -> str | None:
        value = self.problem.get(key)
        return value if isinstance(value, str) else None

    @property
    def problem_code(self) -> str | None:
        """The ``code`` problem member (a machine-readable reason such as ``"rate_limited"``), or ``None``.

        (``code``, the earlier spelling, is kept one release; the HTTP status
        of a response is :attr:`Response.status_code <multistatus.Response.status_code>`.)

        Example:
            >>> import multistatus as ms
            >>> ms.Error(problem={"code": "rate_limited"}).problem_code
            'rate_limited'
        """
        return self._member("code")

    @property
    def code(self) -> str | None:
        """The earlier spelling of :attr:`problem_code`, kept one release."""
        return self._member("code")

    @property
    def message(self) -> str | None:
        """The ``message`` problem member (falls back to ``detail``, then ``title``)."""
        return self._member("message") or self._member("detail") or self._member("title")

    @property
    def type(self) -> str | None:
        """The RFC 9457 ``type`` member, or ``None``."""
        return self._member("type")

    def __eq__(self, other: object) -> bool:
        # Problem members are JSON values: true, 1 and 1.0 differ (see same_json).
        if other.__class__ is not Error:
            return NotImplemented
        assert isinstance(other, Error)
        return self.conditions == other.conditions and same_json(self.problem, other.problem)

    def __hash__(self) -> int:  # member values left out: equal values of different kinds may hash alike
        return hash((self.conditions, tuple(sorted(self.problem))))

    def __bool__(self) -> bool:
        return bool(self.conditions or self.problem)

    def __repr__(self) -> str:
        args = []
        if self.conditions:
            args.append(repr(list(self.conditions)))
        if self.problem:
            args.append(f"problem={self.problem!r}")
        return f"Error({', '.join(args)})"


def error_of(value: Error | None, what: str) -> Error | None:
    if value is not None and not isinstance(value, Error):
        raise TypeError(f"{what} error must be an Error, not {type(value).__name__}")
    return value
