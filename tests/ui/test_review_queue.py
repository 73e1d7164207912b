"""Driving the review queue with keys stores decisions, audits them, and undoes them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import AuditEntry, Mention, Note
from desktop.ui.panels.review_queue import ReviewQueueWidget
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
def queue(qtbot, workspace, ids):
    widget = ReviewQueueWidget(workspace)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(ids["document"])
    widget.setFocus()
    widget.stack = workspace.undo_stack
    return widget


def shown(queue) -> str:
    return queue.current().mention.text


def test_queue_starts_with_the_least_confident_and_counts(queue):
    assert shown(queue) == "dpa"
    assert "8 left" in queue.progress_label.text()
    assert "Nachrichtenagentur" in queue.sentence_label.text()


def test_keys_accept_reject_skip_and_store(qtbot, queue, case, ids):
    with qtbot.waitSignal(queue.workspace.changed) as changed:
        qtbot.keyClick(queue, Qt.Key.Key_A)
    assert changed.args[0].documents == {ids["document"]}
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


def test_span_edges_move_with_arrow_keys_and_enter_saves(qtbot, queue, case, ids):
    qtbot.keyClick(queue, Qt.Key.Key_E)
    assert queue.span_editor.isVisible() and "Enter saves" in queue.span_editor.text()
    for _ in range(len("Nachrichtenagentur ")):
        qtbot.keyClick(queue, Qt.Key.Key_Left)
    assert "<u>Nachrichtenagentur dpa</u>" in queue.span_editor.text()
    qtbot.keyClick(queue, Qt.Key.Key_Return)
    with case.reading() as session:
        assert session.get(Mention, ids["dpa"]).text == "Nachrichtenagentur dpa"
    assert not queue.span_editor.isVisible()
    queue.apply_span(0, len(ARTICLE) + 10)
    assert "outside the document" in queue.message_label.text()
    assert queue.stack.count() == 1


def test_span_takes_the_words_selected_in_the_text(qtbot, queue, case, ids):
    start = ARTICLE.index("Nachrichtenagentur dpa")
    qtbot.keyClick(queue, Qt.Key.Key_E)
    queue.workspace.text_selection = (ids["document"], start, start + len("Nachrichtenagentur"))
    qtbot.keyClick(queue, Qt.Key.Key_Return)
    with case.reading() as session:
        assert session.get(Mention, ids["dpa"]).text == "Nachrichtenagentur"


def test_key_bar_and_buttons_are_always_shown(qtbot, queue, case, ids):
    assert queue.key_bar.isVisible() and "accept" in queue.key_bar.text()
    accept = next(queue.buttons.itemAt(i).widget() for i in range(queue.buttons.count())
                  if queue.buttons.itemAt(i).widget() is not None
                  and queue.buttons.itemAt(i).widget().text() == "Accept")
    accept.click()
    assert state(case, ids["dpa"])[0] == "accepted"


def test_shift_applies_to_identical_mentions_in_other_documents(qtbot, workspace, case, ids):
    other = seed(case, ARTICLE + "\nNachtrag.", sha="e" * 64)
    widget = ReviewQueueWidget(workspace)
    qtbot.addWidget(widget)
    widget.load(ids["document"])
    qtbot.keyClick(widget, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert state(case, other["dpa"])[0] == "rejected"
    assert widget.current().mention.text == "Bundesregierung"
    workspace.undo_stack.undo()
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


def test_a_title_with_quotes_and_angle_brackets_shows_as_written(qtbot, workspace, case):
    # The title went through an HTML escape into a label that took it for plain text, so
    # the analyst read "Russia&#x27;s".
    title = "Russia's <b>front</b> & Kursk"
    ids = seed(case, f"{title}\n\nOlaf Scholz und Kiew. Wolodymyr Selenskyj, Bundesregierung, "
                     "dpa, Scholz, Vereinten Nationen, Berlin.", sha="e" * 64)
    widget = ReviewQueueWidget(workspace)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(ids["document"])
    assert widget.title_label.text() == title
    assert widget.title_label.textFormat() == Qt.TextFormat.PlainText
