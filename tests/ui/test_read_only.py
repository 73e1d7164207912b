"""A reader of a case on a server sees the window in read-only mode: nothing offers an edit."""

from __future__ import annotations

import pytest
from pg import as_user
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import AuditEntry
from desktop.app import build_main_window
from desktop.services import review_queue
from desktop.services.case import open_case
from tests.factories import seed_article


@pytest.fixture
def seeded_team_case(team_url):
    owner = open_case(team_url, actor="admin")
    ids = seed_article(owner)
    owner.close()
    return team_url, ids


def open_window(qtbot, url: str, settings):
    window = build_main_window(url, settings, inline_tasks=True, with_map=False)
    qtbot.addWidget(window)
    window.show()
    return window


def edit_controls(window) -> list:
    """Every control of the window that changes the case."""
    queue, entities, notes = window.review_panel, window.entity_panel, window.notes_panel
    return [*window.editing_actions(), *queue.editing_widgets(), *entities.buttons.values(),
            entities.name_edit, notes.editor, notes.tag_edit,
            window.document_panel.extract_button, window.document_panel.language_box,
            window.link_chart_panel.relation_button]


def audit_actions(url: str) -> list[str]:
    case = open_case(url)
    try:
        with case.reading() as session:
            return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    finally:
        case.close()


def test_a_reader_gets_a_read_only_window_where_a_decision_key_changes_nothing(
        qtbot, seeded_team_case, settings):
    url, ids = seeded_team_case
    window = open_window(qtbot, as_user(url, "rita"), settings)
    try:
        assert "(read-only)" in window.windowTitle()
        assert window.read_only_label.isVisible()
        assert [a.text() for a in window.editing_actions() if a.isEnabled()] == []
        assert [c for c in edit_controls(window) if c.isEnabled()] == []
        queue = window.review_panel
        queue.load(ids["document"])
        mention = queue.current().mention
        for key in (Qt.Key.Key_A, Qt.Key.Key_X, Qt.Key.Key_1, Qt.Key.Key_F):
            queue.setFocus()
            qtbot.keyClick(queue, key)
        window.import_actions.paste.trigger()  # its shortcut does nothing either
        state = review_queue.mention_states(window.workspace.case, [mention.id])[0]
        assert (state.status, state.label, state.flagged) == ("suggested", mention.label, False)
        assert queue.current().mention.id == mention.id  # still the same mention shown
        assert "read-only" in queue.message_label.text()
        assert window.workspace.undo_stack.count() == 0
        assert audit_actions(url) == ["server.init"]
    finally:
        window.close()


def test_an_analyst_on_the_same_server_can_edit(qtbot, seeded_team_case, settings):
    url, ids = seeded_team_case
    window = open_window(qtbot, as_user(url, "anna"), settings)
    try:
        assert "read-only" not in window.windowTitle()
        assert not window.read_only_label.isVisible()
        assert all(c.isEnabled() for c in edit_controls(window))
        queue = window.review_panel
        queue.load(ids["document"])
        queue.setFocus()
        qtbot.keyClick(queue, Qt.Key.Key_A)
        assert audit_actions(url)[-1] == "mention.accept"
    finally:
        window.close()
