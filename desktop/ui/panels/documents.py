"""The document list: every document of the case, filtered by title; a click opens one."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from desktop.dto import CaseInfo, Changes, DocumentSummary
from desktop.services import browse
from desktop.services.case import case_info
from desktop.ui.models.documents import DocumentColumn, DocumentTableModel
from desktop.ui.models.rows import ID_ROLE
from desktop.ui.panels.base import Panel
from desktop.ui.panels.tables import row_table, sort_proxy
from desktop.ui.workspace import Workspace


class DocumentListPanel(Panel):
    """Documents newest first; reloads when documents are added and follows the one opened.

    Signals:
        counts_changed(str): the case's counts, after every reload (for the status bar).
    """

    counts_changed = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.model = DocumentTableModel(self)
        self.proxy = sort_proxy(self.model, self)
        self.proxy.setFilterKeyColumn(DocumentColumn.TITLE)
        self.table = row_table(self.proxy, self)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        # Documents keep the service's newest-first order until a header is clicked.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.filter_edit = QLineEdit(placeholderText="Filter documents by title")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        self.info: CaseInfo | None = None
        workspace.case_opened.connect(lambda _: self.refresh())
        workspace.changed.connect(self._changed)
        workspace.document_opened.connect(lambda doc, *_: self._follow(doc))
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.document_list or changes.documents or changes.mentions_or_entities:
            self.refresh()

    def refresh(self) -> None:
        """Reload the list (and the case's counts) in the background."""
        case = self.case
        self.tasks.start("Loading documents", lambda: (browse.list_documents(case),
                                                       case_info(case)),
                         on_done=lambda result: self._loaded(*result))

    def _loaded(self, rows: list[DocumentSummary], info: CaseInfo) -> None:
        current = self.workspace.document_id
        with self.quiet():
            self.model.set_rows(rows)
        self.info = info
        self.counts_changed.emit(
            f"{info.documents} documents · {info.mentions} mentions · {info.entities} entities")
        if current is not None and self._follow(current):
            return
        if rows and self.workspace.document_id is None:
            self.workspace.open_document(rows[0].id)

    def _follow(self, document_id: int) -> bool:
        """Select the document opened (quietly); False when it is not in the list."""
        row = self.model.find_row(lambda d: d.id == document_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by the title filter: show every document again
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        with self.quiet():
            self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self.is_quiet:
            return
        indexes = selected.indexes()
        if indexes:
            self.workspace.open_document(indexes[0].data(ID_ROLE))

    def shown_document_ids(self) -> list[int]:
        """The documents the (filtered) list shows, top to bottom."""
        proxy = self.proxy
        return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]
