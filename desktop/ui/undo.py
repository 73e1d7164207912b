"""Undo commands that call the review and entity services, for the window's QUndoStack.

Review actions are single small transactions (a few ms, measured by scripts/bench_review.py
on a 300,000-mention case), so commands call the services directly on the main thread. A call
that fails (a ReviewError, or the database refusing the write) is shown to the analyst and its
command leaves the stack, so the stack never claims work that was not saved. When another
analyst changed the same thing first (a ConflictError), ``on_conflict`` gets what to show again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from desktop.dto import Changes, MentionChange, RelationRow
from desktop.services import relations, review
from desktop.services.case import Case, ConflictError
from desktop.services.review import ReviewError

T = TypeVar("T")
Listener = Callable[[Any], None]
ErrorListener = Callable[[str], None]


class MentionCommand(QUndoCommand):
    """A review action on mentions: done once, then undone and redone from its snapshots.

    Replaying snapshots (not the action) keeps mention ids stable, so later commands on the
    stack that name a split-off or re-created mention still find it.
    """

    def __init__(
        self,
        text: str,
        case: Case,
        action: Callable[[], MentionChange],
        on_change: Listener | None = None,
        on_error: ErrorListener | None = None,
        on_conflict: Listener | None = None,
    ) -> None:
        super().__init__(text)
        self.case = case
        self.action = action
        self.change: MentionChange | None = None
        self.on_change = on_change
        self.on_error = on_error
        self.on_conflict = on_conflict
        self.error: str | None = None
        # Set by the review queue: where the decided item was, so undo can go back to it.
        self.queue_position: int | None = None

    def redo(self) -> None:
        """Do the action the first time; replay its after-state afterwards."""
        try:
            if self.change is None:
                self.change = self.action()
                now = self.change
            else:
                now = review.reapply_mentions(self.case, self.change)
        except Exception as exc:  # noqa: BLE001 - any failed save must reach the analyst
            _failed(self, exc)
            return
        if self.on_change:
            self.on_change(now)

    def undo(self) -> None:
        """Put the mentions back as they were before the action."""
        if self.change is None:
            return
        try:
            now = review.restore_mentions(self.case, self.change)
        except Exception as exc:  # noqa: BLE001
            _failed(self, exc)
            return
        if self.on_change:
            self.on_change(now)


def _failed(command: MentionCommand | CallCommand, exc: Exception) -> None:
    """Record and show a failed call; an obsolete command is dropped by QUndoStack."""
    message = str(exc) if isinstance(exc, ReviewError) else f"Not saved: {exc}"
    command.error = message
    command.setObsolete(True)
    if command.on_error:
        command.on_error(message)
    if isinstance(exc, ConflictError) and command.on_conflict:
        command.on_conflict(exc.changes if exc.changes is not None else Changes.everything())


class FirstTime(Generic[T]):
    """A value the first call gives, then None.

    For the versions the analyst saw: the first run of an action checks them; its redo after
    an undo replays this window's own edit.
    """

    def __init__(self, value: T) -> None:
        self._value: T | None = value

    def __call__(self) -> T | None:
        """Return the value once, then None."""
        value, self._value = self._value, None
        return value


class CallCommand(QUndoCommand, Generic[T]):
    """An action whose undo is another service call (entity edits, notes, tags).

    Redo after undo runs the action again; ``done`` gets each result, ``undone`` each undo.
    """

    def __init__(
        self,
        text: str,
        do: Callable[[], T],
        undo: Callable[[T], Any],
        done: Listener | None = None,
        undone: Listener | None = None,
        on_error: ErrorListener | None = None,
        on_conflict: Listener | None = None,
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self.done = done
        self.undone = undone
        self.on_error = on_error
        self.on_conflict = on_conflict
        self.result: T | None = None
        self.error: str | None = None

    def redo(self) -> None:
        """Run the action."""
        try:
            self.result = self._do()
        except Exception as exc:  # noqa: BLE001 - any failed save must reach the analyst
            _failed(self, exc)
            return
        if self.done:
            self.done(self.result)

    def undo(self) -> None:
        """Run the inverse call with the action's result."""
        if self.result is None:
            return
        try:
            outcome = self._undo(self.result)
        except Exception as exc:  # noqa: BLE001
            _failed(self, exc)
            return
        if self.undone:
            self.undone(outcome)


def add_relation_command(
    case: Case,
    add: Callable[[], RelationRow],
    changed: Listener | None = None,
    on_error: ErrorListener | None = None,
) -> CallCommand[RelationRow]:
    """Add an analyst relation; undo removes it, redo puts it back under the same id."""
    saved: list[RelationRow] = []

    def do() -> RelationRow:
        row = relations.restore_relation(case, saved[0]) if saved else add()
        saved[:] = [row]
        return row

    return CallCommand(
        "Add relation", do, lambda row: relations.remove_relation(case, row.id),
        done=changed, undone=changed, on_error=on_error,
    )


def remove_relation_command(
    case: Case,
    relation_id: int,
    changed: Listener | None = None,
    on_error: ErrorListener | None = None,
) -> CallCommand[RelationRow]:
    """Remove an analyst relation; undo restores it with its id, evidence and author."""
    return CallCommand(
        "Remove relation", lambda: relations.remove_relation(case, relation_id),
        lambda row: relations.restore_relation(case, row),
        done=changed, undone=changed, on_error=on_error,
    )
