"""Read-only queries about case entities: rows with counts, their mentions and merges."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Entity, EntityMerge, Mention, Place
from db.queries import mention_rows
from desktop.dto import EntityRow, MentionRow, MergeRow


def entity_rows(
    session: Session, *, entity_ids: Iterable[int] | None = None, limit: int | None = None
) -> list[EntityRow]:
    """Return entities with mention and document counts, most mentioned first."""
    counts = (
        select(
            Mention.entity_id,
            func.count().label("n"),
            func.count(func.distinct(Mention.document_id)).label("docs"),
        )
        .where(Mention.entity_id.is_not(None))
        .group_by(Mention.entity_id)
        .subquery()
    )
    stmt = (
        select(Entity, func.coalesce(counts.c.n, 0), func.coalesce(counts.c.docs, 0),
               Place.name, Place.kind)
        .outerjoin(counts, counts.c.entity_id == Entity.id)
        .outerjoin(Place, Entity.place_id == Place.id)
        .order_by(func.coalesce(counts.c.n, 0).desc(), Entity.canonical_name, Entity.id)
        .limit(limit)
    )
    if entity_ids is not None:
        stmt = stmt.where(Entity.id.in_(list(entity_ids)))
    return [
        EntityRow(e.id, e.label, e.canonical_name, tuple(e.aliases or ()), n, docs, place, kind,
                  e.false_positive, version=e.version)
        for e, n, docs, place, kind in session.execute(stmt)
    ]


def mentions_of_entity(session: Session, entity_id: int) -> list[MentionRow]:
    """Return the mentions linked to an entity, by document and position."""
    return mention_rows(
        session, Mention.entity_id == entity_id, order=(Mention.document_id, Mention.start)
    )


def merges_into(session: Session, entity_id: int) -> list[MergeRow]:
    """Return the merges recorded into an entity, newest first."""
    stmt = (
        select(EntityMerge)
        .where(EntityMerge.kept_entity_id == entity_id)
        .order_by(EntityMerge.created_at.desc(), EntityMerge.id.desc())
    )
    return [merge_row(m) for m in session.scalars(stmt)]


def merge_row(m: EntityMerge) -> MergeRow:
    """Turn a merge record into the row the entity panel shows."""
    data = m.merged_snapshot or {}
    entity = data.get("entity", data)  # automatic merges store the joined name flat
    return MergeRow(m.id, m.kept_entity_id, str(entity.get("canonical_name", "?")), m.reason,
                    m.automatic, m.created_at, m.undone_at)
