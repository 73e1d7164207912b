"""Writes through the workspace are saved, undoable and broadcast with what they changed."""

from __future__ import annotations

from desktop.dto import Changes, Target
from desktop.services import entities, review
from tests.factories import seed_article


def test_mention_edit_broadcasts_document_and_mention_also_on_undo(workspace, qtbot):
    ids = seed_article(workspace.case)
    seen: list[Changes] = []
    workspace.changed.connect(seen.append)
    case, kiew = workspace.case, ids["Kiew"]
    command = workspace.edit_mentions("accept Kiew", lambda: review.accept(case, kiew))
    assert command.error is None
    assert seen[-1].documents == {ids["document"]} and kiew in seen[-1].mentions
    workspace.undo_stack.undo()
    assert len(seen) == 2 and kiew in seen[-1].mentions
    with case.reading() as session:
        from db.models import Mention

        assert session.get(Mention, kiew).status == "suggested"


def test_call_edit_broadcasts_the_changes_it_was_given(workspace):
    ids = seed_article(workspace.case)
    seen: list[Changes] = []
    workspace.changed.connect(seen.append)
    case, target = workspace.case, Target("document", ids["document"])
    workspace.edit("note", lambda: entities.add_note(case, target, "Quelle prüfen"),
                   lambda row: entities.delete_note(case, row.id))
    assert seen == [Changes(notes=True)]
    assert [n.text for n in entities.list_notes(case, target)] == ["Quelle prüfen"]


def test_failed_write_is_reported_and_leaves_no_undo_step(workspace):
    errors: list[str] = []
    workspace.error.connect(errors.append)
    case = workspace.case
    workspace.edit_mentions("accept", lambda: review.accept(case, 999))
    assert errors and workspace.undo_stack.count() == 0


def test_background_write_broadcasts_when_done(workspace):
    seen: list[Changes] = []
    workspace.changed.connect(seen.append)
    workspace.run("count", lambda: 3, writes=True, changes=Changes(document_list=True))
    workspace.run("read", lambda: 4)
    assert seen == [Changes(document_list=True)]
