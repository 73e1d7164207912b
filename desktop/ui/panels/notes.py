"""Notes and tags of the selected document, entity or mention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, NoteRow, Target
from desktop.services import browse
from desktop.services import notes as notes_service
from desktop.services import tags as tags_service
from desktop.ui.panels.base import Panel, elided, show_error
from desktop.ui.workspace import Workspace

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1


class NotesPanel(Panel):
    """Shows and edits the notes and tags of what was chosen last; every change is undoable.

    Follows the workspace: the document opened, the mention or entity selected.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.target: Target | None = None
        self.title_label = elided(QLabel("Nothing selected"))
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.note_list = QListWidget()
        self.note_list.setMinimumHeight(40)
        self.note_list.currentItemChanged.connect(self._note_picked)
        self.editor = QPlainTextEdit(placeholderText="Write a note…")
        self.editor.setMaximumHeight(70)
        self.tag_list = QListWidget()
        self.tag_list.setMaximumHeight(50)
        self.tag_edit = QLineEdit(placeholderText="Add a tag and press Enter")
        self.tag_edit.returnPressed.connect(lambda: self.add_tag(self.tag_edit.text()))
        self.message_label = elided(QLabel(wordWrap=True))
        row, tag_row = QHBoxLayout(), QHBoxLayout()
        tag_row.addWidget(self.tag_edit, 1)
        self._edit_buttons: list[QPushButton] = []
        for line, text, slot in ((row, "Add note", self.add_note),
                                 (row, "Save edit", self.save_edit),
                                 (row, "Delete", self.delete_note),
                                 (tag_row, "Remove tag", self.remove_tag)):
            button = QPushButton(text)
            button.clicked.connect(lambda *_, s=slot: s())
            line.addWidget(button)
            self._edit_buttons.append(button)
        layout = QVBoxLayout(self)
        for widget in (self.title_label, self.note_list, self.editor):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(QLabel("Tags"))
        layout.addWidget(self.tag_list)
        layout.addLayout(tag_row)
        layout.addWidget(self.message_label)
        workspace.case_opened.connect(lambda _: self.show_target(None))
        workspace.document_opened.connect(
            lambda doc, *_: self.show_target(Target("document", doc) if doc >= 0 else None))
        workspace.mention_selected.connect(
            lambda mention, _entity: self.show_target(Target("mention", mention)))
        workspace.entity_selected.connect(lambda e: self.show_target(Target("entity", e)))
        workspace.changed.connect(self._changed)

    def editing_widgets(self) -> list[QWidget]:
        """The note editor, the tag line and their buttons."""
        return [self.editor, self.tag_edit, *self._edit_buttons]

    def _changed(self, changes: Changes) -> None:
        if changes.notes and self.target is not None:
            self.show_target(self.target)

    def show_target(self, target: Target | None) -> None:
        """Show the notes and tags of a document, entity or mention (None clears)."""
        self.target = target
        if target is None:
            self.title_label.setText("Nothing selected")
            self.note_list.clear()
            self.tag_list.clear()
            return
        case = self.case
        self.tasks.start("Loading notes", lambda: (browse.target_title(case, target),
                                                   notes_service.list_notes(case, target),
                                                   tags_service.list_tags(case, target)),
                         on_done=lambda result: self._loaded(target, *result),
                         on_error=self._show_error)

    def _loaded(self, target: Target, title: str, notes: list[NoteRow], tags: list[str]) -> None:
        if target != self.target:
            return  # the selection moved on while loading
        self.title_label.setText(f"Notes on the {title}")
        self.title_label.setToolTip(self.title_label.text())
        self.note_list.clear()
        for note in notes:
            stamp = note.updated_at.strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{note.text}\n— {note.author}, {stamp}")
            item.setData(NOTE_ROLE, note)
            self.note_list.addItem(item)
        self.tag_list.clear()
        self.tag_list.addItems(tags)

    def _note_picked(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.editor.setPlainText(item.data(NOTE_ROLE).text)

    def current_note(self) -> NoteRow | None:
        """The note selected in the list, if any."""
        item = self.note_list.currentItem()
        return item.data(NOTE_ROLE) if item is not None else None

    # -- actions ----------------------------------------------------------------------------------
    def _push(self, text: str, do: Callable[[], Any], undo: Callable[[Any], Any]) -> None:
        self.message_label.clear()
        command = self.workspace.edit(text, do, undo, changes=Changes(notes=True))
        if command.error:
            self._show_error(command.error)

    def add_note(self, text: str | None = None) -> None:
        """Add the editor's text (or ``text``) as a new note on the target."""
        text = (text if text is not None else self.editor.toPlainText()).strip()
        target, case = self.target, self.case
        if target is None or not text:
            return
        self._push("add note", lambda: notes_service.add_note(case, target, text),
                   lambda row: notes_service.delete_note(case, row.id))
        self.editor.clear()

    def save_edit(self) -> None:
        """Replace the selected note's text with the editor's."""
        note, text, case = self.current_note(), self.editor.toPlainText().strip(), self.case
        if note is not None and text and text != note.text:
            self._push("edit note", lambda: notes_service.edit_note(case, note.id, text),
                       lambda before: notes_service.restore_note(case, before))

    def delete_note(self) -> None:
        """Delete the selected note."""
        note, case = self.current_note(), self.case
        if note is not None:
            self._push("delete note", lambda: notes_service.delete_note(case, note.id),
                       lambda before: notes_service.restore_note(case, before))

    def add_tag(self, name: str) -> None:
        """Tag the target."""
        target, case, name = self.target, self.case, name.strip()
        if target is None or not name:
            return
        self._push(f"tag “{name}”", lambda: tags_service.add_tag(case, target, name),
                   lambda _tags: tags_service.remove_tag(case, target, name))
        self.tag_edit.clear()

    def remove_tag(self, name: str | None = None) -> None:
        """Remove the selected tag (or ``name``) from the target."""
        item = self.tag_list.currentItem()
        name = name or (item.text() if item is not None else "")
        target, case = self.target, self.case
        if target is not None and name:
            self._push(f"untag “{name}”", lambda: tags_service.remove_tag(case, target, name),
                       lambda _tags: tags_service.add_tag(case, target, name))

    def _show_error(self, message: str) -> None:
        show_error(self.message_label, message)
