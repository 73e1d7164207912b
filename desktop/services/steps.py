"""Helpers for long work written as generators that yield Progress and return a result."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import TypeVar

from desktop.dto import Progress

T = TypeVar("T")
Steps = Generator[Progress, None, T]


def run_to_end(steps: Steps[T], on_progress: Callable[[Progress], None] | None = None) -> T:
    """Drive a progress generator to its end (CLI, tests) and return what it returns.

    When ``on_progress`` raises (the CLI's way to stop at a step boundary), the steps are
    closed first, so their own clean-up runs before the error goes on.
    """
    try:
        while True:
            try:
                progress = next(steps)
            except StopIteration as stop:
                return stop.value
            if on_progress is not None:
                on_progress(progress)
    except BaseException:
        steps.close()
        raise


def part_progress(titles: Sequence[str], done: int, total: int
                  ) -> Callable[[tuple[int, int, int]], Progress]:
    """Progress for one part of a long text: ``titles`` name the documents of the batch."""

    def step(part: tuple[int, int, int]) -> Progress:
        index, parts_done, parts = part
        return Progress(done, total, f"extracting {titles[index][:50]}: part {parts_done} of "
                                     f"{parts}")

    return step
