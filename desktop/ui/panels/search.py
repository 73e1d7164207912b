"""Full-text search over the case: a query box, filters, and the hits."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, MentionStatus, SearchFilters, SearchHit
from desktop.services import search
from desktop.services import tags as tags_service
from desktop.ui.labels import LABELS
from desktop.ui.models.review import SearchHitTableModel
from desktop.ui.models.rows import SORT_ROLE
from desktop.ui.panels.base import Panel
from desktop.ui.workspace import Workspace

ANY = "(any)"
TYPING_PAUSE_MS = 250


def _combo(items: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.addItems([ANY, *items])
    # Narrow by default: a long tag name must not widen the dock.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo


class SearchPanel(Panel):
    """Searches document titles, texts and notes as the analyst types (FTS5).

    A chosen hit opens its document at the hit (or selects the entity a note is on).
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.entity_id: int | None = None
        self.model = SearchHitTableModel(self)
        self._build()
        self._lay_out()
        workspace.case_opened.connect(lambda _: self._case_opened())
        workspace.changed.connect(self._changed)
        self.refresh_tags()

    def _changed(self, changes: Changes) -> None:
        if changes.notes or changes.document_list:
            self.refresh_tags()

    def _build(self) -> None:
        hint = 'Search texts and notes: words, "a phrase", prefix*'
        self.query_edit = QLineEdit(placeholderText=hint)
        self.label_combo = _combo(list(LABELS))
        self.status_combo = _combo([str(status) for status in MentionStatus])
        self.tag_combo = _combo([])
        self.language_edit = QLineEdit(placeholderText="lang")
        self.language_edit.setMaximumWidth(60)
        self.notes_box = QCheckBox("notes")
        self.notes_box.setChecked(True)
        self.count_label = QLabel()
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run)
        self.query_edit.textChanged.connect(lambda *_: self._timer.start())
        self.query_edit.returnPressed.connect(self.run)
        for combo in (self.label_combo, self.status_combo, self.tag_combo):
            combo.currentIndexChanged.connect(lambda *_: self.run())
        self.language_edit.editingFinished.connect(self.run)
        self.notes_box.toggled.connect(lambda *_: self.run())
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._picked)
        self.table.activated.connect(self._activated)

    def _lay_out(self) -> None:
        # Two short rows: one long row widened the whole left dock column.
        filters = QGridLayout()
        for i, (text, widget) in enumerate((("Label", self.label_combo),
                                            ("Status", self.status_combo),
                                            ("Tag", self.tag_combo),
                                            ("Lang", self.language_edit))):
            filters.addWidget(QLabel(text), i // 2, (i % 2) * 2)
            filters.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        filters.addWidget(self.notes_box, 2, 0, 1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)

    def _case_opened(self) -> None:
        self.model.set_rows([])
        self.refresh_tags()

    def refresh_tags(self) -> None:
        """Reload the tag filter's choices."""
        case = self.case
        self.tasks.start("Loading tags", lambda: tags_service.list_tags(case),
                         on_done=self._tags_loaded)

    def _tags_loaded(self, tags: list[str]) -> None:
        current = self.tag_combo.currentText()
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItems([ANY, *tags])
        self.tag_combo.setCurrentText(current if current in tags else ANY)
        self.tag_combo.blockSignals(False)

    def set_entity_filter(self, entity_id: int | None) -> None:
        """Only find documents that mention this entity (None: any)."""
        self.entity_id = entity_id
        self.run()

    def filters(self) -> SearchFilters:
        """The filters as the widgets show them."""
        def pick(combo: QComboBox) -> str | None:
            return None if combo.currentText() == ANY else combo.currentText()

        return SearchFilters(label=pick(self.label_combo), status=pick(self.status_combo),
                             tag=pick(self.tag_combo),
                             language=self.language_edit.text().strip() or None,
                             entity_id=self.entity_id, include_notes=self.notes_box.isChecked())

    def run(self) -> None:
        """Search now with the query and filters shown."""
        self._timer.stop()
        query, filters, case = self.query_edit.text(), self.filters(), self.case
        if not query.strip():
            self.model.set_rows([])
            self.count_label.setText("")
            return
        self.tasks.start("Searching", lambda: search.search(case, query, filters),
                         on_done=self._found, on_error=self.count_label.setText)

    def _found(self, hits: list[SearchHit]) -> None:
        self.model.set_rows(hits)
        self.count_label.setText(f"{len(hits)} hits" if hits else "No hits")

    def _picked(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._activated(indexes[0])

    def _activated(self, index: QModelIndex) -> None:
        hit: SearchHit = self.model.row_at(self.proxy.mapToSource(index).row())
        if hit.document_id is not None:
            start = hit.start if hit.start is not None else -1
            self.workspace.open_document(hit.document_id, start,
                                         hit.end if hit.end is not None else -1)
        elif hit.entity_id is not None:
            self.workspace.select_entity(hit.entity_id)

