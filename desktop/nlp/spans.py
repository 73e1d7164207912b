"""A set of non-overlapping character spans with fast overlap checks."""

from __future__ import annotations

from bisect import bisect_right


class Occupied:
    """Non-overlapping [start, end) spans; checks cost O(log n), so long texts stay cheap."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps no span taken so far."""
        index = bisect_right(self._starts, start)
        if index and self._ends[index - 1] > start:
            return False
        return index == len(self._starts) or self._starts[index] >= end

    def take(self, start: int, end: int) -> bool:
        """Add [start, end) if it is free.

        Args:
            start: First offset.
            end: Offset after the last character.

        Returns:
            Whether the span was added.
        """
        if not self.free(start, end):
            return False
        index = bisect_right(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)
        return True
