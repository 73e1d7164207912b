"""Notes and tags of a mention that goes away (join, undo of a split) move to the one that stays."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from db.models import Note, TagLink


def move_attachments(session: Session, source: int, target: int) -> list[dict[str, Any]]:
    """Move a mention's notes and tags to another mention; returns the move for the audit log."""
    notes = list(session.scalars(select(Note.id).where(Note.mention_id == source)))
    has = set(session.scalars(select(TagLink.tag_id).where(TagLink.mention_id == target)))
    tags = list(session.scalars(select(TagLink.tag_id).where(TagLink.mention_id == source)))
    if not (notes or tags):
        return []
    session.execute(update(Note).where(Note.id.in_(notes)).values(mention_id=target))
    session.execute(update(TagLink).where(TagLink.mention_id == source,
                                          TagLink.tag_id.not_in(has)).values(mention_id=target))
    session.execute(delete(TagLink).where(TagLink.mention_id == source))  # already on target
    return [{"from": source, "to": target, "note_ids": notes,
             "tag_ids": [t for t in tags if t not in has],
             "shared_tag_ids": [t for t in tags if t in has]}]


def move_back(session: Session, move: dict[str, Any]) -> None:
    """Give a re-created mention back the notes and tags a recorded move took off it."""
    source, target = move["from"], move["to"]
    session.execute(update(Note).where(Note.id.in_(move["note_ids"]), Note.mention_id == target)
                    .values(mention_id=source))
    session.execute(update(TagLink).where(TagLink.mention_id == target,
                                          TagLink.tag_id.in_(move["tag_ids"]))
                    .values(mention_id=source))
    still = list(session.scalars(select(TagLink.tag_id).where(
        TagLink.mention_id == target, TagLink.tag_id.in_(move["shared_tag_ids"]))))
    session.add_all([TagLink(tag_id=tag_id, mention_id=source) for tag_id in still])
