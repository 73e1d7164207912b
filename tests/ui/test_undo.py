"""A save that fails leaves no command on the undo stack and tells the analyst why."""

from __future__ import annotations

import sqlite3

from PySide6.QtGui import QUndoStack

from desktop.ui.undo import CallCommand, MentionCommand


def _locked() -> None:
    raise sqlite3.OperationalError("database is locked")


def test_a_write_the_database_refuses_is_reported_and_not_left_on_the_stack(qtbot, case):
    stack, errors = QUndoStack(), []
    stack.push(MentionCommand("Accept", case, _locked, on_error=errors.append))
    stack.push(CallCommand("Rename", _locked, lambda _: None, on_error=errors.append))
    assert stack.count() == 0 and not stack.canUndo()
    assert errors == ["Not saved: database is locked"] * 2



def test_an_undo_the_database_refuses_is_reported_and_dropped(qtbot):
    stack, errors, done = QUndoStack(), [], []
    stack.push(CallCommand("Tag", lambda: 7, lambda _: _locked(), done=done.append,
                           on_error=errors.append))
    assert done == [7] and stack.count() == 1
    stack.undo()
    assert errors == ["Not saved: database is locked"] and stack.count() == 0
