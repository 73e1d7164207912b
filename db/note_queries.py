"""Read-only queries about notes, and the target filter notes and tags share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Note, TagLink
from desktop.dto import NoteRow, Target


def target_filter(model: type[Note] | type[TagLink], target: Target):  # noqa: ANN201
    """Return the WHERE clause selecting rows attached to ``target``."""
    column = {"document": model.document_id, "entity": model.entity_id,
              "mention": model.mention_id}.get(target.kind)
    if column is None:
        raise ValueError(f"notes and tags attach to documents, entities or mentions: {target}")
    return column == target.id


def note_target(note: Note) -> Target:
    """Return what a note is attached to."""
    if note.document_id is not None:
        return Target("document", note.document_id)
    if note.entity_id is not None:
        return Target("entity", note.entity_id)
    return Target("mention", int(note.mention_id or 0))


def note_row(note: Note) -> NoteRow:
    """Turn a note into plain data."""
    return NoteRow(note.id, note_target(note), note.text, note.author, note.created_at,
                   note.updated_at)


def notes_of(session: Session, target: Target) -> list[NoteRow]:
    """Return the notes on a target, oldest first."""
    stmt = select(Note).where(target_filter(Note, target)).order_by(Note.created_at, Note.id)
    return [note_row(n) for n in session.scalars(stmt)]
