"""Analyst relations as plain rows, with the names of the two entities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Entity, Relation
from desktop.dto import Evidence, RelationRow, RelationType


def relation_row(relation: Relation, source_name: str, target_name: str) -> RelationRow:
    """Turn a Relation into the plain row the services return."""
    evidence = None
    if relation.document_id is not None and relation.start is not None:
        evidence = Evidence(relation.document_id, relation.start, relation.end or relation.start)
    return RelationRow(
        id=relation.id,
        source_id=relation.source_entity_id,
        source_name=source_name,
        target_id=relation.target_entity_id,
        target_name=target_name,
        type=RelationType(relation.type),
        description=relation.description,
        evidence=evidence,
        mention_id=relation.mention_id,
        created_by=relation.created_by,
        # SQLite hands back naive times; every stored time is UTC.
        created_at=relation.created_at.replace(tzinfo=relation.created_at.tzinfo or dt.UTC),
    )


def relation_rows(session: Session, entity_id: int | None = None) -> list[RelationRow]:
    """Return the case's relations (or those touching one entity), oldest first."""
    source, target = aliased(Entity), aliased(Entity)
    stmt = (
        select(Relation, source.canonical_name, target.canonical_name)
        .join(source, source.id == Relation.source_entity_id)
        .join(target, target.id == Relation.target_entity_id)
        .order_by(Relation.id)
    )
    if entity_id is not None:
        stmt = stmt.where(
            or_(Relation.source_entity_id == entity_id, Relation.target_entity_id == entity_id)
        )
    return [relation_row(r, s, t) for r, s, t in session.execute(stmt)]
