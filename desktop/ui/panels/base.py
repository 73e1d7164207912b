"""The base of every panel: a widget bound to the workspace, never to the window."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QWidget

from desktop.services.case import Case
from desktop.ui.tasks import TaskRunner
from desktop.ui.workspace import Workspace


class Panel(QWidget):
    """A widget showing part of the workspace's case; it answers only through the workspace.

    ``preferred`` caps the size the panel asks for: tables and web views ask for more than a
    1366x768 screen has room for once six panels share it.
    """

    preferred = QSize(300, 240)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._quiet = 0

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Select things without announcing them (the workspace told us; no echo back).

        A flag, not a QSignalBlocker: blocking a selection model also stops its view
        from painting the new selection.
        """
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    @property
    def is_quiet(self) -> bool:
        """True while the panel selects on the workspace's word."""
        return self._quiet > 0

    def sizeHint(self) -> QSize:  # noqa: N802
        """The panel's natural size, no larger than ``preferred``."""
        return super().sizeHint().boundedTo(self.preferred).expandedTo(self.minimumSizeHint())

    def editing_widgets(self) -> list[QWidget]:
        """The controls that change the case (greyed for a reader); none by default."""
        return []

    def apply_read_only(self) -> None:
        """Grey the controls that change the case when the analyst may only read it."""
        for widget in self.editing_widgets():
            widget.setEnabled(not self.workspace.read_only)

    @property
    def case(self) -> Case:
        """The open case."""
        return self.workspace.case

    @property
    def tasks(self) -> TaskRunner:
        """The task runner of the workspace."""
        return self.workspace.tasks

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo stack of the workspace."""
        return self.workspace.undo_stack


def show_error(label: QLabel, message: str) -> None:
    """Show an error in a panel's message line."""
    label.setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")


def elided(label: QLabel) -> QLabel:
    """Let a label shrink below its text's width (long titles must not widen a dock)."""
    from PySide6.QtWidgets import QSizePolicy

    label.setMinimumWidth(40)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
    return label


def load_when_first_shown(dock: QWidget, load: Callable[[], object]) -> None:
    """Load a panel the first time its dock shows, not at start-up (a big case takes a while)."""

    def shown(visible: bool) -> None:
        if visible:
            dock.visibilityChanged.disconnect(shown)
            load()

    dock.visibilityChanged.connect(shown)


def control_strip(row: QHBoxLayout) -> QScrollArea:
    """A row of filters that scrolls sideways instead of widening its dock past the screen."""
    inner = QWidget()
    inner.setLayout(row)
    row.setContentsMargins(0, 0, 0, 0)
    strip = QScrollArea()
    strip.setWidget(inner)
    strip.setWidgetResizable(True)
    strip.setFrameShape(QFrame.Shape.NoFrame)
    strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = strip.horizontalScrollBar().sizeHint().height()
    strip.setFixedHeight(inner.sizeHint().height() + bar)
    return strip
