"""The audit log of one document or entity (with its mentions), newest first."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.dto import AuditRow, Changes, Target
from desktop.services import audit, browse
from desktop.ui.models.review import AuditTableModel
from desktop.ui.models.rows import SORT_ROLE
from desktop.ui.panels.base import Panel, elided
from desktop.ui.workspace import Workspace

NOTHING = "Select a document or entity"


class HistoryPanel(Panel):
    """Read-only table of who did what, when, to the document opened or entity chosen.

    Every write (and its undo) is logged, so any change reloads the table.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
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
        self.title_label = elided(QLabel(NOTHING))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.table)
        workspace.case_opened.connect(lambda _: self.show_target(None))
        workspace.document_opened.connect(
            lambda doc, *_: self.show_target(Target("document", doc) if doc >= 0 else None))
        workspace.entity_selected.connect(lambda e: self.show_target(Target("entity", e)))
        workspace.changed.connect(self._changed)

    def _changed(self, _changes: Changes) -> None:
        self.refresh()

    def show_target(self, target: Target | None) -> None:
        """Show the log of a document or entity (None clears)."""
        self.target = target
        if target is None:
            self.title_label.setText(NOTHING)
        self.refresh()

    def refresh(self) -> None:
        """Reload the entries of the target."""
        target, case = self.target, self.case
        if target is None:
            self.model.set_rows([])
            return
        self.tasks.start("Loading history", lambda: (browse.target_title(case, target),
                                                     audit.audit_log(case, target)),
                         on_done=lambda result: self._loaded(target, *result))

    def _loaded(self, target: Target, title: str, rows: list[AuditRow]) -> None:
        if target == self.target:
            self.title_label.setText(f"History of the {title}")
            self.title_label.setToolTip(self.title_label.text())
            self.model.set_rows(rows)
