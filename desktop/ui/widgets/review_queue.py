"""The review queue: one suggested mention at a time, decided with single keys."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import MentionChange, MentionRow, ReviewBatch, ReviewItem, Target
from desktop.services import entities, review
from desktop.services.case import Case
from desktop.ui.labels import LABELS, label_color
from desktop.ui.tasks import TaskRunner
from desktop.ui.undo import CallCommand, MentionCommand

KEYS_HELP = (
    "<b>a</b> accept · <b>x</b> reject · <b>space</b> skip · <b>backspace</b> undo last · "
    "<b>1–6</b> relabel " + " ".join(f"{i}={lab}" for i, lab in enumerate(LABELS, 1))
    + " · <b>e</b> adjust span · <b>n</b> note · <b>f</b> flag · <b>h</b>/<b>F1</b> these keys"
    "<br>Hold <b>Shift</b> with a, x or 1–6 (or tick the box) to apply to every identical "
    "mention in the case (same text and label)."
)
_DIGITS = {getattr(Qt.Key, f"Key_{i}"): label for i, label in enumerate(LABELS, 1)}
BATCH = 100


class ReviewQueueWidget(QWidget):
    """Shows the least confident suggested mention with its sentence; keys decide it.

    Signals:
        mention_selected(int): the mention now shown.
        open_mention(int, int, int): document id, start and end of the mention now shown.
        document_changed(int): the stored mentions of this document changed.
    """

    mention_selected = Signal(int)
    open_mention = Signal(int, int, int)
    document_changed = Signal(int)

    def __init__(self, case: Case, tasks: TaskRunner, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case, self.tasks, self.undo_stack = case, tasks, undo_stack
        self.document_id: int | None = None
        self._shown_document: int | None = None
        self._items: list[ReviewItem] = []
        self._pos = 0
        self._skipped: list[int] = []
        self._remaining = 0
        self._error: str | None = None
        self._build()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.progress_label = QLabel()
        self.scope_box = QCheckBox("Only the document shown")
        self.scope_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scope_box.toggled.connect(
            lambda only: self.load(self._shown_document if only else None))
        self.title_label = QLabel()
        self.sentence_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.sentence_label.setMinimumHeight(60)
        self.info_label = QLabel()
        self.identical_box = QCheckBox("Apply to all identical mentions in the case (Shift)")
        self.identical_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message_label = QLabel(wordWrap=True)
        self.help_label = QLabel(KEYS_HELP, wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.help_label.hide()
        self.start_spin, self.end_spin = QSpinBox(), QSpinBox()
        for spin in (self.start_spin, self.end_spin):
            spin.setRange(0, 2**31 - 1)
        apply_span = QPushButton("Apply span")
        apply_span.clicked.connect(self.apply_span)
        self.span_editor = QWidget()
        row = QHBoxLayout(self.span_editor)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("Start"), self.start_spin, QLabel("End"), self.end_spin, apply_span):
            row.addWidget(widget)
        self.span_editor.hide()
        self.note_edit = QLineEdit(placeholderText="Note on this mention; Enter saves, Esc cancels")
        self.note_edit.returnPressed.connect(self.save_note)
        self.note_edit.hide()
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.scope_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget in (self.title_label, self.sentence_label,
                       self.info_label, self.span_editor, self.note_edit, self.identical_box,
                       self.message_label, self.help_label):
            layout.addWidget(widget)
        layout.addStretch(1)

    # -- loading ----------------------------------------------------------------------------------
    def set_case(self, case: Case) -> None:
        """Review another case (the caller clears the undo stack)."""
        self.case = case
        self.load(None)

    def load(self, document_id: int | None = None, *, navigate: bool = True) -> None:
        """Load the queue of a document, or of the whole case when None.

        With ``navigate`` the window opens the first item's document; a reload in the
        background (new suggestions arrived) leaves the window where the analyst is.
        """
        if document_id != self.document_id:
            self._skipped = []
        self.document_id = document_id
        case, skip = self.case, list(self._skipped)
        self.tasks.start(
            "Loading the review queue",
            lambda: review.review_queue(case, document_id, limit=BATCH, skip=skip),
            on_done=lambda batch: self._loaded(batch, navigate), on_error=self._show_error,
        )

    def follow_document(self, document_id: int) -> None:
        """The window shows another document: with "only the document shown", review it."""
        self._shown_document = document_id
        if self.scope_box.isChecked() and document_id != self.document_id:
            self.load(document_id)

    def reload(self) -> None:
        """Load the queue again in its scope (new suggestions arrived)."""
        self.load(self.document_id, navigate=False)

    def _loaded(self, batch: ReviewBatch, navigate: bool = True) -> None:
        self._items, self._pos, self._remaining = list(batch.items), 0, batch.remaining
        self._show(navigate)

    def current(self) -> ReviewItem | None:
        """The item shown, if any."""
        return self._items[self._pos] if 0 <= self._pos < len(self._items) else None

    def _show(self, navigate: bool = True) -> None:
        self.progress_label.setText(f"<b>{self._remaining} left</b>")
        self.span_editor.hide()
        self.note_edit.hide()
        item = self.current()
        if item is None:
            self.title_label.setText("")
            self.sentence_label.setText("<i>Nothing left to review here.</i>")
            self.info_label.setText("")
            return
        m = item.mention
        self.title_label.setText(html.escape(item.document_title))
        self.sentence_label.setText(_sentence_html(item))
        conf = f"{m.confidence:.2f}" if m.confidence is not None else "–"
        self.info_label.setText(
            f"{m.label} · {m.status} · confidence {conf} · {m.origin}"
            + (" · ⚑ flagged" if m.flagged else "")
        )
        if navigate:
            self.mention_selected.emit(m.id)
            self.open_mention.emit(m.document_id, m.start, m.end)

    # -- keys -------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Decide the shown mention with single keys (see KEYS_HELP)."""
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        every = shift or self.identical_box.isChecked()
        actions: dict[int, Callable[[], None]] = {
            Qt.Key.Key_A: lambda: self.decide("accept", every),
            Qt.Key.Key_X: lambda: self.decide("reject", every),
            Qt.Key.Key_Space: self.skip,
            Qt.Key.Key_Backspace: self.undo_last,
            Qt.Key.Key_E: self.edit_span,
            Qt.Key.Key_N: self.edit_note,
            Qt.Key.Key_F: self.toggle_flag,
            Qt.Key.Key_H: self.toggle_help,
            Qt.Key.Key_F1: self.toggle_help,
            Qt.Key.Key_Escape: self._show,
        }
        if key in _DIGITS:
            self.relabel(_DIGITS[key], every)
        elif key in actions:
            actions[key]()
        else:
            super().keyPressEvent(event)

    def toggle_help(self) -> None:
        """Show or hide the list of keys."""
        self.help_label.setVisible(not self.help_label.isVisible())

    # -- actions ----------------------------------------------------------------------------------
    def _push(self, text: str, action: Callable[[], MentionChange], *,
              decided: ReviewItem | None = None) -> bool:
        self._error = None
        command = MentionCommand(text, self.case, action, self._changed, self._show_error)
        command.queue_item = decided
        self.undo_stack.push(command)
        return self._error is None

    def decide(self, verb: str, every: bool = False) -> None:
        """Accept or reject the shown mention (every identical one too), then show the next."""
        item = self.current()
        if item is None:
            return
        mid, case = item.mention.id, self.case
        single = review.accept if verb == "accept" else review.reject
        action = (lambda: review.apply_to_identical(case, mid, verb)) if every else (
            lambda: single(case, mid))
        scope = " (all identical)" if every else ""
        if self._push(f"{verb} “{item.mention.text}”{scope}", action, decided=item):
            self._advance()

    def relabel(self, label: str, every: bool = False) -> None:
        """Give the shown mention (every identical one too) another label; it stays shown."""
        item = self.current()
        if item is None or (item.mention.label == label and not every):
            return
        mid, case = item.mention.id, self.case
        action = (lambda: review.apply_to_identical(case, mid, "relabel", label)) if every else (
            lambda: review.relabel(case, mid, label))
        self._push(f"relabel “{item.mention.text}” as {label}", action)

    def toggle_flag(self) -> None:
        """Flag the shown mention for a second look, or clear its flag."""
        item = self.current()
        if item is not None:
            mid, case, flag = item.mention.id, self.case, not item.mention.flagged
            self._push(f"{'flag' if flag else 'unflag'} “{item.mention.text}”",
                       lambda: review.set_flagged(case, mid, flag))

    def skip(self) -> None:
        """Leave the shown mention for later and show the next one."""
        item = self.current()
        if item is not None:
            self._skipped.append(item.mention.id)
            self._advance()

    def undo_last(self) -> None:
        """Undo the last action; an undone decision shows its mention again."""
        index = self.undo_stack.index()
        if index == 0:
            return
        item = getattr(self.undo_stack.command(index - 1), "queue_item", None)
        self.undo_stack.undo()
        if item is None:
            return
        ids = [i.mention.id for i in self._items]
        if item.mention.id in ids:
            self._pos = ids.index(item.mention.id)
        else:
            self._items.insert(self._pos, item)
        self._show()

    def edit_span(self) -> None:
        """Show spin boxes with the shown mention's offsets (Apply span saves them)."""
        item = self.current()
        if item is not None:
            self.start_spin.setValue(item.mention.start)
            self.end_spin.setValue(item.mention.end)
            self.span_editor.show()
            self.start_spin.setFocus()

    def apply_span(self) -> None:
        """Save the offsets of the span editor as the mention's new boundaries."""
        item = self.current()
        if item is None:
            return
        mid, case = item.mention.id, self.case
        start, end = self.start_spin.value(), self.end_spin.value()
        if self._push(f"adjust span of “{item.mention.text}”",
                      lambda: review.adjust_span(case, mid, start, end)):
            self.span_editor.hide()
            self.setFocus()

    def edit_note(self) -> None:
        """Show the note line for the shown mention."""
        if self.current() is not None:
            self.note_edit.clear()
            self.note_edit.show()
            self.note_edit.setFocus()

    def save_note(self) -> None:
        """Save the note line as a note on the shown mention (undoable)."""
        item, text, case = self.current(), self.note_edit.text().strip(), self.case
        if item is None or not text:
            return
        target = Target("mention", item.mention.id)
        self.undo_stack.push(CallCommand(
            "note on mention", lambda: entities.add_note(case, target, text),
            lambda row: entities.delete_note(case, row.id), on_error=self._show_error))
        self.note_edit.hide()
        self.message_label.setText("Note saved.")
        self.setFocus()

    # -- after a change ---------------------------------------------------------------------------
    def _advance(self) -> None:
        self._pos += 1
        while (item := self.current()) is not None and item.mention.status != "suggested":
            self._pos += 1
        if self.current() is None:
            self.load(self.document_id)
        else:
            self._show()

    def _changed(self, change: MentionChange) -> None:
        """Refresh shown items from the state the change left in the case."""
        now = {state.id: state for state in change.after}
        for i, item in enumerate(self._items):
            state = now.get(item.mention.id)
            if state is not None:
                fields = {k: getattr(state, k) for k in ("start", "end", "text", "label",
                                                         "status", "flagged")}
                mention: MentionRow = dataclasses.replace(item.mention, **fields)
                self._items[i] = dataclasses.replace(item, mention=mention)
        for document_id in change.document_ids:
            self.document_changed.emit(document_id)
        self._remaining = review.remaining(self.case, self.document_id)
        self._show()

    def _show_error(self, message: str) -> None:
        self._error = message
        self.message_label.setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")


def _sentence_html(item: ReviewItem) -> str:
    m, text = item.mention, item.sentence
    lo = min(max(m.start - item.sentence_start, 0), len(text))
    hi = min(max(m.end - item.sentence_start, lo), len(text))
    style = f"background:{label_color(m.label)};font-weight:bold"
    return (html.escape(text[:lo]) + f"<span style='{style}'>{html.escape(text[lo:hi])}</span>"
            f"<sup>{m.label}</sup>" + html.escape(text[hi:]))
