"""Mention colours stay on their mentions when the view moves to another document."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from desktop.dto import DocumentDetail, MentionRow
from desktop.ui.widgets.document_view import DocumentView

FIRST = "Moskau meldet Angriffe auf Kursk am Montag.\n"
SECOND = "Ein ruhiger Tag ohne besondere Vorkommnisse in der Stadt.\n"


def _detail(doc_id: int, text: str) -> DocumentDetail:
    return DocumentDetail(doc_id, f"Doc {doc_id}", text, "de", "detected", None, None, None,
                          None, "0" * 64, None)


def _mention(mid: int, doc_id: int, text: str, word: str, status: str) -> MentionRow:
    start = text.index(word)
    return MentionRow(mid, doc_id, start, start + len(word), word, "LOC", status, "model", 0.5,
                      None, None, None)


def _plain_format(view: DocumentView, offset: int):
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_qt(offset) + 1)
    return cursor.charFormat()


def test_next_document_is_plain_after_a_mention_was_selected(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    kursk = _mention(1, 1, FIRST, "Kursk", "suggested")
    view.show_document(_detail(1, FIRST), [kursk])
    # What an accept or an added mention leaves behind: the view's cursor on the mention.
    view.select_span(kursk.start, kursk.end)
    view.show_document(_detail(2, SECOND), [_mention(2, 2, SECOND, "Stadt", "accepted")])
    plain = _plain_format(view, SECOND.index("ruhiger"))
    assert plain.background().style().name == "NoBrush"
    assert plain.underlineStyle().name == "NoUnderline"
    stadt = _plain_format(view, SECOND.index("Stadt"))
    assert stadt.background().style().name != "NoBrush"


def test_reloading_the_same_document_keeps_plain_text_plain(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    kursk = _mention(1, 1, FIRST, "Kursk", "suggested")
    view.show_document(_detail(1, FIRST), [kursk])
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(kursk.start + 2))  # a click inside the mention, no selection
    view.setTextCursor(cursor)
    view.show_document(_detail(1, FIRST), [])
    for word in ("Moskau", "Kursk", "Montag"):
        assert _plain_format(view, FIRST.index(word)).background().style().name == "NoBrush"
