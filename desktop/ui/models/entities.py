"""The entity table: type, canonical name, aliases, mention and document counts, place."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.dto import EntityRow
from desktop.ui.labels import label_color
from desktop.ui.models.rows import RowTableModel


class EntityColumn(IntEnum):
    """Columns of the entity table."""

    TYPE = 0
    NAME = 1
    ALIASES = 2
    MENTIONS = 3
    DOCUMENTS = 4
    PLACE = 5


class EntityTableModel(RowTableModel[EntityRow]):
    """Entities of the open case; false positives are struck out."""

    columns = EntityColumn
    headers = {
        EntityColumn.TYPE: "Type",
        EntityColumn.NAME: "Name",
        EntityColumn.ALIASES: "Aliases",
        EntityColumn.MENTIONS: "Mentions",
        EntityColumn.DOCUMENTS: "Docs",
        EntityColumn.PLACE: "Place",
    }

    def display(self, row: EntityRow, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case EntityColumn.TYPE:
                return row.label
            case EntityColumn.NAME:
                return row.canonical_name
            case EntityColumn.ALIASES:
                return ", ".join(row.aliases)
            case EntityColumn.MENTIONS:
                return row.mention_count
            case EntityColumn.DOCUMENTS:
                return row.document_count
            case EntityColumn.PLACE:
                return row.place_name or ""
        return None

    def extra(self, row: EntityRow, column: int, role: int) -> Any:
        """Colour the type cell, strike out false positives, right-align counts."""
        if role == Qt.ItemDataRole.BackgroundRole and column == EntityColumn.TYPE:
            return QBrush(QColor(label_color(row.label)))
        if role == Qt.ItemDataRole.FontRole and row.false_positive:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == EntityColumn.PLACE and row.place_kind:
            return f"{row.place_name} ({row.place_kind})"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            EntityColumn.MENTIONS, EntityColumn.DOCUMENTS
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def remove_ids(self, ids: set[int]) -> None:
        """Drop rows of entities that no longer exist (after a merge)."""
        self.set_rows([row for row in self.all_rows() if row.id not in ids])
