"""Helpers for the widget tests: acting on panels as an analyst's clicks would."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from desktop.ui.panels.entities import EntityPanel


def pick(panel: EntityPanel, *entity_ids: int) -> None:
    """Select entities in the Entities panel; the last one becomes current (kept by a merge)."""
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for entity_id in entity_ids:
        row = panel.model.find_row(lambda r, e=entity_id: r.id == e)
        index = panel.proxy.mapFromSource(panel.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        selection.setCurrentIndex(index, flags.Select | flags.Rows)
