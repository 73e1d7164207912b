"""Sentences of a stored text, cut by the same cheap rule the review queue shows sentences with."""

from __future__ import annotations

from bisect import bisect_right

from db.review_queries import _SENTENCE_END


class Sentences:
    """The sentences of one text, found once, so that many offsets can be placed quickly."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        left = 0
        for match in _SENTENCE_END.finditer(text):
            right = match.start() + (0 if text[match.start()] == "\n" else 1)
            self._add(left, right)
            left = match.end()
        self._add(left, len(text))

    def _add(self, left: int, right: int) -> None:
        while left < right and self.text[left].isspace():
            left += 1
        while right > left and self.text[right - 1].isspace():
            right -= 1
        if right > left:
            self.starts.append(left)
            self.ends.append(right)

    def index(self, offset: int) -> int:
        """Return the number of the sentence holding ``offset`` (the one before it in a gap)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def bounds(self, index: int) -> tuple[int, int]:
        """Return (start, end) of sentence ``index`` in the text."""
        return self.starts[index], self.ends[index]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Return the bounds of the sentence (or sentences) that ``text[start:end]`` lies in."""
        left = self.starts[self.index(start)] if self.starts else start
        right = self.ends[self.index(max(start, end - 1))] if self.ends else end
        return min(left, start), max(right, end)
