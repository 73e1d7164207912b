"""The document list: title, language, date, characters and mention count."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt

from desktop.dto import DocumentSummary
from desktop.ui.models.rows import RowTableModel


class DocumentColumn(IntEnum):
    """Columns of the document list."""

    TITLE = 0
    LANGUAGE = 1
    PUBLISHED = 2
    MENTIONS = 3
    CHARACTERS = 4
    IMPORTED = 5


class DocumentTableModel(RowTableModel[DocumentSummary]):
    """Documents of the open case."""

    columns = DocumentColumn
    headers = {
        DocumentColumn.TITLE: "Title",
        DocumentColumn.LANGUAGE: "Lang",
        DocumentColumn.PUBLISHED: "Published",
        DocumentColumn.MENTIONS: "Mentions",
        DocumentColumn.CHARACTERS: "Chars",
        DocumentColumn.IMPORTED: "Imported",
    }

    def display(self, row: DocumentSummary, column: int) -> Any:
        """Return what a cell shows."""
        match column:
            case DocumentColumn.TITLE:
                return row.title
            case DocumentColumn.LANGUAGE:
                return row.language or ""
            case DocumentColumn.PUBLISHED:
                return row.published.isoformat() if row.published else ""
            case DocumentColumn.MENTIONS:
                return row.mention_count
            case DocumentColumn.CHARACTERS:
                return row.characters
            case DocumentColumn.IMPORTED:
                return row.imported_at.strftime("%Y-%m-%d %H:%M")
        return None

    def extra(self, row: DocumentSummary, column: int, role: int) -> Any:
        """Tooltips with the original file name; numbers right-aligned."""
        if role == Qt.ItemDataRole.ToolTipRole and column == DocumentColumn.TITLE:
            return row.original_name or row.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            DocumentColumn.MENTIONS,
            DocumentColumn.CHARACTERS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
