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
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Cancel (work done so far is kept)")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self._task: Task | None = None
        self.hide()

    def track(self, task: Task) -> None:
        """Show this task's progress."""
        self._task = task
        self.label.setText(task.name)
        self.bar.setRange(0, 0)
        task.signals.progress.connect(self.show_progress)
        self.show()

    def show_progress(self, progress: Progress) -> None:
        """Update the bar and text."""
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        self.label.setText(progress.text[:80])

    def finish(self, task: Task) -> None:
        """Hide when the tracked task ends."""
        if task is self._task:
            self._task = None
            self.hide()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.label.setText("Cancelling…")
