"""A table model over a list of plain rows, shown to the view in chunks as it scrolls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

CHUNK = 500


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Columns come from an IntEnum; subclasses say how each column shows a row.

    Rows arrive from a background task as plain dataclasses; the view fetches them lazily.
    """

    columns: type[IntEnum]
    headers: dict[int, str]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._shown = 0

    # -- subclass hooks -------------------------------------------------------------------------
    def display(self, row: Row, column: int) -> Any:
        """Return what a cell shows."""
        raise NotImplementedError

    def sort_key(self, row: Row, column: int) -> Any:
        """Return the value a column sorts by (default: what it shows)."""
        return self.display(row, column)

    def row_id(self, row: Row) -> int:
        """Return the row's database id."""
        return int(row.id)

    def extra(self, row: Row, column: int, role: int) -> Any:
        """Return data for other roles (tooltips, colours); None by default."""
        return None

    # -- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows shown so far (more arrive through fetchMore)."""
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        """True while rows are held back."""
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        """Show the next chunk of rows."""
        if parent.isValid():
            return
        more = min(CHUNK, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return a cell's data for a role."""
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return self.sort_key(row, index.column())
        return self.extra(row, index.column(), role)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return self.headers[section]
        return None

    # -- changing the rows ------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row; the first chunk is shown at once."""
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(CHUNK, len(self._rows))
        self.endResetModel()

    def update_row(self, row: Row) -> None:
        """Replace the row with the same id, if present."""
        for i, old in enumerate(self._rows):
            if self.row_id(old) == self.row_id(row):
                self._rows[i] = row
                if i < self._shown:
                    first = self.index(i, 0)
                    last = self.index(i, len(self.columns) - 1)
                    self.dataChanged.emit(first, last)
                return

    def row_at(self, index: int) -> Row:
        """Return the row at a model row number."""
        return self._rows[index]

    def find_row(self, predicate: Callable[[Row], bool]) -> int:
        """Return the number of the first row matching ``predicate``, showing it if needed; -1."""
        for i, row in enumerate(self._rows):
            if predicate(row):
                while i >= self._shown:
                    self.fetchMore()
                return i
        return -1

    def all_rows(self) -> list[Row]:
        """Every row, shown or not."""
        return list(self._rows)
