"""Table views and sorting proxies set up the same way for every panel."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView, QWidget

from desktop.ui.models.rows import SORT_ROLE


def row_table(model: QAbstractItemModel, parent: QWidget | None = None) -> QTableView:
    """A sortable table selecting one whole row at a time."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


def sort_proxy(source: QAbstractItemModel, parent: QWidget | None = None
               ) -> QSortFilterProxyModel:
    """A proxy sorting by the models' sort role and filtering without case."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(source)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
