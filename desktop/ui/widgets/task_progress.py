"""Status-bar widget that shows the running task's progress and lets the analyst cancel it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop.dto import Progress
from desktop.ui.icons import icon
from desktop.ui.tasks import Task


class TaskProgressWidget(QWidget):
    """Progress bar + text + cancel button for the newest running task."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setMaximumWidth(260)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Cancel (work done so far is kept)")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        # Every running task with its last progress, newest last: the newest is shown, and when
        # it ends the one before it comes back, so a long import never loses its cancel button.
        self._running: dict[Task, Progress | None] = {}
        self.hide()

    @property
    def shown_task(self) -> Task | None:
        """The task whose progress is on display."""
        return next(reversed(self._running), None)

    def track(self, task: Task) -> None:
        """Show this task's progress until it ends."""
        self._running[task] = None
        task.signals.progress.connect(lambda progress, t=task: self._progress(t, progress))
        self._display()

    def show_progress(self, progress: Progress) -> None:
        """Update the bar and text; busy (moving) until the first step is done."""
        if progress.total and progress.done > 0:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        else:
            # Nothing done yet (a pipeline loading, one big document): a bar standing at 0
            # looks hung, a busy bar with the step's text does not.
            self.bar.setRange(0, 0)
        text = progress.text
        self.label.setText(text if len(text) <= 60 else text[:59] + "…")
        self.label.setToolTip(text)

    def finish(self, task: Task) -> None:
        """Forget an ended task; show the next one still running, or hide."""
        self._running.pop(task, None)
        self._display()

    def _progress(self, task: Task, progress: Progress) -> None:
        if task in self._running:
            self._running[task] = progress
            if task is self.shown_task:
                self.show_progress(progress)

    def _display(self) -> None:
        task = self.shown_task
        if task is None:
            self.hide()
            return
        self.label.setText(task.name)
        self.bar.setRange(0, 0)
        if self._running[task] is not None:
            self.show_progress(self._running[task])
        self.show()

    def _cancel(self) -> None:
        task = self.shown_task
        if task is not None:
            task.cancel()
            self.label.setText("Cancelling…")
