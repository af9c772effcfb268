"""For every test and doctest (tests/, the package, README.rst, docs/): the same environment wherever pytest runs."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_terminal_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads COLUMNS and NO_COLOR: the shell pytest runs in must not decide what a test sees."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
