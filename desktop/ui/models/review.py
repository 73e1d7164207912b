"""Tables of the review workflow: search hits, merges of an entity, and audit entries."""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt

from desktop.dto import AuditRow, MergeRow, SearchHit
from desktop.ui.models.rows import RowTableModel


class SearchColumn(IntEnum):
    """Columns of the search hit list."""

    TITLE = 0
    KIND = 1
    SNIPPET = 2


class SearchHitTableModel(RowTableModel[SearchHit]):
    """Hits of a full-text search, best first."""

    columns = SearchColumn
    headers = {SearchColumn.TITLE: "Document", SearchColumn.KIND: "In",
               SearchColumn.SNIPPET: "Context"}

    def row_id(self, row: SearchHit) -> int:
        """Hits have no id of their own: the note's id, else the document's."""
        return int(row.note_id or row.document_id or 0)

    def display(self, row: SearchHit, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case SearchColumn.TITLE:
                return row.title
            case SearchColumn.KIND:
                return "note" if row.kind == "note" else ("text" if row.start is not None
                                                          else "title")
            case SearchColumn.SNIPPET:
                return row.snippet
        return None

    def sort_key(self, row: SearchHit, column: int) -> Any:
        """Sort the context column by rank (best first), the rest by what they show."""
        return row.rank if column == SearchColumn.SNIPPET else self.display(row, column)

    def extra(self, row: SearchHit, column: int, role: int) -> Any:
        """The whole snippet as a tooltip."""
        if role == Qt.ItemDataRole.ToolTipRole and column == SearchColumn.SNIPPET:
            return row.snippet
        return None


class MergeColumn(IntEnum):
    """Columns of an entity's merge list."""

    NAME = 0
    REASON = 1
    KIND = 2
    STATE = 3


class MergeTableModel(RowTableModel[MergeRow]):
    """The merges recorded into one entity, with their reasons."""

    columns = MergeColumn
    headers = {MergeColumn.NAME: "Merged name", MergeColumn.REASON: "Reason",
               MergeColumn.KIND: "By", MergeColumn.STATE: "State"}

    def display(self, row: MergeRow, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case MergeColumn.NAME:
                return row.merged_name
            case MergeColumn.REASON:
                return row.reason
            case MergeColumn.KIND:
                return "automatic" if row.automatic else "analyst"
            case MergeColumn.STATE:
                return "undone" if row.undone_at else row.created_at.strftime("%Y-%m-%d %H:%M")
        return None


class AuditColumn(IntEnum):
    """Columns of the audit view."""

    AT = 0
    ACTOR = 1
    ACTION = 2
    TARGET = 3
    CHANGE = 4


def _short(state: dict[str, Any] | None) -> str:
    if not state:
        return ""
    keys = ("status", "label", "text", "canonical_name", "tag", "reason")
    picked = {k: state[k] for k in keys if k in state}
    if "mentions" in state:
        picked["mentions"] = len(state["mentions"])
    return json.dumps(picked or state, ensure_ascii=False, default=str)[:160]


class AuditTableModel(RowTableModel[AuditRow]):
    """Audit entries, newest first; the tooltip shows the full before and after state."""

    columns = AuditColumn
    headers = {AuditColumn.AT: "When", AuditColumn.ACTOR: "Who", AuditColumn.ACTION: "Action",
               AuditColumn.TARGET: "Target", AuditColumn.CHANGE: "Change"}

    def display(self, row: AuditRow, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case AuditColumn.AT:
                return row.at.strftime("%Y-%m-%d %H:%M:%S")
            case AuditColumn.ACTOR:
                return row.actor
            case AuditColumn.ACTION:
                return row.action
            case AuditColumn.TARGET:
                return f"{row.target_type} {row.target_id if row.target_id is not None else ''}"
            case AuditColumn.CHANGE:
                return f"{_short(row.before)} → {_short(row.after)}"
        return None

    def sort_key(self, row: AuditRow, column: int) -> Any:
        """Sort time by entry order."""
        return row.id if column == AuditColumn.AT else self.display(row, column)

    def extra(self, row: AuditRow, column: int, role: int) -> Any:
        """Full states as a tooltip."""
        if role == Qt.ItemDataRole.ToolTipRole and column == AuditColumn.CHANGE:
            before = json.dumps(row.before, ensure_ascii=False, indent=1, default=str)
            after = json.dumps(row.after, ensure_ascii=False, indent=1, default=str)
            return f"before:\n{before}\n\nafter:\n{after}"
        return None
