"""The entity panel: the case's entities, their mentions and merges, and entity actions."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, EntityRow, MentionRow, MergeResult, MergeRow
from desktop.services import entities
from desktop.ui.models.entities import EntityTableModel
from desktop.ui.models.mentions import MentionTableModel
from desktop.ui.models.review import MergeTableModel
from desktop.ui.models.rows import SORT_ROLE, RowTableModel
from desktop.ui.panels.base import Panel, elided, show_error
from desktop.ui.undo import FirstTime
from desktop.ui.workspace import Workspace


def _view(model: QSortFilterProxyModel | RowTableModel, multi: bool) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    view.setSelectionMode(mode.ExtendedSelection if multi else mode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class EntityPanel(Panel):
    """Entities with rename, merge, split, false positive and undo merge (all undoable).

    Merge asks which selected entity survives (its label and place stay), its name, and why,
    and shows what will be lost. Split moves the selected mentions to a new entity
    named by the name line (or after the first mention). The current entity is the
    workspace's selected entity; a clicked mention opens its document there.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.model = EntityTableModel(self)
        self.mentions = MentionTableModel(self)
        self.merges = MergeTableModel(self)
        self._selecting: int | None = None
        self._build()
        workspace.case_opened.connect(lambda _: self.refresh())
        workspace.changed.connect(self._changed)
        workspace.entity_selected.connect(self.select_entity)
        workspace.mention_selected.connect(self._mention_chosen)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.mentions_or_entities:
            self.refresh()

    def _mention_chosen(self, _mention_id: int, entity_id: int) -> None:
        # Quietly: the mention, not its entity, stays the target of notes and history.
        if entity_id >= 0:
            with self.quiet():
                self.select_entity(entity_id)

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
        self.name_edit.setMinimumWidth(60)
        self.status_label = elided(QLabel(wordWrap=True))
        self.buttons: dict[str, QPushButton] = {}
        rows = (
            (("rename", "Rename", self.rename_current),
             ("split", "Split out", self.split_selected)),
            (("merge", "Merge…", self.merge_selected),
             ("false_positive", "False positive", self.toggle_false_positive),
             ("undo_merge", "Undo merge", self.undo_selected_merge)),
        )
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter_edit)
        top_layout.addWidget(self.table, 1)
        for number, row in enumerate(rows):
            line = QHBoxLayout()
            if number == 0:
                line.addWidget(self.name_edit, 1)
            for key, text, slot in row:
                button = QPushButton(text)
                button.clicked.connect(lambda *_, s=slot: s())
                line.addWidget(button)
                self.buttons[key] = button
            top_layout.addLayout(line)
        top_layout.addWidget(self.status_label)
        self.details = QTabWidget()
        self.details.addTab(self.mention_table, "Mentions")
        self.details.addTab(self.merge_table, "Merges")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setChildrenCollapsible(False)
        # The entity list gets most of the room: it is what the analyst works through.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 110])
        self.table.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- loading ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the entities (and the current entity's mentions and merges)."""
        case = self.case
        self.tasks.start("Loading entities", lambda: entities.list_entities(case),
                         on_done=lambda rows: self._loaded(rows, self.current_id()),
                         on_error=self._show_error)

    def _loaded(self, rows: list[EntityRow], current: int | None) -> None:
        self.model.set_rows(rows)
        if current is not None:
            self.select_entity(current)

    def select_entity(self, entity_id: int) -> None:
        """Make an entity the current one (and select only it)."""
        if entity_id == self.current_id():
            return  # already current (perhaps one of several selected): keep the selection
        row = self.model.find_row(lambda r: r.id == entity_id)
        if row < 0:
            self._details(None)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by the filter: show every entity again
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._selecting = entity_id
        self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self._selecting = None
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
        if self.is_quiet:
            return
        current = self.current_id()
        if current is not None and current == self._selecting:
            return  # selected on the workspace's word: do not announce it back
        self._details(current)
        if current is not None:
            self.workspace.select_entity(current)

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
            first = mentions[0]
            self.workspace.open_document(first.document_id, first.start, first.end)

    # -- actions ----------------------------------------------------------------------------------
    def _push(self, text: str, do: Callable[[], Any], undo: Callable[[Any], Any],
              changes: Changes | None = None) -> None:
        command = self.workspace.edit(text, do, undo, changes=changes)
        if command.error:
            self._show_error(command.error)

    def rename_current(self, name: str | None = None) -> None:
        """Rename the current entity to ``name`` (default: the name line)."""
        entity_id, case = self.current_id(), self.case
        name = (name if name is not None else self.name_edit.text()).strip()
        if entity_id is None or not name:
            self._show_error("Select an entity and type its new name.")
            return
        seen = FirstTime(self._version(entity_id))
        self._push(f"rename entity as “{name}”",
                   lambda: entities.rename(case, entity_id, name, version=seen()),
                   lambda change: entities.restore_entity(case, change))

    def merge_selected(self, reason: str | None = None, survivor: int | None = None,
                       name: str | None = None) -> None:
        """Merge the selected entities into one; without a reason, ask (survivor, name, why).

        The survivor (default: the current entity) keeps its label and place.
        """
        rows, case = self.selected_rows(), self.case
        if len(rows) < 2:
            self._show_error("Select two or more entities and say why they are the same.")
            return
        if reason is None:
            from desktop.ui.dialogs.merge import MergeDialog

            dialog = MergeDialog(rows, self.current_id(), self)
            if not dialog.exec():
                return
            survivor, name, reason = dialog.values()
        kept = survivor if survivor is not None else self.current_id()
        others = [r.id for r in rows if r.id != kept]
        seen = FirstTime({r.id: r.version for r in rows if r.version is not None})
        if kept is None or not others or not reason.strip():
            self._show_error("Select two or more entities and say why they are the same.")
            return

        def undo(result: MergeResult) -> None:
            for merge_id in result.merge_ids:
                entities.undo_merge(case, merge_id)
            if result.name_before is not None and name and name != result.name_before:
                entities.rename(case, result.kept_entity_id, result.name_before)

        self._push(f"merge {len(others)} entities",
                   lambda: entities.merge_entities(case, kept, others, reason, name,
                                                   versions=seen()), undo)

    def split_selected(self, name: str | None = None) -> None:
        """Move the selected mentions of the current entity to a new entity."""
        entity_id, case = self.current_id(), self.case
        picked = self.selected_mentions()
        mention_ids = [m.id for m in picked]
        name = (name if name is not None else self.name_edit.text()).strip() or None
        if entity_id is None or not mention_ids:
            self._show_error("Select the mentions to split out of the entity.")
            return
        seen = FirstTime(self._version(entity_id))
        seen_mentions = FirstTime({m.id: m.version for m in picked if m.version is not None})
        self._push("split entity",
                   lambda: entities.split_entity(case, entity_id, mention_ids, name,
                                                 version=seen(),
                                                 mention_versions=seen_mentions()),
                   lambda result: entities.undo_split(case, result))

    def toggle_false_positive(self) -> None:
        """Mark the current entity as a false positive (mentions rejected), or clear the mark."""
        rows, case = [r for r in self.selected_rows() if r.id == self.current_id()], self.case
        if not rows:
            self._show_error("Select an entity.")
            return
        row, seen = rows[0], FirstTime(rows[0].version)
        self._push("false positive" if not row.false_positive else "not a false positive",
                   lambda: entities.set_false_positive(case, row.id, not row.false_positive,
                                                       version=seen()),
                   lambda change: entities.restore_entity(case, change))

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

        self._push(f"undo merge of “{merge.merged_name}”", undo_it, merge_again,
                   Changes(entities=frozenset({merge.kept_entity_id}), places=True,
                           any_document=True))

    def editing_widgets(self) -> list[QWidget]:
        """Rename, split, merge, false positive, undo merge and the name line."""
        return [*self.buttons.values(), self.name_edit]

    def _version(self, entity_id: int) -> int | None:
        """The version of an entity as the list shows it (None: not shown)."""
        row = self.model.find_row(lambda r: r.id == entity_id)
        return self.model.row_at(row).version if row >= 0 else None

    def _show_error(self, message: str) -> None:
        show_error(self.status_label, message)

