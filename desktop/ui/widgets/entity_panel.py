"""The entity panel: the case's entities, their mentions and merges, and entity actions."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import EntityRow, MentionRow, MergeRow
from desktop.services import entities
from desktop.services.case import Case
from desktop.ui.models.entities import EntityTableModel
from desktop.ui.models.mentions import MentionTableModel
from desktop.ui.models.review import MergeTableModel
from desktop.ui.models.rows import SORT_ROLE, RowTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.undo import CallCommand


def _view(model: QSortFilterProxyModel | RowTableModel, multi: bool) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    view.setSelectionMode(mode.ExtendedSelection if multi else mode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class EntityPanel(QWidget):
    """Entities with rename, merge, split, false positive and undo merge (all undoable).

    Merge keeps the *current* entity (the last one clicked) and merges the other selected ones
    into it; the reason line must say why. Split moves the selected mentions to a new entity
    named by the name line (or after the first mention).

    Signals:
        entity_selected(int): the current entity changed.
        mention_selected(int): a mention of the current entity was clicked.
        open_mention(int, int, int): document id, start and end of that mention.
        document_changed(int): stored mentions of this document changed (false positive).
    """

    entity_selected = Signal(int)
    mention_selected = Signal(int)
    open_mention = Signal(int, int, int)
    document_changed = Signal(int)

    def __init__(self, case: Case, tasks: TaskRunner, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case, self.tasks, self.undo_stack = case, tasks, undo_stack
        self.model = EntityTableModel(self)
        self.mentions = MentionTableModel(self)
        self.merges = MergeTableModel(self)
        self._build()

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit = QLineEdit(placeholderText="Filter entities")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = _view(self.proxy, multi=True)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.mention_table = _view(self.mentions, multi=True)
        self.mention_table.selectionModel().selectionChanged.connect(self._mention_clicked)
        self.merge_table = _view(self.merges, multi=False)
        self.name_edit = QLineEdit(placeholderText="New name (rename, split)")
        self.reason_edit = QLineEdit(placeholderText="Reason for the merge")
        self.status_label = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("rename", "Rename", self.rename_current), ("merge", "Merge selected",
                                                        self.merge_selected),
            ("split", "Split mentions out", self.split_selected),
            ("false_positive", "False positive", self.toggle_false_positive),
            ("undo_merge", "Undo merge", self.undo_selected_merge),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda *_, s=slot: s())
            buttons.addWidget(button)
            self.buttons[key] = button
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.filter_edit, self.table, self.name_edit, self.reason_edit):
            top_layout.addWidget(widget)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.status_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for widget in (top, self.mention_table, self.merge_table):
            splitter.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- loading ----------------------------------------------------------------------------------
    def set_case(self, case: Case) -> None:
        """Show another case's entities."""
        self.case = case
        self.refresh()

    def refresh(self) -> None:
        """Reload the entities (and the current entity's mentions and merges)."""
        case, current = self.case, self.current_id()
        self.tasks.start("Loading entities", lambda: entities.list_entities(case),
                         on_done=lambda rows: self._loaded(rows, current),
                         on_error=self._show_error)

    def _loaded(self, rows: list[EntityRow], current: int | None) -> None:
        self.model.set_rows(rows)
        if current is not None:
            self.select_entity(current)

    def select_entity(self, entity_id: int) -> None:
        """Make an entity the current one (and select only it)."""
        row = self.model.find_row(lambda r: r.id == entity_id)
        if row < 0:
            self._details(None)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)
        self._details(entity_id)

    def current_id(self) -> int | None:
        """The current entity (the last one clicked), if any."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), index.parent()):
            rows = self.selected_rows()
            return rows[0].id if rows else None
        return self.model.row_at(self.proxy.mapToSource(index).row()).id

    def selected_rows(self) -> list[EntityRow]:
        """The selected entities, in table order."""
        rows = self.table.selectionModel().selectedRows()
        return [self.model.row_at(self.proxy.mapToSource(i).row())
                for i in sorted(rows, key=lambda i: i.row())]

    def selected_mentions(self) -> list[MentionRow]:
        """The selected mentions of the current entity."""
        return [self.mentions.row_at(i.row())
                for i in self.mention_table.selectionModel().selectedRows()]

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        current = self.current_id()
        self._details(current)
        if current is not None:
            self.entity_selected.emit(current)

    def _details(self, entity_id: int | None) -> None:
        if entity_id is None:
            self.mentions.set_rows([])
            self.merges.set_rows([])
            return
        case = self.case
        self.tasks.start(
            "Loading entity", lambda: (entities.mentions_of_entity(case, entity_id),
                                       entities.merges_into(case, entity_id)),
            on_done=lambda result: self._details_loaded(*result), on_error=self._show_error)

    def _details_loaded(self, mentions: list[MentionRow], merges: list[MergeRow]) -> None:
        self.mentions.set_rows(mentions)
        self.merges.set_rows(merges)
        shown = [m for m in merges if m.undone_at is None]
        self.status_label.setText("<br>".join(
            f"merged “{html.escape(m.merged_name)}”: {html.escape(m.reason)}" for m in shown[:3]))

    def _mention_clicked(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        mentions = self.selected_mentions()
        if mentions:
            self.mention_selected.emit(mentions[0].id)
            self.open_mention.emit(mentions[0].document_id, mentions[0].start, mentions[0].end)

    # -- actions ----------------------------------------------------------------------------------
    def _push(self, text: str, do: Callable[[], Any], undo: Callable[[Any], Any]) -> None:
        self.undo_stack.push(CallCommand(text, do, undo, done=self._after, undone=self._after,
                                         on_error=self._show_error))

    def _after(self, _result: object) -> None:
        self.refresh()

    def rename_current(self, name: str | None = None) -> None:
        """Rename the current entity to ``name`` (default: the name line)."""
        entity_id, case = self.current_id(), self.case
        name = (name if name is not None else self.name_edit.text()).strip()
        if entity_id is None or not name:
            self._show_error("Select an entity and type its new name.")
            return
        self._push(f"rename entity as “{name}”", lambda: entities.rename(case, entity_id, name),
                   lambda change: entities.restore_entity(case, change))

    def merge_selected(self, reason: str | None = None) -> None:
        """Merge the other selected entities into the current one, for ``reason``."""
        kept, case = self.current_id(), self.case
        others = [r.id for r in self.selected_rows() if r.id != kept]
        reason = (reason if reason is not None else self.reason_edit.text()).strip()
        if kept is None or not others or not reason:
            self._show_error("Select two or more entities and say why they are the same.")
            return
        self._push(f"merge {len(others)} entities",
                   lambda: entities.merge_entities(case, kept, others, reason),
                   lambda result: [entities.undo_merge(case, m) for m in result.merge_ids])

    def split_selected(self, name: str | None = None) -> None:
        """Move the selected mentions of the current entity to a new entity."""
        entity_id, case = self.current_id(), self.case
        mention_ids = [m.id for m in self.selected_mentions()]
        name = (name if name is not None else self.name_edit.text()).strip() or None
        if entity_id is None or not mention_ids:
            self._show_error("Select the mentions to split out of the entity.")
            return
        self._push("split entity", lambda: entities.split_entity(case, entity_id, mention_ids,
                                                                  name),
                   lambda result: entities.undo_split(case, result))

    def toggle_false_positive(self) -> None:
        """Mark the current entity as a false positive (mentions rejected), or clear the mark."""
        rows, case = [r for r in self.selected_rows() if r.id == self.current_id()], self.case
        if not rows:
            self._show_error("Select an entity.")
            return
        row, documents = rows[0], {m.document_id for m in self.mentions.all_rows()}
        self._push("false positive" if not row.false_positive else "not a false positive",
                   lambda: entities.set_false_positive(case, row.id, not row.false_positive),
                   lambda change: entities.restore_entity(case, change))
        for document_id in sorted(documents):
            self.document_changed.emit(document_id)

    def undo_selected_merge(self) -> None:
        """Undo the merge selected in the merge list (automatic or by an analyst)."""
        picked = self.merge_table.selectionModel().selectedRows()
        if not picked:
            self._show_error("Select a merge in the list below.")
            return
        merge, case = self.merges.row_at(picked[0].row()), self.case
        if merge.undone_at is not None:
            self._show_error("This merge was already undone.")
            return
        state = {"merge": merge.id}

        def undo_it() -> int:
            return entities.undo_merge(case, state["merge"])

        def merge_again(restored_id: int) -> None:
            result = entities.merge_entities(case, merge.kept_entity_id, [restored_id],
                                             merge.reason)
            state["merge"] = result.merge_ids[0]

        self._push(f"undo merge of “{merge.merged_name}”", undo_it, merge_again)

    def _show_error(self, message: str) -> None:
        self.status_label.setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")

