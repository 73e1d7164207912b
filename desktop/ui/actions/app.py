"""Application actions: undo and redo, preferences, about, quit, and shortcuts that always work."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.services.preferences import pipeline_choices
from desktop.ui.actions.base import Actions
from desktop.ui.workspace import Workspace

# Keys a text field needs for itself: these stay with the field that has the focus.
_TEXT_KEYS = tuple(QKeySequence(k) for k in (
    QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo, QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.SelectAll))


class ShortcutGuard(QObject):
    """Keeps text fields from swallowing the window's shortcuts (Ctrl+E, Ctrl+I …).

    A focused line edit claims keys like Ctrl+E (end of line) through a ShortcutOverride
    event, which stops every shortcut with those keys. Refusing that claim for the keys of
    the window's actions lets the action run instead.
    """

    def __init__(self, actions: list[QAction], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = {a.shortcut().toString() for a in actions if not a.shortcut().isEmpty()
                     and a.shortcut() not in _TEXT_KEYS}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Refuse a text field's claim on one of the window's shortcuts."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            combo = QKeySequence(event.keyCombination()).toString()
            if combo in self.keys:
                event.ignore()
                return True
        return super().eventFilter(watched, event)


class AppActions(Actions):
    """Undo/redo of the workspace's stack, preferences, about and quit."""

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(workspace, parent)
        self.undo = workspace.undo_stack.createUndoAction(parent, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = workspace.undo_stack.createRedoAction(parent, "&Redo")
        self.redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.preferences = self.action("Pre&ferences…", self.preferences_dialog, "preferences",
                                       "Ctrl+,")
        self.quit = self.action("&Quit", parent.close, "quit", "Ctrl+Q")
        self.about = self.action("&About Casedesk", self.about_dialog, "about")

    def guard_shortcuts(self, actions: list[QAction], window: QWidget) -> ShortcutGuard:
        """Make these actions' shortcuts work while a text field of ``window`` has the focus.

        The guard watches the text fields themselves (they receive the ShortcutOverride): an
        application-wide Python event filter sees every event of every thread.
        """
        guard = ShortcutGuard(actions, self)
        for kind in (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox):
            for field in window.findChildren(kind):
                field.installEventFilter(guard)
        return guard

    def preferences_dialog(self) -> None:
        """Show the preferences once the pipelines are listed (that imports spaCy: a task)."""
        self.workspace.tasks.start("Listing pipelines", pipeline_choices,
                                   on_done=self._show_preferences, on_error=self.warn)

    def _show_preferences(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        from desktop.ui.dialogs.preferences import PreferencesDialog

        settings = self.workspace.settings
        dialog = PreferencesDialog(settings, choices, self.parent_widget)
        if not dialog.exec():
            return
        changed = dialog.apply()
        if any(item.startswith("pipeline") for item in changed):
            # A new provider loads the chosen pipelines on the next extraction.
            self.workspace.use_case_pipelines()
        if changed:
            self.say("Saved: " + ", ".join(changed))

    def about_dialog(self) -> None:
        """Show version, licenses and attributions."""
        from desktop.ui.dialogs.about import AboutDialog

        AboutDialog(self.parent_widget).exec()
