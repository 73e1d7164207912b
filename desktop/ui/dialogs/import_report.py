"""Non-modal import report: one row per input with its status, language, size and reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import ImportReport

COLUMNS = ("Status", "Source", "Language", "Chars", "Pages", "Mentions", "Seconds", "Reason")


class ImportReportDialog(QDialog):
    """Shows what happened to every input of an import batch; does not block the window."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(900, 420)
        rate = len(report.lines) / report.seconds if report.seconds else 0.0
        self.summary = QLabel(f"{report.summary()} in {report.seconds:.1f} s ({rate:.1f} inputs/s)")
        self.table = QTableWidget(len(report.lines), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for row, line in enumerate(report.lines):
            values = (
                line.status, line.source, line.language or "",
                "" if line.characters is None else f"{line.characters:,}",
                "" if line.pages is None else str(line.pages),
                "" if line.entities is None else str(line.entities),
                "" if line.seconds is None else f"{line.seconds:.2f}",
                line.reason or "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
