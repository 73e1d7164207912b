"""Analyst relations between entities: add, remove, restore (for undo) and list, all audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Entity, Mention, Relation
from db.relation_queries import relation_row, relation_rows
from desktop.dto import Evidence, RelationRow, RelationType
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.review import ReviewError


class RelationError(ReviewError):
    """A relation cannot be saved; the message says why."""


def _names(session: Session, source_id: int, target_id: int) -> tuple[str, str]:
    if source_id == target_id:
        raise RelationError("a relation needs two different entities")
    names = []
    for entity_id in (source_id, target_id):
        entity = session.get(Entity, entity_id)
        if entity is None:
            raise RelationError(f"entity {entity_id} no longer exists")
        names.append(entity.canonical_name)
    return names[0], names[1]


def _state(row: RelationRow) -> dict[str, Any]:
    evidence = row.evidence
    return {
        "source_entity_id": row.source_id, "target_entity_id": row.target_id,
        "type": str(row.type), "description": row.description, "mention_id": row.mention_id,
        "document_id": evidence.document_id if evidence else None,
        "start": evidence.start if evidence else None,
        "end": evidence.end if evidence else None,
    }


def add_relation(
    case: Case,
    source_id: int,
    target_id: int,
    relation_type: RelationType | str,
    description: str = "",
    *,
    evidence: Evidence | None = None,
    mention_id: int | None = None,
) -> RelationRow:
    """Save a typed relation from one entity to another, with its evidence; one audit entry.

    Raises:
        RelationError: Same entity twice, an entity or mention gone, an unknown type, or an
            "other" relation without a description.
    """
    try:
        kind = RelationType(relation_type)
    except ValueError as exc:
        raise RelationError(f"unknown relation type {relation_type!r}") from exc
    description = description.strip()
    if kind is RelationType.OTHER and not description:
        raise RelationError("an \u201cother\u201d relation needs a description")
    with case.transaction() as session:
        source, target = _names(session, source_id, target_id)
        if mention_id is not None and session.get(Mention, mention_id) is None:
            raise RelationError(f"mention {mention_id} no longer exists")
        relation = Relation(
            source_entity_id=source_id, target_entity_id=target_id, type=kind.value,
            description=description, mention_id=mention_id, created_by=case.actor,
            document_id=evidence.document_id if evidence else None,
            start=evidence.start if evidence else None, end=evidence.end if evidence else None,
        )
        session.add(relation)
        session.flush()
        row = relation_row(relation, source, target)
        audit.record(session, case.actor, "relation.added", "relation", row.id,
                     after=_state(row))
    return row


def remove_relation(case: Case, relation_id: int) -> RelationRow:
    """Delete a relation and return it as it was (so undo can restore it); one audit entry."""
    with case.transaction() as session:
        relation = session.get(Relation, relation_id)
        if relation is None:
            raise RelationError(f"relation {relation_id} no longer exists")
        source, target = _names(session, relation.source_entity_id, relation.target_entity_id)
        row = relation_row(relation, source, target)
        session.delete(relation)
        audit.record(session, case.actor, "relation.removed", "relation", relation_id,
                     before=_state(row))
    return row


def restore_relation(case: Case, row: RelationRow) -> RelationRow:
    """Put a removed relation back under its old id (undo of a removal); one audit entry."""
    with case.transaction() as session:
        _names(session, row.source_id, row.target_id)
        state = _state(row)
        if state["mention_id"] is not None and session.get(Mention, state["mention_id"]) is None:
            state["mention_id"] = None
        session.add(Relation(id=row.id, created_by=row.created_by, created_at=row.created_at,
                             **state))
        audit.record(session, case.actor, "relation.restored", "relation", row.id,
                     after=state)
    return row


def list_relations(case: Case, entity_id: int | None = None) -> list[RelationRow]:
    """Return the case's relations, or those from or to one entity, oldest first."""
    with case.reading() as session:
        return relation_rows(session, entity_id)
