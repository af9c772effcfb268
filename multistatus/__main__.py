"""``python -m multistatus``: the same as the ``multistatus`` command (see :mod:`multistatus.cli`)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # pragma: no branch - also imported by doctest collection
    raise SystemExit(main())
