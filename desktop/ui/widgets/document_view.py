"""The text of one document with its mentions highlighted by label and status."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QWidget

from desktop.dto import DocumentDetail, MentionRow
from desktop.ui.labels import LABELS, label_color

_NUMBER_KEYS = {getattr(Qt.Key, f"Key_{i + 1}"): label for i, label in enumerate(LABELS)}


class DocumentView(QTextBrowser):
    """Read-only text view; offsets of mentions index the stored text exactly."""

    mention_clicked = Signal(int)
    label_selection = Signal(int, int, str)
    split_requested = Signal(int, int)  # mention id, stored offset of the cut
    join_requested = Signal(int, int)  # mention id, id of the next mention

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setPlaceholderText(
            "Select a document, paste an article (Ctrl+Shift+V) or import files."
        )
        self._document: DocumentDetail | None = None
        self._mentions: list[MentionRow] = []
        self._astral: list[int] = []
        # False for a reader: no labelling keys, no label, split or join in the menu.
        self.editable = True

    @property
    def document_id(self) -> int | None:
        """Id of the document shown, if any."""
        return self._document.id if self._document else None

    def show_document(self, document: DocumentDetail | None, mentions: list[MentionRow]) -> None:
        """Show a document's text and highlight its mentions."""
        self._document = document
        self._mentions = mentions
        text = document.text if document else ""
        # Qt counts UTF-16 units; stored offsets count code points. Characters outside the
        # basic plane (emoji, rare scripts) take two units, so positions are converted.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # setPlainText gives the whole new text the format at the view's cursor; when that
        # cursor sits on a mention (after a selection, an accept, an added mention) every
        # character would take that mention's colour. Start from a plain, empty cursor.
        self._reset_format()
        # Plain text keeps every character (and so every offset) exactly as stored.
        self.setPlainText(text)
        self._reset_format()
        if document:
            self._highlight(mentions)

    def _reset_format(self) -> None:
        self.setTextCursor(QTextCursor(self.document()))
        self.setCurrentCharFormat(QTextCharFormat())

    def _highlight(self, mentions: list[MentionRow]) -> None:
        cursor = QTextCursor(self.document())
        # One edit block, so the layout is redone once, not after every mention: 8,000
        # mentions took 400 s that way, and take 0.3 s like this.
        cursor.beginEditBlock()
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
            cursor.setPosition(self.to_qt(mention.start))
            cursor.setPosition(self.to_qt(mention.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        cursor.endEditBlock()

    def to_qt(self, offset: int) -> int:
        """Stored text offset -> Qt document position."""
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """Qt document position -> stored text offset."""
        offset = position
        while offset > 0 and self.to_qt(offset) > position:
            offset -= 1
        return offset

    def selected_span(self) -> tuple[int, int] | None:
        """The selected text as stored offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self._document is None:
            return None
        return self.from_qt(cursor.selectionStart()), self.from_qt(cursor.selectionEnd())

    def mention_at(self, point: QPoint) -> MentionRow | None:
        """The mention under a point of the view, the shortest when they nest."""
        offset = self.offset_at(point)
        hits = [m for m in self._mentions if m.start <= offset < m.end]
        return min(hits, key=lambda m: m.end - m.start) if hits else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """1-6 give the selected text a label (PER, ORG, LOC, MISC, DATE, QUANTITY)."""
        span = self.selected_span()
        label = _NUMBER_KEYS.get(Qt.Key(event.key()))
        if span and label and span[1] > span[0] and self.editable:
            self.label_selection.emit(span[0], span[1], label)
            event.accept()
            return
        super().keyPressEvent(event)

    def next_mention(self, mention: MentionRow) -> MentionRow | None:
        """The mention that starts first after this one ends, if any."""
        later = [m for m in self._mentions if m.start >= mention.end and m.id != mention.id]
        return min(later, key=lambda m: (m.start, m.end)) if later else None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        """Offer labels for a selection, split and join on a mention, and the copy actions."""
        menu = self.createStandardContextMenu(event.pos())
        span = self.selected_span()
        if not self.editable:  # a reader: copying only
            menu.exec(event.globalPos())
            return
        if span and span[1] > span[0]:
            menu.addSeparator()
            for number, label in enumerate(LABELS, start=1):
                action = menu.addAction(f"Label as {label}\t{number}")
                action.triggered.connect(
                    lambda *_, lab=label, sp=span: self.label_selection.emit(sp[0], sp[1], lab)
                )
        mention = self.mention_at(event.pos())
        if mention is not None:
            self.add_span_actions(menu, mention, self.offset_at(event.pos()))
        menu.exec(event.globalPos())

    def add_span_actions(self, menu: QMenu, mention: MentionRow, offset: int) -> None:
        """Add "split here" and "join with the next mention" for a mention to a menu."""
        menu.addSeparator()
        split = menu.addAction(f"Split “{mention.text}” here")
        split.setEnabled(mention.start < offset < mention.end)
        split.triggered.connect(lambda *_: self.split_requested.emit(mention.id, offset))
        following = self.next_mention(mention)
        join = menu.addAction(
            f"Join with “{following.text}”" if following else "Join with the next mention")
        join.setEnabled(following is not None)
        if following is not None:
            join.triggered.connect(
                lambda *_: self.join_requested.emit(mention.id, following.id))

    def offset_at(self, point: QPoint) -> int:
        """The stored text offset under a point of the view."""
        return self.from_qt(self.cursorForPosition(point).position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """A click (not a selection) on a mention selects it everywhere."""
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            mention = self.mention_at(event.position().toPoint())
            if mention is not None:
                self.mention_clicked.emit(mention.id)

    def select_span(self, start: int, end: int) -> None:
        """Select and scroll to a span of the text."""
        cursor = self.textCursor()
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
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
    if mention.page is not None:
        parts.append(f"page {mention.page} of the source")
    return "\n".join(parts)
