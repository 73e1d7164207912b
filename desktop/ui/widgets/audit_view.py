"""The audit log of one document or entity (with its mentions), newest first."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.dto import AuditRow, Target
from desktop.services import entities
from desktop.services.case import Case
from desktop.ui.models.review import AuditTableModel
from desktop.ui.models.rows import SORT_ROLE
from desktop.ui.tasks import TaskRunner


class AuditView(QWidget):
    """Read-only table of who did what, when, to a document or entity; refreshes on undo/redo."""

    def __init__(self, case: Case, tasks: TaskRunner, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case, self.tasks, self.undo_stack = case, tasks, undo_stack
        self.target: Target | None = None
        self.model = AuditTableModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.title_label = QLabel("Select a document or entity")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.table)
        self._tasks_gone = False
        # A dying QUndoStack emits indexChanged after the window's task runner is gone.
        tasks.destroyed.connect(self._forget_tasks)
        if undo_stack is not None:
            # A bound slot: Qt drops the connection when this view is destroyed.
            undo_stack.indexChanged.connect(self._stack_moved)

    def _forget_tasks(self, *_args: object) -> None:
        self._tasks_gone = True

    def _stack_moved(self, _index: int) -> None:
        if not self._tasks_gone:
            self.refresh()

    def set_case(self, case: Case) -> None:
        """Show another case's log."""
        self.case = case
        self.show_target(None)

    def show_target(self, target: Target | None) -> None:
        """Show the log of a document or entity (None clears)."""
        self.target = target
        self.title_label.setText(f"History of {target.kind} {target.id}" if target
                                 else "Select a document or entity")
        self.refresh()

    def show_document(self, document_id: int) -> None:
        """Show a document's log (slot for document signals)."""
        self.show_target(Target("document", document_id))

    def show_entity(self, entity_id: int) -> None:
        """Show an entity's log (slot for entity signals)."""
        self.show_target(Target("entity", entity_id))

    def refresh(self) -> None:
        """Reload the entries of the target."""
        target, case = self.target, self.case
        if target is None:
            self.model.set_rows([])
            return
        self.tasks.start("Loading history", lambda: entities.audit_log(case, target),
                         on_done=lambda rows: self._loaded(target, rows))

    def _loaded(self, target: Target, rows: list[AuditRow]) -> None:
        if target == self.target:
            self.model.set_rows(rows)
