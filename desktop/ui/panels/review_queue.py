"""The review queue: one suggested mention at a time, decided with single keys."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import (
    Changes,
    MentionChange,
    MentionRow,
    MentionSnapshot,
    ReviewBatch,
    ReviewItem,
    Target,
)
from desktop.services import notes as notes_service
from desktop.services import review, review_queue
from desktop.ui.labels import LABELS, label_color
from desktop.ui.panels.base import Panel, elided, show_error
from desktop.ui.workspace import Workspace

KEYS_HELP = (
    "<b>a</b> accept · <b>x</b> reject · <b>space</b> skip · <b>backspace</b> undo last · "
    "<b>1–6</b> relabel " + " ".join(f"{i}={lab}" for i, lab in enumerate(LABELS, 1))
    + " · <b>e</b> adjust span · <b>n</b> note · <b>f</b> flag · <b>h</b>/<b>F1</b> these keys"
    "<br>Hold <b>Shift</b> with a, x or 1–6 (or tick the box) to apply to every identical "
    "mention in the case (same text and label)."
    "<br>Adjusting a span: <b>←/→</b> move its start, <b>Shift+←/→</b> its end, "
    "<b>Enter</b> saves, <b>Esc</b> cancels; or select the words in the text and press "
    "<b>Enter</b>."
)
# Always shown: the keys an analyst needs most, on one line.
KEY_BAR = ("<b>a</b> accept · <b>x</b> reject · <b>space</b> skip · <b>⌫</b> undo · "
           "<b>1–6</b> label · <b>e</b> span · <b>h</b> more")
_DIGITS = {getattr(Qt.Key, f"Key_{i}"): label for i, label in enumerate(LABELS, 1)}
# Keys that change the case: a reader's press only says the case is read-only.
_EDIT_KEYS = frozenset({Qt.Key.Key_A, Qt.Key.Key_X, Qt.Key.Key_Backspace, Qt.Key.Key_E,
                        Qt.Key.Key_N, Qt.Key.Key_F, *_DIGITS})
BATCH = 100


class ReviewQueueWidget(Panel):
    """Shows the least confident suggested mention with its sentence; keys decide it.

    The mention shown is opened in the workspace (its document, at the mention).
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.document_id: int | None = None
        self._span: tuple[int, int] | None = None
        self._shown_document: int | None = None
        self._items: list[ReviewItem] = []
        self._pos = 0
        self._skipped: list[int] = []
        self._remaining = 0
        self._error: str | None = None
        self._build()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        workspace.case_opened.connect(lambda _: self._case_opened())
        workspace.document_opened.connect(lambda doc, *_: self.follow_document(doc))
        workspace.changed.connect(self._changed)
        self.load(None)

    def _case_opened(self) -> None:
        self._shown_document = None
        self.load(None)

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.progress_label = QLabel()
        self.scope_box = QCheckBox("This document only")
        self.scope_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scope_box.toggled.connect(
            lambda only: self.load(self._shown_document if only else None))
        self.title_label = elided(QLabel())
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # a title is text, never markup
        self.sentence_label = elided(QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText))
        self.sentence_label.setMinimumHeight(48)
        self.info_label = elided(QLabel())
        self.identical_box = QCheckBox("All identical in the case (Shift)")
        self.identical_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message_label = elided(QLabel(wordWrap=True))
        self.help_label = elided(QLabel(KEYS_HELP, wordWrap=True,
                                        textFormat=Qt.TextFormat.RichText))
        self.help_label.hide()
        self.key_bar = elided(QLabel(KEY_BAR, textFormat=Qt.TextFormat.RichText))
        self.span_editor = elided(QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText))
        self.span_editor.hide()
        self.buttons = QHBoxLayout()
        self._edit_buttons: list[QWidget] = [self.identical_box]
        for text, slot in (("Accept", lambda: self.decide("accept", self._every())),
                           ("Reject", lambda: self.decide("reject", self._every())),
                           ("Skip", self.skip), ("Undo", self.undo_last)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(48)
            button.clicked.connect(lambda *_, s=slot: s())
            self.buttons.addWidget(button)
            if slot != self.skip:
                self._edit_buttons.append(button)
        self.buttons.addStretch(1)
        self.note_edit = QLineEdit(placeholderText="Note on this mention; Enter saves, Esc cancels")
        self.note_edit.returnPressed.connect(self.save_note)
        self.note_edit.hide()
        top = QHBoxLayout()
        top.addWidget(self.progress_label)
        top.addWidget(self.key_bar, 1)
        top.addWidget(self.scope_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget in (self.title_label, self.sentence_label, self.info_label):
            layout.addWidget(widget)
        layout.addLayout(self.buttons)
        for widget in (self.span_editor, self.note_edit, self.identical_box,
                       self.message_label, self.help_label):
            layout.addWidget(widget)
        layout.addStretch(1)

    def add_button(self, button: QPushButton) -> None:
        """Put a button of a window action (e.g. teaching) at the end of the button row."""
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons.addWidget(button)
        self._edit_buttons.append(button)

    def editing_widgets(self) -> list[QWidget]:
        """Accept, reject, undo, the window's buttons, "all identical" and the note line."""
        return [*self._edit_buttons, self.note_edit]

    def _every(self) -> bool:
        return self.identical_box.isChecked()

    # -- loading ----------------------------------------------------------------------------------
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
            lambda: review_queue.review_queue(case, document_id, limit=BATCH, skip=skip),
            on_done=lambda batch: self._loaded(batch, navigate), on_error=self._show_error,
        )

    def follow_document(self, document_id: int) -> None:
        """The window shows another document: with "only the document shown", review it."""
        self._shown_document = document_id if document_id >= 0 else None
        if self.scope_box.isChecked() and document_id >= 0 and document_id != self.document_id:
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
        self._span = None
        self.span_editor.hide()
        self.note_edit.hide()
        item = self.current()
        if item is None:
            self.title_label.setText("")
            self.sentence_label.setText("<i>Nothing left to review here.</i>")
            self.info_label.setText("")
            return
        m = item.mention
        self.title_label.setText(item.document_title)
        self.sentence_label.setText(_sentence_html(item))
        conf = f"{m.confidence:.2f}" if m.confidence is not None else "–"
        self.info_label.setText(
            f"{m.label} · {m.status} · confidence {conf} · {m.origin}"
            + (" · ⚑ flagged" if m.flagged else "")
        )
        if navigate:
            self.workspace.open_document(m.document_id, m.start, m.end)
            self.workspace.select_mention(m.id, m.entity_id)

    # -- keys -------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Decide the shown mention with single keys (see KEYS_HELP)."""
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        every = shift or self.identical_box.isChecked()
        if self.workspace.read_only and key in _EDIT_KEYS:
            self.message_label.setText("This case is read-only for you: nothing can be decided.")
            return
        if self._span is not None and self._span_key(self._span, key, shift):
            return
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
        self.message_label.clear()
        command = self.workspace.edit_mentions(text, action)
        command.queue_item = decided
        if command.error:
            self._show_error(command.error)
        return command.error is None

    def decide(self, verb: str, every: bool = False) -> None:
        """Accept or reject the shown mention (every identical one too), then show the next."""
        item = self.current()
        if item is None:
            return
        mid, case, seen = item.mention.id, self.case, item.mention.version
        single = review.accept if verb == "accept" else review.reject
        action = (lambda: review.apply_to_identical(case, mid, verb, version=seen)) if every else (
            lambda: single(case, mid, version=seen))
        scope = " (all identical)" if every else ""
        if self._push(f"{verb} “{item.mention.text}”{scope}", action, decided=item):
            self._advance()

    def relabel(self, label: str, every: bool = False) -> None:
        """Give the shown mention (every identical one too) another label; it stays shown."""
        item = self.current()
        if item is None or (item.mention.label == label and not every):
            return
        mid, case, seen = item.mention.id, self.case, item.mention.version
        action = (lambda: review.apply_to_identical(case, mid, "relabel", label, version=seen)
                  ) if every else (lambda: review.relabel(case, mid, label, version=seen))
        self._push(f"relabel “{item.mention.text}” as {label}", action)

    def toggle_flag(self) -> None:
        """Flag the shown mention for a second look, or clear its flag."""
        item = self.current()
        if item is not None:
            mid, case, flag = item.mention.id, self.case, not item.mention.flagged
            seen = item.mention.version
            self._push(f"{'flag' if flag else 'unflag'} “{item.mention.text}”",
                       lambda: review.set_flagged(case, mid, flag, version=seen))

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
        command = self.undo_stack.command(index - 1)
        item = getattr(command, "queue_item", None)
        self.undo_stack.undo()
        # Python attributes outlive a failed command the stack dropped.
        if getattr(command, "error", None):
            self._show_error(command.error)
            return
        if item is None:
            return
        ids = [i.mention.id for i in self._items]
        if item.mention.id in ids:
            self._pos = ids.index(item.mention.id)
        else:
            self._items.insert(self._pos, item)
        self._show()

    def edit_span(self) -> None:
        """Adjust the shown mention's edges with keys or by selecting words in the text."""
        item = self.current()
        if item is not None:
            self._span = (item.mention.start, item.mention.end)
            self._show_span()
            self.span_editor.show()
            self.setFocus()

    def _span_key(self, span: tuple[int, int], key: int, shift: bool) -> bool:
        """Handle a key while adjusting a span; True when it was used."""
        start, end = span
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(key))
        if step is not None:
            start, end = (start, end + step) if shift else (start + step, end)
            if 0 <= start < end:
                self._span = (start, end)
                self._show_span()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selection = self.workspace.text_selection
            item = self.current()
            if (selection is not None and item is not None
                    and selection[0] == item.mention.document_id and selection[2] > selection[1]
                    and self._span == (item.mention.start, item.mention.end)):
                self._span = (selection[1], selection[2])
            self.apply_span()
            return True
        if key == Qt.Key.Key_Escape:
            self._show(navigate=False)
            return True
        return False

    def _show_span(self) -> None:
        item = self.current()
        if item is None or self._span is None:
            return
        start, end = self._span
        lo, hi = start - item.sentence_start, end - item.sentence_start
        text = item.sentence
        if 0 <= lo < hi <= len(text):
            shown = (html.escape(text[max(0, lo - 30):lo]) + "<b><u>" + html.escape(text[lo:hi])
                     + "</u></b>" + html.escape(text[hi:hi + 30]))
        else:
            shown = "<i>(the span leaves the sentence)</i>"
        self.span_editor.setText(f"New span: …{shown}… — ←/→ start, Shift+←/→ end, "
                                 "Enter saves, Esc cancels")

    def apply_span(self, start: int | None = None, end: int | None = None) -> None:
        """Save the adjusted span (or ``start``/``end``) as the mention's new boundaries."""
        item = self.current()
        if item is None:
            return
        if start is None or end is None:
            if self._span is None:
                return
            start, end = self._span
        mid, case, seen = item.mention.id, self.case, item.mention.version
        if self._push(f"adjust span of “{item.mention.text}”",
                      lambda: review.adjust_span(case, mid, start, end, version=seen)):
            self._span = None
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
        self.workspace.edit("note on mention", lambda: notes_service.add_note(case, target, text),
                            lambda row: notes_service.delete_note(case, row.id))
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

    def _changed(self, changes: Changes) -> None:
        """New suggestions reload the queue; changed mentions refresh the items shown."""
        if changes.document_list or (changes.any_document and not changes.mentions):
            self.reload()
            return
        shown = [i.mention.id for i in self._items if i.mention.id in changes.mentions]
        if not changes.mentions_or_entities:
            return
        if shown:
            self._update(review_queue.mention_states(self.case, shown))
        self._remaining = review_queue.remaining(self.case, self.document_id)
        self._show(navigate=False)

    def _update(self, states: list[MentionSnapshot]) -> None:
        now = {state.id: state for state in states}
        for i, item in enumerate(self._items):
            state = now.get(item.mention.id)
            if state is not None:
                fields = {k: getattr(state, k) for k in ("start", "end", "text", "label",
                                                         "status", "flagged", "version")}
                mention: MentionRow = dataclasses.replace(item.mention, **fields)
                self._items[i] = dataclasses.replace(item, mention=mention)

    def _show_error(self, message: str) -> None:
        self._error = message
        show_error(self.message_label, message)


def _sentence_html(item: ReviewItem) -> str:
    m, text = item.mention, item.sentence
    lo = min(max(m.start - item.sentence_start, 0), len(text))
    hi = min(max(m.end - item.sentence_start, lo), len(text))
    style = f"background:{label_color(m.label)};font-weight:bold"
    return (html.escape(text[:lo]) + f"<span style='{style}'>{html.escape(text[lo:hi])}</span>"
            f"<sup>{m.label}</sup>" + html.escape(text[hi:]))
