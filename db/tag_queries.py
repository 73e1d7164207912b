"""Read-only queries about tags."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Tag, TagLink
from db.note_queries import target_filter
from desktop.dto import Target


def tags_of(session: Session, target: Target) -> list[str]:
    """Return the tag names on a target, sorted."""
    stmt = (
        select(Tag.name).join(TagLink, TagLink.tag_id == Tag.id)
        .where(target_filter(TagLink, target)).order_by(Tag.name)
    )
    return list(session.scalars(stmt))


def all_tag_names(session: Session) -> list[str]:
    """Return every tag name of the case, sorted."""
    return list(session.scalars(select(Tag.name).order_by(Tag.name)))
