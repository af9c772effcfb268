"""Collecting per-item results without knowing XML: :class:`Results` and its :class:`Item` handle."""

from ._item import Item
from ._results import Results

__all__ = ["Item", "Results"]
