"""Public names report the module users import them from, not the private one they live in."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def publish(namespace: Mapping[str, object], names: Iterable[str], module: str) -> None:
    """Set ``__module__`` to *module* on the classes and functions of *namespace* named in *names*.

    Tracebacks and reprs then say ``multistatus.ParseError`` or
    ``multistatus.wsgi.respond`` rather than a private path, and pickles refer
    to the public name.  Constants and values without a settable module are left as they are.
    """
    for name in names:
        obj = namespace[name]
        if isinstance(obj, type) or (callable(obj) and not isinstance(obj, str)):
            with contextlib.suppress(AttributeError, TypeError):
                obj.__module__ = module
