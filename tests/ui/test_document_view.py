"""Labelling text in the document view: keys and clicks map to stored offsets exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu
from sqlalchemy import select

from db.models import AuditEntry, Mention
from desktop.app import build_main_window

TEXT = (
    "Lagebericht 🚀 aus Charkiw\n\n"
    "Der Gouverneur Oleh Synjehubow meldet neue Angriffe. 🙏 Kiew schweigt.\n"
)


def mention_rows(window):
    return window.document_panel.mentions.all_rows()


@pytest.fixture
def window(qtbot, case_path, settings):
    win = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(win)
    win.show()
    win.import_actions.import_text(TEXT)
    yield win
    win.close()


def _select(view, start: int, end: int) -> None:
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(start))
    cursor.setPosition(view.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def test_number_key_labels_the_selection_and_undo_removes_it(window, qtbot):
    view = window.document_panel.view
    start = TEXT.index("Kiew schweigt")
    _select(view, start, start + len("Kiew schweigt"))
    assert view.textCursor().selectedText() == "Kiew schweigt"  # emoji before it is counted
    qtbot.keyClick(view, Qt.Key.Key_3)
    with window.workspace.case.reading() as session:
        added = session.scalars(select(Mention).where(Mention.origin == "analyst")).one()
        assert (added.text, added.label, added.status) == ("Kiew schweigt", "LOC", "accepted")
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "mention.add"))
            .one()
            .target_id
            == added.id
        )
    window.workspace.undo_stack.undo()
    with window.workspace.case.reading() as session:
        assert session.scalars(select(Mention).where(Mention.origin == "analyst")).all() == []


def test_labelling_a_suggested_span_accepts_the_suggestion(window, qtbot):
    view = window.document_panel.view
    person = next(m for m in mention_rows(window) if m.text == "Oleh Synjehubow")
    assert person.status == "suggested"
    _select(view, person.start, person.end)
    qtbot.keyClick(view, Qt.Key.Key_1)
    again = next(m for m in mention_rows(window) if m.id == person.id)
    assert again.status == "accepted"
    assert sum(m.text == "Oleh Synjehubow" for m in mention_rows(window)) == 1
    window.workspace.undo_stack.undo()
    assert next(m for m in mention_rows(window) if m.id == person.id).status == "suggested"


def test_clicking_a_highlighted_mention_selects_it_in_the_table(window, qtbot):
    view = window.document_panel.view
    kiew = next(m for m in mention_rows(window) if m.text == "Kiew")
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(kiew.start + 1))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    selected = window.document_panel.table.selectionModel().selectedRows()
    assert (
        selected
        and window.document_panel.mentions.row_at(
            window.document_panel.proxy.mapToSource(selected[0]).row()).id
        == kiew.id
    )


def _texts(window, *ids: int) -> list[str]:
    rows = {m.id: m.text for m in mention_rows(window)}
    return [rows.get(i) for i in ids]


def _menu_action(view, mention, offset: int, prefix: str):
    menu = QMenu(view)
    view.add_span_actions(menu, mention, offset)
    return next(a for a in menu.actions() if a.text().startswith(prefix))


def test_context_menu_splits_a_mention_and_joins_it_back_with_undo(window, qtbot):
    view = window.document_panel.view
    person = next(m for m in mention_rows(window) if m.text == "Oleh Synjehubow")
    _menu_action(view, person, person.start + len("Oleh "), "Split").trigger()
    right = next(m for m in mention_rows(window)
                 if m.text == "Synjehubow" and m.origin == "analyst")
    assert _texts(window, person.id, right.id) == ["Oleh", "Synjehubow"]
    left = next(m for m in mention_rows(window) if m.id == person.id)
    join = _menu_action(view, left, left.start + 1, "Join")
    assert join.isEnabled() and "Synjehubow" in join.text()
    join.trigger()
    assert _texts(window, person.id, right.id) == ["Oleh Synjehubow", None]
    window.workspace.undo_stack.undo()  # the join
    assert _texts(window, person.id, right.id) == ["Oleh", "Synjehubow"]
    window.workspace.undo_stack.undo()  # the split
    assert _texts(window, person.id, right.id) == ["Oleh Synjehubow", None]
    with window.workspace.case.reading() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "mention.split" in actions and "mention.join" in actions


def test_legend_shows_every_label_in_the_colour_its_mentions_get(window):
    view = window.document_panel.view
    kiew = next(m for m in mention_rows(window) if m.text == "Kiew")
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(kiew.start) + 1)
    shown = cursor.charFormat().background().color()
    chips = window.document_panel.legend.chips
    assert list(chips) == ["PER", "ORG", "LOC", "MISC", "DATE", "QUANTITY"]
    assert shown.name() in chips[kiew.label].styleSheet()
    assert len({chip.styleSheet() for chip in chips.values()}) == 6
