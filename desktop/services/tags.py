"""Tags on documents, entities and mentions: add, remove, list."""

from __future__ import annotations

from sqlalchemy import select

from db import note_queries, tag_queries
from db.models import Tag, TagLink
from desktop.dto import AuditAction as Act
from desktop.dto import Target
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.notes import target_columns
from desktop.services.review import ReviewError


def add_tag(case: Case, target: Target, name: str) -> list[str]:
    """Tag a target (the tag is created when new); returns the target's tags."""
    name = name.strip()
    if not name:
        raise ReviewError("a tag needs a name")
    with case.transaction() as session:
        tag = session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
        if name not in tag_queries.tags_of(session, target):
            session.add(TagLink(tag_id=tag.id, **target_columns(target)))
            audit.record(session, case.actor, Act.TAG_ADD, target.kind, target.id,
                         after={"tag": name})
        session.flush()
        return tag_queries.tags_of(session, target)


def remove_tag(case: Case, target: Target, name: str) -> list[str]:
    """Remove a tag from a target; returns the target's tags."""
    with case.transaction() as session:
        links = session.scalars(select(TagLink).join(Tag, Tag.id == TagLink.tag_id).where(
            Tag.name == name, note_queries.target_filter(TagLink, target)))
        for link in links:
            session.delete(link)
            audit.record(session, case.actor, Act.TAG_REMOVE, target.kind, target.id,
                         before={"tag": name})
        session.flush()
        return tag_queries.tags_of(session, target)


def list_tags(case: Case, target: Target | None = None) -> list[str]:
    """Return a target's tags, or every tag of the case when no target is given."""
    with case.reading() as session:
        if target is None:
            return tag_queries.all_tag_names(session)
        return tag_queries.tags_of(session, target)
