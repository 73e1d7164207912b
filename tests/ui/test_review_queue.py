"""Driving the review queue with keys stores decisions, audits them, and undoes them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from db.models import AuditEntry, Mention, Note
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.review_queue import ReviewQueueWidget
from tests.factories import DATA, seed_article

ARTICLE = (DATA / "review_article_de.txt").read_text(encoding="utf-8")
BODY = ARTICLE.index("\n\n")
# Queue order is least confident first, unscored last.
SEED = [
    ("Olaf Scholz", "PER", 0.95), ("Kiew", "LOC", 0.5), ("Wolodymyr Selenskyj", "PER", None),
    ("Bundesregierung", "ORG", 0.3), ("dpa", "ORG", 0.2), ("Scholz", "PER", 0.6),
    ("Vereinten Nationen", "ORG", 0.4), ("Berlin", "LOC", 0.45),
]


def seed(case, text: str = ARTICLE, sha: str = "d" * 64) -> dict[str, int]:
    return seed_article(case, text, sha, SEED)


def state(case, mention_id: int) -> tuple[str, str, bool] | None:
    with case.reading() as session:
        m = session.get(Mention, mention_id)
        return (m.status, m.label, m.flagged) if m else None


def audit_actions(case) -> list[str]:
    with case.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def ids(case):
    return seed(case)


@pytest.fixture
def queue(qtbot, case, ids):
    stack = QUndoStack()
    widget = ReviewQueueWidget(case, TaskRunner(inline=True), stack)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(ids["document"])
    widget.setFocus()
    widget.stack = stack  # keep the stack alive with the widget
    return widget


def shown(queue) -> str:
    return queue.current().mention.text


def test_queue_starts_with_the_least_confident_and_counts(queue):
    assert shown(queue) == "dpa"
    assert "8 left" in queue.progress_label.text()
    assert "Nachrichtenagentur" in queue.sentence_label.text()


def test_keys_accept_reject_skip_and_store(qtbot, queue, case, ids):
    with qtbot.waitSignal(queue.document_changed) as changed:
        qtbot.keyClick(queue, Qt.Key.Key_A)
    assert changed.args == [ids["document"]]
    qtbot.keyClick(queue, Qt.Key.Key_X)
    qtbot.keyClick(queue, Qt.Key.Key_Space)
    assert state(case, ids["dpa"])[0] == "accepted"
    assert state(case, ids["Bundesregierung"])[0] == "rejected"
    assert state(case, ids["Vereinten Nationen"])[0] == "suggested"
    assert shown(queue) == "Berlin" and "6 left" in queue.progress_label.text()
    assert audit_actions(case) == ["mention.accept", "mention.reject"]


def test_backspace_undoes_the_last_decision_and_shows_it_again(qtbot, queue, case, ids):
    qtbot.keyClick(queue, Qt.Key.Key_A)
    qtbot.keyClick(queue, Qt.Key.Key_X)
    qtbot.keyClick(queue, Qt.Key.Key_Backspace)
    assert state(case, ids["Bundesregierung"])[0] == "suggested"
    assert shown(queue) == "Bundesregierung"
    queue.stack.redo()
    assert state(case, ids["Bundesregierung"])[0] == "rejected"
    assert audit_actions(case) == ["mention.accept", "mention.reject",
                                   "undo:mention.reject", "redo:mention.reject"]


def test_digit_relabels_and_keeps_the_mention_shown(qtbot, queue, case, ids):
    qtbot.keyClick(queue, Qt.Key.Key_4)
    assert state(case, ids["dpa"]) == ("suggested", "MISC", False)
    assert shown(queue) == "dpa" and "MISC" in queue.info_label.text()
    qtbot.keyClick(queue, Qt.Key.Key_Backspace)
    assert state(case, ids["dpa"])[1] == "ORG"


def test_flag_and_note_keys(qtbot, queue, case, ids):
    qtbot.keyClick(queue, Qt.Key.Key_F)
    assert state(case, ids["dpa"])[2] is True and "flagged" in queue.info_label.text()
    qtbot.keyClick(queue, Qt.Key.Key_N)
    assert queue.note_edit.isVisible()
    queue.note_edit.setText("Agentur prüfen")  # keyClicks only types ASCII
    qtbot.keyClick(queue.note_edit, Qt.Key.Key_Return)
    with case.reading() as session:
        note = session.scalars(select(Note)).one()
    assert (note.text, note.mention_id) == ("Agentur prüfen", ids["dpa"])
    queue.stack.undo()
    with case.reading() as session:
        assert session.scalars(select(Note)).all() == []


def test_span_editor_adjusts_boundaries(qtbot, queue, case, ids):
    qtbot.keyClick(queue, Qt.Key.Key_E)
    assert queue.span_editor.isVisible()
    start = ARTICLE.index("Nachrichtenagentur dpa")
    queue.start_spin.setValue(start)
    queue.apply_span()
    with case.reading() as session:
        assert session.get(Mention, ids["dpa"]).text == "Nachrichtenagentur dpa"
    assert not queue.span_editor.isVisible()
    queue.start_spin.setValue(0)
    queue.end_spin.setValue(len(ARTICLE) + 10)
    queue.apply_span()
    assert "outside the document" in queue.message_label.text()
    assert queue.stack.count() == 1


def test_shift_applies_to_identical_mentions_in_other_documents(qtbot, case, ids):
    other = seed(case, ARTICLE + "\nNachtrag.", sha="e" * 64)
    stack = QUndoStack()
    widget = ReviewQueueWidget(case, TaskRunner(inline=True), stack)
    qtbot.addWidget(widget)
    widget.load(ids["document"])
    qtbot.keyClick(widget, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert state(case, other["dpa"])[0] == "rejected"
    assert widget.current().mention.text == "Bundesregierung"
    stack.undo()
    assert state(case, other["dpa"])[0] == "suggested"


def test_help_key_shows_every_key(qtbot, queue):
    assert not queue.help_label.isVisible()
    qtbot.keyClick(queue, Qt.Key.Key_H)
    assert queue.help_label.isVisible() and "backspace" in queue.help_label.text()


def test_queue_empties_and_says_so(qtbot, queue):
    for _ in range(len(SEED)):
        qtbot.keyClick(queue, Qt.Key.Key_A)
    assert queue.current() is None and "0 left" in queue.progress_label.text()
    assert "Nothing left" in queue.sentence_label.text()
