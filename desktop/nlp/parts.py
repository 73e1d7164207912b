"""Split a text too long for one spaCy call into parts at paragraph or sentence boundaries."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")
U = TypeVar("U")
# Far below spaCy's max_length: a part this size takes the NER about 10-20 s on a laptop core,
# which is how often progress is shown and a cancel is heard.
PART_CHARS = 200_000
# Preferred cuts, best first: a blank line, a line end, a sentence end, any space.
_BREAKS = ("\n\n", "\n", ". ", "! ", "? ", "; ", " ")


def split_parts(text: str, limit: int = PART_CHARS) -> list[tuple[int, int]]:
    """Return (start, end) spans that cover ``text`` in order, none longer than ``limit``.

    Each cut is the last paragraph break in the second half of the allowed window, else the
    last line end, sentence end or space there; only a text without any of these is cut
    hard. Offsets index ``text`` itself, so a part's entity offsets plus its start are offsets
    into the whole text.

    Args:
        text: The whole text.
        limit: Most characters per part.

    Returns:
        One span for a text within the limit, else several.
    """
    if limit < 2:
        raise ValueError("a part must hold at least two characters")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, end: int) -> int:
    """The best place to end a part that starts at ``start`` and may reach ``end``."""
    floor = start + (end - start) // 2
    for separator in _BREAKS:
        found = text.rfind(separator, floor, end - len(separator) + 1)
        if found != -1:
            return found + len(separator)
    return end


def drain(steps: Generator[object, None, T]) -> T:
    """Run a part-by-part generator to its end, ignoring its progress, and return its result."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def relay(steps: Generator[S, None, T], convert: Callable[[S], U]) -> Generator[U, None, T]:
    """Pass each step of a generator on, converted, and return its result.

    Closing the relay between steps closes ``steps`` too, so a cancel reaches the work.
    """
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as stop:
                return stop.value
            yield convert(step)
    finally:
        steps.close()
