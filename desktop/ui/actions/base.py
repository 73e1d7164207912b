"""What every group of actions shares: the workspace, a parent widget for dialogs, QActions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.ui.icons import icon
from desktop.ui.workspace import Workspace
from desktop.version import APP_NAME


class Actions(QObject):
    """A group of menu actions working on the workspace; dialogs open over ``parent``."""

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.parent_widget = parent

    def action(self, text: str, slot: Callable[[], object], name: str | None = None,
               keys: str | QKeySequence.StandardKey | None = None) -> QAction:
        """A QAction calling ``slot``; its shortcut works wherever the focus is in the app."""
        action = QAction(icon(name) if name else QAction().icon(), text, self.parent_widget)
        if keys:
            action.setShortcut(QKeySequence(keys))
            # Application-wide: a text field with focus must not swallow Ctrl+E and friends.
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(lambda *_: slot())
        return action

    def warn(self, message: str, title: str = APP_NAME) -> None:
        """Tell the analyst what went wrong."""
        QMessageBox.warning(self.parent_widget, title, message)

    def say(self, message: str) -> None:
        """A short status text."""
        self.workspace.message.emit(message)
