"""The timeline table: one row per dated event, shown lazily in chunks."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from desktop.dto import TimelineEvent
from desktop.ui.models.rows import RowTableModel


class TimelineColumn(IntEnum):
    """Columns of the timeline."""

    WHEN = 0
    EVENT = 1
    ENTITIES = 2
    DOCUMENT = 3


class TimelineModel(RowTableModel[TimelineEvent]):
    """Dated events, earliest first; a publication-date fallback is shown in italics."""

    columns = TimelineColumn
    headers = {
        TimelineColumn.WHEN: "When",
        TimelineColumn.EVENT: "Event",
        TimelineColumn.ENTITIES: "Who and where",
        TimelineColumn.DOCUMENT: "Document",
    }

    def display(self, row: TimelineEvent, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case TimelineColumn.WHEN:
                return row.value + (" (published)" if row.from_publication else "")
            case TimelineColumn.EVENT:
                return row.sentence
            case TimelineColumn.ENTITIES:
                return ", ".join(e.name for e in row.entities)
            case TimelineColumn.DOCUMENT:
                return row.document_title
        return None

    def sort_key(self, row: TimelineEvent, column: int) -> Any:
        """Dates sort by their first day, not as text."""
        if column == TimelineColumn.WHEN:
            return row.start.isoformat() + row.end.isoformat()
        return super().sort_key(row, column)

    def row_id(self, row: TimelineEvent) -> int:
        """The date mention's id (the document id for a publication date)."""
        return row.mention_id if row.mention_id is not None else -row.evidence.document_id

    def extra(self, row: TimelineEvent, column: int, role: int) -> Any:
        """Tooltips with the whole sentence; publication-date fallbacks in grey italics."""
        if role == Qt.ItemDataRole.ToolTipRole:
            when = "publication date (no date in the text)" if row.from_publication else (
                f"{row.start.isoformat()} to {row.end.isoformat()} ({row.granularity})")
            return f"{when}\n{row.sentence}\n{row.document_title}"
        if row.from_publication and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if row.from_publication and role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#6c757d")
        return None
