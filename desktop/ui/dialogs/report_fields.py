"""Dialog for the report's title (the case name unless changed) and the analyst's summary."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class ReportFieldsDialog(QDialog):
    """Title and summary printed at the top of the HTML and PDF report."""

    def __init__(self, title: str, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report title and summary")
        self.resize(640, 360)
        self.title_edit = QLineEdit(title)
        self.summary_edit = QPlainTextEdit(summary)
        self.summary_edit.setPlaceholderText("What the analyst concludes, in a few sentences")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Title", self.title_edit)
        form.addRow("Summary", self.summary_edit)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        """Return (title, summary) as typed."""
        return self.title_edit.text(), self.summary_edit.toPlainText()
