"""Notes on documents, entities and mentions: add, edit, delete (and restore for undo), list."""

from __future__ import annotations

from typing import Any

from db import note_queries
from db.models import Note, utcnow
from desktop.dto import AuditAction as Act
from desktop.dto import NoteRow, Target
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.review import ReviewError


def target_columns(target: Target) -> dict[str, int]:
    """The note or tag column naming a target ({"entity_id": 5})."""
    if target.kind not in ("document", "entity", "mention"):
        raise ReviewError(f"notes and tags attach to documents, entities or mentions, not {target}")
    return {f"{target.kind}_id": target.id}


def add_note(case: Case, target: Target, text: str) -> NoteRow:
    """Write a note on a document, entity or mention."""
    if not text.strip():
        raise ReviewError("a note needs some text")
    with case.transaction() as session:
        note = Note(text=text, author=case.actor, **target_columns(target))
        session.add(note)
        session.flush()
        row = note_queries.note_row(note)
        audit.record(session, case.actor, Act.NOTE_ADD, target.kind, target.id, after=_note(row))
        return row


def _note(row: NoteRow) -> dict[str, Any]:
    return {"note_id": row.id, "text": row.text, "author": row.author}


def edit_note(case: Case, note_id: int, text: str) -> NoteRow:
    """Change a note's text; returns the note as it was before (for undo)."""
    with case.transaction() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise ReviewError("the note no longer exists")
        before = note_queries.note_row(note)
        note.text, note.updated_at = text, utcnow()
        audit.record(session, case.actor, Act.NOTE_EDIT, before.target.kind, before.target.id,
                     before=_note(before), after={"note_id": note_id, "text": text})
        return before


def delete_note(case: Case, note_id: int) -> NoteRow:
    """Delete a note; returns it so restore_note can bring it back."""
    with case.transaction() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise ReviewError("the note no longer exists")
        before = note_queries.note_row(note)
        session.delete(note)
        audit.record(session, case.actor, Act.NOTE_DELETE, before.target.kind, before.target.id,
                     before=_note(before))
        return before


def restore_note(case: Case, row: NoteRow) -> None:
    """Bring back a deleted note, or put back an edited note's old text (undo)."""
    with case.transaction() as session:
        note = session.get(Note, row.id)
        if note is None:
            note = Note(id=row.id, author=row.author, created_at=row.created_at,
                        **target_columns(row.target))
            session.add(note)
        note.text, note.updated_at = row.text, row.updated_at
        audit.record(session, case.actor, "undo:note", row.target.kind, row.target.id,
                     after=_note(row))


def list_notes(case: Case, target: Target) -> list[NoteRow]:
    """Return the notes on a target, oldest first."""
    with case.reading() as session:
        return note_queries.notes_of(session, target)
