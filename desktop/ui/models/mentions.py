"""The mention table: text, label, status, origin, confidence and the case entity."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.dto import MentionRow
from desktop.ui.labels import label_color
from desktop.ui.models.rows import RowTableModel


class MentionColumn(IntEnum):
    """Columns of the mention table."""

    TEXT = 0
    LABEL = 1
    STATUS = 2
    ORIGIN = 3
    CONFIDENCE = 4
    ENTITY = 5
    PLACE = 6
    OFFSETS = 7


class MentionTableModel(RowTableModel[MentionRow]):
    """Mentions of the selected document."""

    columns = MentionColumn
    headers = {
        MentionColumn.TEXT: "Text",
        MentionColumn.LABEL: "Label",
        MentionColumn.STATUS: "Status",
        MentionColumn.ORIGIN: "Origin",
        MentionColumn.CONFIDENCE: "Conf.",
        MentionColumn.ENTITY: "Entity",
        MentionColumn.PLACE: "Place",
        MentionColumn.OFFSETS: "Where",
    }

    def display(self, row: MentionRow, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case MentionColumn.TEXT:
                return row.text
            case MentionColumn.LABEL:
                return row.label
            case MentionColumn.STATUS:
                return row.status + (" ⚑" if row.flagged else "")
            case MentionColumn.ORIGIN:
                return row.origin
            case MentionColumn.CONFIDENCE:
                return f"{row.confidence:.2f}" if row.confidence is not None else ""
            case MentionColumn.ENTITY:
                return row.entity_name or ""
            case MentionColumn.PLACE:
                return row.place_name or ""
            case MentionColumn.OFFSETS:
                where = f"{row.start}-{row.end}"
                return f"p. {row.page} · {where}" if row.page is not None else where
        return None

    def sort_key(self, row: MentionRow, column: int) -> Any:
        """Sort offsets and confidence as numbers."""
        if column == MentionColumn.OFFSETS:
            return row.start
        if column == MentionColumn.CONFIDENCE:
            return row.confidence if row.confidence is not None else -1.0
        return super().sort_key(row, column)

    def extra(self, row: MentionRow, column: int, role: int) -> Any:
        """Colour the label cell; strike out rejected mentions."""
        if role == Qt.ItemDataRole.BackgroundRole and column == MentionColumn.LABEL:
            return QBrush(QColor(label_color(row.label)))
        if role == Qt.ItemDataRole.FontRole and row.status == "rejected":
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None
