"""Timeline rows: resolved DATE mentions, the entities beside them, undated documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from db.models import Document, Entity, Mention, Tag, TagLink


def _in_documents(document_ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    return [] if document_ids is None else [Mention.document_id.in_(list(document_ids))]


def _status(accepted_only: bool) -> ColumnElement[bool]:
    return Mention.status == "accepted" if accepted_only else Mention.status != "rejected"


def date_mentions(
    session: Session, document_ids: Iterable[int] | None = None, accepted_only: bool = False
) -> list[tuple[int, int, int, int, dict[str, Any]]]:
    """Return (mention id, document id, start, end, value) of every resolved, live DATE mention."""
    stmt = (
        select(Mention.id, Mention.document_id, Mention.start, Mention.end, Mention.value)
        .where(_resolved_date(), _status(accepted_only))
        .where(*_in_documents(document_ids))
        .order_by(Mention.document_id, Mention.start)
    )
    return [
        (row[0], row[1], row[2], row[3], row[4])
        for row in session.execute(stmt)
        if isinstance(row[4], dict) and row[4].get("iso")
    ]


def entity_mentions(
    session: Session, document_ids: Iterable[int], accepted_only: bool = False
) -> dict[int, list[tuple[int, int, str, str]]]:
    """Return per document (start, entity id, label, name) of its live non-DATE entity mentions.

    Names come from one read of the entities, not with every mention row (a 20,000-event
    timeline reads about 250,000 mentions).
    """
    entities = {
        row[0]: (row[1], row[2])
        for row in session.execute(
            select(Entity.id, Entity.label, Entity.canonical_name).where(
                Entity.false_positive.is_(False), Entity.label != "DATE"))
    }
    ids = sorted(document_ids)
    found: dict[int, list[tuple[int, int, str, str]]] = {}
    for chunk in range(0, len(ids), 900):
        stmt = (
            select(Mention.document_id, Mention.start, Mention.entity_id)
            .where(Mention.document_id.in_(ids[chunk:chunk + 900]), _status(accepted_only))
            .where(Mention.entity_id.is_not(None))
        )
        for doc_id, start, entity_id in session.execute(stmt):
            entity = entities.get(entity_id) if entity_id is not None else None
            if entity_id is not None and entity is not None:
                found.setdefault(doc_id, []).append((start, entity_id, *entity))
    for rows in found.values():
        rows.sort()  # text order: the event lists entities as the sentence names them
    return found


def documents(
    session: Session, document_ids: Iterable[int]
) -> dict[int, tuple[str, str, dt.date | None]]:
    """Return (title, text, published) of the given documents, by id."""
    ids = list(document_ids)
    found = {}
    for chunk in range(0, len(ids), 900):
        stmt = select(Document.id, Document.title, Document.text, Document.published).where(
            Document.id.in_(ids[chunk:chunk + 900])
        )
        for doc_id, title, text, published in session.execute(stmt):
            found[doc_id] = (title, text, published)
    return found


def _resolved_date() -> ColumnElement[bool]:
    """A live DATE mention whose value names a period (its ISO value is set)."""
    return (
        (Mention.label == "DATE")
        & (Mention.status != "rejected")
        & Mention.value["iso"].as_string().is_not(None)
    )


def undated_documents(
    session: Session, document_ids: Iterable[int] | None = None
) -> list[tuple[int, str, dt.date, str]]:
    """Return (id, title, published, start of text) of documents dated only by publication.

    These are documents with a publication date but no live, resolved DATE mention.
    """
    has_date = exists().where(Mention.document_id == Document.id, _resolved_date())
    stmt = select(
        Document.id, Document.title, Document.published, func.substr(Document.text, 1, 400)
    ).where(Document.published.is_not(None), ~has_date)
    if document_ids is not None:
        stmt = stmt.where(Document.id.in_(list(document_ids)))
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(stmt)]


def tagged_targets(session: Session, tag: str) -> dict[str, set[int]]:
    """Return the ids of documents, entities and mentions carrying the tag, by kind."""
    stmt = (
        select(TagLink.document_id, TagLink.entity_id, TagLink.mention_id)
        .join(Tag, Tag.id == TagLink.tag_id)
        .where(Tag.name == tag)
    )
    found: dict[str, set[int]] = {"document": set(), "entity": set(), "mention": set()}
    for doc_id, entity_id, mention_id in session.execute(stmt):
        for kind, value in (("document", doc_id), ("entity", entity_id), ("mention", mention_id)):
            if value is not None:
                found[kind].add(value)
    return found
