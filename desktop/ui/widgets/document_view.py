"""The text of one document with its mentions highlighted by label and status."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.dto import DocumentDetail, MentionRow
from desktop.ui.labels import label_color


class DocumentView(QTextBrowser):
    """Read-only text view; offsets of mentions index the stored text exactly."""

    mention_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setPlaceholderText(
            "Select a document, paste an article (Ctrl+Shift+V) or import files."
        )
        self._document: DocumentDetail | None = None
        self._mentions: list[MentionRow] = []

    @property
    def document_id(self) -> int | None:
        """Id of the document shown, if any."""
        return self._document.id if self._document else None

    def show_document(self, document: DocumentDetail | None, mentions: list[MentionRow]) -> None:
        """Show a document's text and highlight its mentions."""
        self._document = document
        self._mentions = mentions
        # Plain text keeps every character (and so every offset) exactly as stored.
        self.setPlainText(document.text if document else "")
        if document:
            self._highlight(mentions)

    def _highlight(self, mentions: list[MentionRow]) -> None:
        cursor = QTextCursor(self.document())
        for mention in mentions:
            fmt = QTextCharFormat()
            color = QColor(label_color(mention.label))
            if mention.status == "suggested":
                color.setAlpha(120)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            elif mention.status == "rejected":
                color.setAlpha(50)
                fmt.setFontStrikeOut(True)
            fmt.setBackground(color)
            fmt.setToolTip(_tooltip(mention))
            cursor.setPosition(mention.start)
            cursor.setPosition(mention.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)

    def select_span(self, start: int, end: int) -> None:
        """Select and scroll to a span of the text."""
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()


def _tooltip(mention: MentionRow) -> str:
    parts = [f"{mention.label} ({mention.status}, {mention.origin})"]
    if mention.entity_name:
        parts.append(f"entity: {mention.entity_name}")
    if mention.confidence is not None:
        parts.append(f"confidence: {mention.confidence:.2f}")
    if mention.place_name:
        parts.append(f"place: {mention.place_name}")
    return "\n".join(parts)
