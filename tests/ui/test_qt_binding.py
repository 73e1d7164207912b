"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 did not, on 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat

from desktop.dto import DocumentDetail, MentionRow
from desktop.ui.widgets.document_view import DocumentView


def test_void_qt_calls_do_not_eat_references_to_none(qapp):
    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for _ in range(500):  # few enough that a broken binding fails here instead of aborting
        fmt.setToolTip("x")
    assert sys.getrefcount(None) > before - 50


def test_a_document_with_thousands_of_mentions_is_highlighted(qtbot):
    unit = "Die Lage in Kiew bleibt angespannt, sagte der Sprecher in Moskau am Montag. "
    text = unit * 3000
    mentions = []
    for i in range(3000):
        at = i * len(unit)
        mentions += [
            MentionRow(2 * i, 1, at + 12, at + 16, "Kiew", "LOC", "suggested", "model", 0.5,
                       None, None, None),
            MentionRow(2 * i + 1, 1, at + 59, at + 65, "Moskau", "LOC", "accepted", "model",
                       0.9, None, None, None),
        ]
    view = DocumentView()
    qtbot.addWidget(view)
    view.show_document(DocumentDetail(1, "Lage", text, "de", "detected", None, None, None, None,
                                      "0" * 64, None), mentions)
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(len(text) - len(unit) + 60))
    assert cursor.charFormat().background().color().alpha() == 255  # last Moskau, accepted
    assert view.toPlainText() == text
