"""The case's pipeline versions per language, and the choice of the one to extract with."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import PipelineRow
from desktop.services.case_pipelines import version_rows

COLUMNS = ("Language", "Version", "Trained from", "Documents", "Held-back F1", "Trained",
           "In use")
# (language, version or None for the shipped pipeline) of one row of the table.
Choice = tuple[str, int | None]


class PipelineVersionsDialog(QDialog):
    """Lists every version; "Use this version" goes back (or forward) to the one selected.

    ``use`` is called with (language, version), version None for the shipped pipeline; a
    reader sees the list but cannot change it.
    """

    def __init__(self, pipelines: Sequence[PipelineRow], use: Callable[[str, int | None], None],
                 *, languages: Sequence[str] = ("de", "en"), read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pipeline versions")
        self.resize(760, 320)
        self._use = use
        self.rows = version_rows(pipelines, languages)
        intro = QLabel("Each training that scored better is kept as a version. Mentions keep the "
                       "version that suggested them; choose another and extract again to use "
                       "it on existing documents (the mentions you touched stay).")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, (_, values) in enumerate(self.rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = QPushButton("Use this version")
        self.use_button.setToolTip("Extract with the selected version from now on")
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button.clicked.connect(self.use_selected)
        buttons.rejected.connect(self.reject)
        self.read_only = read_only
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def selected(self) -> tuple[Choice, bool] | None:
        """The selected (language, version) and whether it is in use, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        choice, values = self.rows[rows[0].row()]
        return choice, values[-1] == "yes"

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.use_button.setEnabled(not self.read_only and chosen is not None and not chosen[1])

    def use_selected(self) -> None:
        """Switch to the selected version and close."""
        chosen = self.selected()
        if chosen is None or chosen[1] or self.read_only:
            return
        (lang, version), _ = chosen
        self._use(lang, version)
        self.accept()
