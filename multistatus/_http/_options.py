"""One settings object for every way of serving a multistatus answer.

:func:`~multistatus.reply`, :class:`~multistatus.wsgi.MultiStatusMiddleware` and
:class:`~multistatus.wsgi.MultiStatusResponse` take a :class:`ServeOptions` (or
the same settings as keyword arguments, which build one), and
:func:`~multistatus.wsgi.respond` answers with the middleware's, so a setting
is declared, checked and documented once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._negotiation import MEDIA_TYPES
from ._policy import StatusPolicy, policy_of

__all__ = ["DEFAULT_OPTIONS", "ServeOptions", "options_from", "streaming_status", "without_collapse"]


@dataclass(frozen=True, slots=True, init=False)
class ServeOptions:
    """How an endpoint answers with a multistatus: policy, representations, ``Prefer``, streaming.

    Args:
        policy: the status policy: a name of :data:`~multistatus.POLICIES` or any
            :class:`~multistatus.StatusPolicy` callable.
        default: the representation for clients that state no preference;
            ``None`` picks it per request (:func:`~multistatus.default_media_type`:
            XML for WebDAV methods and XML bodies, JSON for JSON bodies).
        offers: the representations the endpoint sends, in its order of
            preference (a subset of :data:`~multistatus.MEDIA_TYPES`).
        strict: answer 406 (a problem listing the available types) when the
            client accepts none of *offers*, instead of sending the default.
        honor_prefer: apply ``Prefer: return=minimal`` and ``Brief: t``.
        stream: send the answers of :func:`~multistatus.wsgi.respond_stream`
            as the responses come; ``False`` collects them and sends them at once.

    Raises:
        ValueError: an unknown policy name, an offer that is not one of
            :data:`~multistatus.MEDIA_TYPES`, no offers, or a *default* that is
            not offered.

    Example:
        >>> import multistatus as ms
        >>> opts = ms.ServeOptions(policy="200-if-all-succeeded", default="application/json")
        >>> opts.policy
        Policy('200-if-all-succeeded')
        >>> opts.replace(strict=True).strict
        True
        >>> ms.reply(ms.MultiStatus([ms.Response("/a", status=201)]), options=opts).status
        200
    """

    policy: StatusPolicy
    default: str | None
    offers: tuple[str, ...]
    strict: bool
    honor_prefer: bool
    stream: bool

    def __init__(
        self,
        policy: str | StatusPolicy = "always-207",
        default: str | None = None,
        offers: Sequence[str] = MEDIA_TYPES,
        strict: bool = False,
        honor_prefer: bool = True,
        stream: bool = False,
    ) -> None:
        if isinstance(offers, str):
            raise TypeError("offers must be a sequence of media types, not a str")
        offered = tuple(offers)
        if not offered:
            raise ValueError("offers cannot be empty")
        for offer in offered:
            if offer not in MEDIA_TYPES:
                raise ValueError(f"cannot offer {offer!r}; use some of {', '.join(MEDIA_TYPES)}")
        if default is not None and default not in MEDIA_TYPES:
            raise ValueError(f"default {default!r} is not one of {', '.join(MEDIA_TYPES)}")
        setattr_ = object.__setattr__
        setattr_(self, "policy", policy_of(policy))
        setattr_(self, "default", default)
        setattr_(self, "offers", offered)
        setattr_(self, "strict", bool(strict))
        setattr_(self, "honor_prefer", bool(honor_prefer))
        setattr_(self, "stream", bool(stream))

    def replace(self, **changes: Any) -> ServeOptions:
        """A copy with *changes* (the same keywords as the constructor); ``None`` values are ignored.

        Example:
            >>> import multistatus as ms
            >>> ms.ServeOptions().replace(policy="always-200", default=None).policy
            Policy('always-200')
        """
        values: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in values:
                raise TypeError(f"unknown serving option {name!r}; use some of {', '.join(values)}")
            if value is not None:
                values[name] = value
        return ServeOptions(**values)


#: The library defaults.
DEFAULT_OPTIONS = ServeOptions()


def streaming_status(options: ServeOptions) -> int:
    """The status of an answer whose items are not all known yet (streamed, or failed half-way):
    the policy's ``streaming_status`` (a :class:`~multistatus.Policy`), else 207."""
    status = getattr(options.policy, "streaming_status", 207)
    return status if status in (200, 207) else 207


def without_collapse(options: ServeOptions) -> ServeOptions:
    """*options* with a policy that answers :func:`streaming_status`: for a document that lists only some items."""
    return options.replace(policy="always-200" if streaming_status(options) == 200 else "always-207")


def options_from(
    options: ServeOptions | None, settings: Mapping[str, Any], base: ServeOptions = DEFAULT_OPTIONS
) -> ServeOptions:
    """*options* (else *base*) with the keyword *settings* applied: the one way every edge reads its settings."""
    chosen = base if options is None else options
    if options is not None and not isinstance(options, ServeOptions):
        raise TypeError(f"options must be a ServeOptions, not {type(options).__name__}")
    return chosen.replace(**settings) if settings else chosen
