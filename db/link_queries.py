"""Link chart rows: the case's most mentioned entities and where their mentions stand."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from db.models import Entity, Mention, Tag, TagLink


def mention_conditions(
    session: Session,
    *,
    labels: Iterable[str] | None = None,
    document_ids: Iterable[int] | None = None,
    tags: Iterable[str] | None = None,
    accepted_only: bool = False,
) -> list[ColumnElement[bool]]:
    """Return the conditions a mention meets to count in the chart (joined with Entity).

    Rejected mentions and false-positive entities never count. With ``tags``, a mention counts
    when it, its document or its entity carries one of the tags.
    """
    where: list[ColumnElement[bool]] = [Entity.false_positive.is_(False)]
    where.append(Mention.status == "accepted" if accepted_only else Mention.status != "rejected")
    if labels:
        where.append(Entity.label.in_(sorted(labels)))
    if document_ids is not None:
        where.append(Mention.document_id.in_(sorted(document_ids)))
    if tags:
        links = select(TagLink.document_id, TagLink.entity_id, TagLink.mention_id).join(
            Tag, Tag.id == TagLink.tag_id
        ).where(Tag.name.in_(sorted(tags)))
        docs, ents, ments = set(), set(), set()
        for doc_id, entity_id, mention_id in session.execute(links):
            docs.add(doc_id)
            ents.add(entity_id)
            ments.add(mention_id)
        where.append(or_(
            Mention.document_id.in_(docs - {None}),
            Mention.entity_id.in_(ents - {None}),
            Mention.id.in_(ments - {None}),
        ))
    return where


def top_entities(
    session: Session, where: list[ColumnElement[bool]], limit: int
) -> list[tuple[int, str, str, int]]:
    """Return (id, label, name, mentions) of the most mentioned entities, most mentioned first."""
    count = func.count(Mention.id)
    stmt = (
        select(Entity.id, Entity.label, Entity.canonical_name, count)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(*where)
        .group_by(Entity.id)
        .order_by(count.desc(), Entity.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(stmt)]


def entities_by_id(session: Session, ids: Iterable[int]) -> list[tuple[int, str, str]]:
    """Return (id, label, name) of the given entities."""
    ids = list(ids)
    found = []
    for chunk in range(0, len(ids), 900):
        stmt = select(Entity.id, Entity.label, Entity.canonical_name).where(
            Entity.id.in_(ids[chunk:chunk + 900]))
        found += [(row[0], row[1], row[2]) for row in session.execute(stmt)]
    return found


def entity_positions(
    session: Session, where: list[ColumnElement[bool]], entity_ids: Iterable[int] | None
) -> list[tuple[int, int, int]]:
    """Return (document id, start, entity id) of the counted mentions, in no set order.

    With ``entity_ids`` only mentions of those entities; otherwise every counted mention.
    """
    stmt = select(Mention.document_id, Mention.start, Mention.entity_id).join(
        Entity, Entity.id == Mention.entity_id
    ).where(*where)
    if entity_ids is not None:
        stmt = stmt.where(Mention.entity_id.in_(sorted(entity_ids)))
    return [(row[0], row[1], row[2]) for row in session.execute(stmt) if row[2] is not None]


def documents_of_entity(
    session: Session, entity_id: int, where: list[ColumnElement[bool]]
) -> list[int]:
    """Return the ids of the documents where an entity has a counted mention."""
    stmt = (
        select(Mention.document_id).join(Entity, Entity.id == Mention.entity_id)
        .where(Mention.entity_id == entity_id, *where).distinct()
    )
    return list(session.scalars(stmt))
