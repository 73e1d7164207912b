"""The open case with everything panels share: settings, tasks, undo, analysis and signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from desktop.dto import Changes, MentionChange, Progress
from desktop.services import live
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import Case, ReadOnlyError
from desktop.services.case_pipelines import provider_for_case
from desktop.settings import Settings
from desktop.ui.tasks import Task, TaskRunner
from desktop.ui.undo import CallCommand, MentionCommand

T = TypeVar("T")


class HasChanges(Protocol):
    """A service result that says what it changed."""

    @property
    def changes(self) -> Changes:
        """What the write changed."""
        ...


ChangesOf = Changes | Callable[[Any], Changes] | None
READ_ONLY = "this case is read-only for you (a reader)"


def _refuse(*_: Any) -> Any:
    """Stand in for a write of a reader: the window never asks the server to refuse it."""
    raise ReadOnlyError(READ_ONLY)


def _changes_of(result: Any, given: ChangesOf) -> Changes:
    if isinstance(given, Changes):
        return given
    if given is not None:
        return given(result)
    carried: Changes | None = getattr(result, "changes", None)
    return carried if carried is not None else Changes()


class Workspace(QObject):
    """What every panel and action works on; writes go through it and are broadcast.

    Signals:
        case_opened(object): another Case is open (the undo history was cleared).
        document_opened(int, int, int): document id, start and end of a span to select
            (start < 0: none); -1 as id when no document is shown.
        document_shown(object, object): the DocumentDetail and its list of MentionRow, as
            the document panel shows them after loading (None, [] when nothing is shown).
        mention_selected(int, int): a mention was chosen (table, text, queue), with its
            entity id (-1: none).
        entity_selected(int): an entity was chosen (entity list, map, search).
        changed(object): a Changes value after every write, its undo and redo.
        error(str): a write or a task failed; the text is for the analyst.
        message(str): a short status text for the status bar.
    """

    case_opened = Signal(object)
    document_opened = Signal(int, int, int)
    document_shown = Signal(object, object)
    mention_selected = Signal(int, int)
    entity_selected = Signal(int)
    changed = Signal(object)
    error = Signal(str)
    message = Signal(str)

    def __init__(self, case: Case, settings: Settings, tasks: TaskRunner,
                 analysis: AnalyzerProvider, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.settings = settings
        self.tasks = tasks
        self.analysis = analysis
        self.undo_stack = QUndoStack(self)
        settings.add_recent_case(case.location)
        self._listener: Task | None = None
        self._listen()
        self.document_id: int | None = None
        self.mention_id: int | None = None
        self.entity_id: int | None = None
        # (document id, start, end) of the text the analyst selected in the document view.
        self.text_selection: tuple[int, int, int] | None = None

    @property
    def read_only(self) -> bool:
        """True when the analyst may only read the open case (a reader on a case server)."""
        return self.case.read_only

    # -- navigation ---------------------------------------------------------------------------
    def open_case(self, case: Case) -> None:
        """Work on another case (the caller closed the old one)."""
        self.undo_stack.clear()
        self.case = case
        self.document_id = self.mention_id = self.entity_id = None
        self.settings.add_recent_case(case.location)
        self.use_case_pipelines()
        self._listen()
        self.case_opened.emit(case)

    def open_document(self, document_id: int | None, start: int = -1, end: int = -1) -> None:
        """Show a document, optionally selecting a span of its text."""
        self.document_id = document_id
        self.document_opened.emit(-1 if document_id is None else document_id, start, end)

    def select_mention(self, mention_id: int, entity_id: int | None = None) -> None:
        """Choose a mention (and quietly its entity) everywhere it is shown."""
        self.mention_id = mention_id
        self.mention_selected.emit(mention_id, -1 if entity_id is None else entity_id)

    def select_entity(self, entity_id: int) -> None:
        """Choose an entity everywhere it is shown."""
        self.entity_id = entity_id
        self.entity_selected.emit(entity_id)

    # -- writes -------------------------------------------------------------------------------
    def edit_mentions(self, text: str, action: Callable[[], MentionChange]) -> MentionCommand:
        """Run a review action through the undo stack; broadcast its changes (undo too).

        A reader's action is refused here (``error`` says the case is read-only).

        When another analyst changed the mentions first, nothing is saved, the error names
        their state now, and the panels showing them are told to read them again.

        Returns:
            The pushed command; its ``error`` is set when the save failed.
        """
        command = MentionCommand(text, self.case, _refuse if self.read_only else action,
                                 lambda change: self.changed.emit(change.changes),
                                 self.error.emit, self.changed.emit)
        self.undo_stack.push(command)
        return command

    def edit(self, text: str, do: Callable[[], T], undo: Callable[[T], Any], *,
             changes: ChangesOf = None) -> CallCommand[T]:
        """Run an undoable service call; broadcast what it changed, also on undo and redo.

        Args:
            text: Name of the action in Edit > Undo.
            do: The service call; its result carries ``changes`` unless given here.
            undo: The inverse call, given the result of ``do``.
            changes: What changed, or a function of the result giving it.
        """
        holder: dict[str, Changes] = {}

        def done(result: T) -> None:
            holder["changes"] = _changes_of(result, changes)
            self.changed.emit(holder["changes"])

        command: CallCommand[T] = CallCommand(
            text, _refuse if self.read_only else do, undo, done=done,
            undone=lambda _: self.changed.emit(holder.get("changes", Changes())),
            on_error=self.error.emit, on_conflict=self.changed.emit)
        self.undo_stack.push(command)
        return command

    def run(self, name: str, body: Callable[[], Any], *, writes: bool = False,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[str], None] | None = None,
            on_progress: Callable[[Progress], None] | None = None,
            on_cancel: Callable[[], None] | None = None,
            changes: ChangesOf = None) -> Task:
        """Run work in the background; a write broadcasts what it changed when it ends.

        A reader's write is refused: ``on_error`` (or ``error``) says the case is read-only.

        A cancelled write broadcasts ``changes`` (or everything), as part of it is saved.
        """
        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            if writes:
                self.changed.emit(_changes_of(result, changes))

        def cancelled() -> None:
            if on_cancel is not None:
                on_cancel()
            if writes:
                self.changed.emit(changes if isinstance(changes, Changes)
                                  else Changes.everything())

        if writes and self.read_only:
            body = _refuse
        return self.tasks.start(name, body, on_done=done,
                                on_error=on_error or self.error.emit,
                                on_progress=on_progress, on_cancel=cancelled, writes=writes)

    def broadcast(self, changes: Changes) -> None:
        """Tell every panel about a change made outside ``edit`` and ``run``."""
        self.changed.emit(changes)

    def _listen(self) -> None:
        """Broadcast the changes other analysts commit to a shared case (none for a file)."""
        if self._listener is not None:
            self._listener.cancel()
        case, holder = self.case, {}

        def stopped() -> bool:
            task = holder.get("task")
            return task is not None and task.cancel_requested.is_set()

        # The change events arrive as the task's progress, on the main thread.
        holder["task"] = self._listener = self.tasks.start(
            "Changes by other analysts", lambda: live.watch(case, stopped),
            on_progress=lambda change: self.changed.emit(change.changes),
            on_error=self.error.emit, listens=True)

    def set_analysis(self, analysis: AnalyzerProvider) -> None:
        """Use other pipelines from the next extraction on."""
        self.analysis = analysis

    def use_case_pipelines(self) -> None:
        """Extract with the case's adopted pipelines (and the chosen ones) from now on."""
        self.set_analysis(provider_for_case(self.case, self.settings.pipelines, lazy=True))
