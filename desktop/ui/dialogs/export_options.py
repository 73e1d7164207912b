"""Before an export: all mentions or accepted ones only, the whole case or the filtered list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class ExportOptionsDialog(QDialog):
    """Asks what part of the case an export writes."""

    def __init__(self, what: str, documents: int, shown: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export: {what}")
        self._shown = list(shown)
        self.accepted_only = QCheckBox("Accepted mentions only (leave out what is not reviewed)")
        self.filtered = QCheckBox(
            f"Only the {len(shown)} of {documents} documents the document filter shows")
        narrower = 0 < len(shown) < documents
        self.filtered.setEnabled(narrower)
        self.filtered.setChecked(narrower)
        note = QLabel("Rejected mentions, and entities left with none, are never exported as "
                      "findings.", wordWrap=True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.accepted_only, self.filtered, note, buttons):
            layout.addWidget(widget)

    def document_ids(self) -> list[int] | None:
        """The documents to export, or None for the whole case."""
        return self._shown if self.filtered.isChecked() else None
