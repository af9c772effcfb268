"""Text pieces -> UTF-8 byte chunks of a useful size, for every streaming writer."""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["CHUNK_SIZE", "chunks"]

#: Default size of the byte chunks the streaming writers yield (characters).
CHUNK_SIZE = 64 * 1024


def chunks(pieces: Iterator[str], chunk_size: int) -> Iterator[bytes]:
    """UTF-8 byte chunks of at least *chunk_size* characters from text pieces (shared by the streaming writers)."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= chunk_size:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            size = 0
    if buffer:  # pragma: no branch - the closing piece is never empty
        yield "".join(buffer).encode("utf-8")
