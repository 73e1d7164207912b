"""Read-only queries for reviewed documents: what the analyst's decisions say about each text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Document, Mention

Span = tuple[int, int, str]
DECIDED_ORIGINS = ("analyst", "import")


@dataclass(frozen=True)
class ReviewedDocument:
    """A document with the analyst's decisions.

    Attributes:
        complete: Every suggestion was decided on, or the document was marked reviewed: the
            accepted spans are all its entities. Otherwise only the accepted spans are known.
        accepted: Spans accepted or added (start, end, label).
        rejected: Suggested spans the analyst rejected.
    """

    id: int
    title: str
    text: str
    language: str | None
    complete: bool
    accepted: tuple[Span, ...]
    rejected: tuple[Span, ...]


def reviewed_documents(
    session: Session, language: str | None = None, complete_only: bool = False,
    document_ids: Sequence[int] | None = None,
) -> list[ReviewedDocument]:
    """Documents with at least one decision (or marked reviewed), in id order.

    Args:
        session: An open session.
        language: Only documents in this language.
        complete_only: Only fully reviewed documents.
        document_ids: Only these documents.
    """
    stmt = select(Document).order_by(Document.id)
    if language is not None:
        stmt = stmt.where(Document.language == language)
    if document_ids is not None:
        stmt = stmt.where(Document.id.in_(list(document_ids)))
    rows = session.execute(
        select(Mention.document_id, Mention.start, Mention.end, Mention.label, Mention.status,
               Mention.origin)
        .join(Document, Document.id == Mention.document_id)
        .where(*([Document.language == language] if language is not None else []))
    ).all()
    by_doc: dict[int, list] = {}
    for row in rows:
        by_doc.setdefault(row.document_id, []).append(row)
    found = []
    for doc in session.scalars(stmt):
        reviewed = _reviewed(doc, by_doc.get(doc.id, []))
        if reviewed is not None and (reviewed.complete or not complete_only):
            found.append(reviewed)
    return found


def _reviewed(doc: Document, mentions: list) -> ReviewedDocument | None:
    accepted = sorted({(m.start, m.end, m.label) for m in mentions if m.status == "accepted"})
    rejected = sorted({(m.start, m.end, m.label) for m in mentions if m.status == "rejected"})
    pending = any(m.status == "suggested" for m in mentions)
    decided = bool(accepted or rejected)
    complete = doc.reviewed_at is not None or (decided and not pending)
    if not (decided or complete):
        return None
    return ReviewedDocument(doc.id, doc.title, doc.text, doc.language, complete,
                            tuple(accepted), tuple(rejected))


def unreviewed_document_ids(session: Session, language: str) -> list[int]:
    """Documents of a language without any decision: the rehearsal set for training."""
    decided = select(Mention.document_id).where(Mention.status != "suggested")
    return list(session.scalars(
        select(Document.id).where(Document.language == language,
                                  Document.reviewed_at.is_(None),
                                  Document.id.not_in(decided)).order_by(Document.id)))
