"""Docks around the main window: review queue, entities, search, notes and history, with undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMenu

from desktop.dto import Target
from desktop.services.case import Case
from desktop.ui.widgets.audit_view import AuditView
from desktop.ui.widgets.entity_panel import EntityPanel
from desktop.ui.widgets.notes_panel import NotesPanel
from desktop.ui.widgets.review_queue import ReviewQueueWidget
from desktop.ui.widgets.search_panel import SearchPanel

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class ReviewDocks(QObject):
    """Builds the review docks on a main window and keeps them on the window's case."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.undo_stack = QUndoStack(self)
        args = (window.case, window.tasks, self.undo_stack)
        self.review_queue = ReviewQueueWidget(*args)
        self.entity_panel = EntityPanel(*args)
        self.notes_panel = NotesPanel(*args)
        self.search_panel = SearchPanel(*args)
        self.audit_view = AuditView(*args)
        self.docks = self._dock_all()
        self._menus()
        self._connect()
        self.review_queue.load(None)
        self.entity_panel.refresh()
        self.search_panel.refresh_tags()

    @property
    def widgets(self) -> tuple:
        """Every case-bound widget."""
        return (self.review_queue, self.entity_panel, self.notes_panel, self.search_panel,
                self.audit_view)

    def _dock_all(self) -> list[QDockWidget]:
        bottom, left = Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
        docks = []
        for title, widget, area in (("Review", self.review_queue, bottom),
                                    ("Entities", self.entity_panel, left),
                                    ("Search", self.search_panel, left),
                                    ("Notes", self.notes_panel, bottom),
                                    ("History", self.audit_view, bottom)):
            dock = QDockWidget(title, self.window)
            dock.setObjectName(f"{title.lower()}_dock")
            dock.setWidget(widget)
            self.window.addDockWidget(area, dock)
            docks.append(dock)
        self.window.tabifyDockWidget(docks[1], docks[2])
        self.window.tabifyDockWidget(docks[3], docks[4])
        docks[1].raise_()
        return docks

    def _menus(self) -> None:
        undo = self.undo_stack.createUndoAction(self.window, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self.window, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        bar = self.window.menuBar()
        help_menu = self.window.help_menu.menuAction()  # Help stays last
        edit = QMenu("&Edit", bar)
        edit.addActions([undo, redo])
        bar.insertMenu(help_menu, edit)
        view = QMenu("&View", bar)
        bar.insertMenu(help_menu, view)
        view.addActions([d.toggleViewAction() for d in self.docks])
        if self.window.map_dock is not None:
            view.addAction(self.window.map_dock.toggleViewAction())

    def _connect(self) -> None:
        w = self.window
        for source in (self.review_queue.open_mention, self.entity_panel.open_mention,
                       self.search_panel.open_hit):
            source.connect(w.open_span)
        self.review_queue.document_changed.connect(w.reload_if_shown)
        self.entity_panel.document_changed.connect(w.reload_if_shown)
        self.review_queue.mention_selected.connect(
            lambda i: self.notes_panel.show_target(Target("mention", i)))
        self.entity_panel.entity_selected.connect(self._entity_chosen)
        self.search_panel.entity_selected.connect(self.entity_panel.select_entity)
        self.notes_panel.notes_changed.connect(lambda _: self.search_panel.refresh_tags())
        if w.map_dock is not None:  # a place clicked on the map opens its entity
            w.map_dock.entity_clicked.connect(self.entity_panel.select_entity)

    def _entity_chosen(self, entity_id: int) -> None:
        self.notes_panel.show_target(Target("entity", entity_id))
        self.audit_view.show_entity(entity_id)
        if self.window.map_dock is not None:
            self.window.map_dock.select_entity(entity_id)

    def document_shown(self, document_id: int) -> None:
        """Notes, history and a one-document review queue follow the document in the main view."""
        self.review_queue.follow_document(document_id)
        self.notes_panel.show_target(Target("document", document_id))
        self.audit_view.show_document(document_id)

    def mention_shown(self, mention_id: int, entity_id: int | None = None) -> None:
        """Notes follow the selected mention; the entity panel shows its entity."""
        if entity_id is not None:
            # Quietly: the mention, not its entity, stays the target of notes and history.
            with QSignalBlocker(self.entity_panel):
                self.entity_panel.select_entity(entity_id)
        self.notes_panel.show_target(Target("mention", mention_id))

    def content_changed(self) -> None:
        """Documents were imported or extracted again: reload what lists their suggestions."""
        self.review_queue.reload()
        self.entity_panel.refresh()
        self.search_panel.refresh_tags()

    def set_case(self, case: Case) -> None:
        """Another case was opened: forget the undo history of the old one."""
        self.undo_stack.clear()
        for widget in self.widgets:
            widget.set_case(case)
        self.review_queue.load(None)
        self.entity_panel.refresh()
