"""The status-bar progress follows every running task: a short one never hides a long one."""

from __future__ import annotations

from desktop.dto import Progress
from desktop.ui.tasks import Task, TaskSignals
from desktop.ui.widgets.task_progress import TaskProgressWidget


def _task(name: str) -> Task:
    return Task(name, TaskSignals())


def test_a_short_task_ending_gives_the_long_import_its_bar_and_cancel_back(qtbot):
    widget = TaskProgressWidget()
    qtbot.addWidget(widget)
    widget.show()
    long_import, opening = _task("Importing"), _task("Opening document")
    widget.track(long_import)
    long_import.signals.progress.emit(Progress(3, 10, "3 of 10 · 2.0 docs/s"))
    widget.track(opening)
    long_import.signals.progress.emit(Progress(4, 10, "4 of 10 · 2.1 docs/s"))
    assert widget.shown_task is opening and widget.label.text() == "Opening document"
    widget.finish(opening)
    assert widget.isVisible() and widget.shown_task is long_import
    assert widget.label.text() == "4 of 10 · 2.1 docs/s" and widget.bar.value() == 4
    widget.cancel_button.click()
    assert long_import.cancel_requested.is_set() and not opening.cancel_requested.is_set()
    widget.finish(long_import)
    assert not widget.isVisible()
