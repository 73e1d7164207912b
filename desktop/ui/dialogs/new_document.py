"""Dialog to type or paste a new document with its title and source."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class NewDocumentDialog(QDialog):
    """Title, source URL and text of a new document."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New document")
        self.resize(700, 520)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Optional: the first line is used when empty")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("Optional source address")
        self.text_edit = QPlainTextEdit(text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Import")
        self.text_edit.textChanged.connect(self._update_ok)
        form = QFormLayout(self)
        form.addRow("Title", self.title_edit)
        form.addRow("Source", self.url_edit)
        form.addRow("Text", self.text_edit)
        form.addRow(buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.text_edit.toPlainText().strip()))

    def values(self) -> tuple[str, str | None, str | None]:
        """Return (text, title or None, source URL or None)."""
        # toPlainText() would turn non-breaking spaces (common in German news) into spaces;
        # the raw text keeps every character, with U+2029 between paragraphs.
        text = self.text_edit.document().toRawText().replace("\u2029", "\n")
        return (
            text,
            self.title_edit.text().strip() or None,
            self.url_edit.text().strip() or None,
        )
