"""Read-only queries: take a Session, return plain data, never commit."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.models import Document, Entity, Mention, Place
from desktop.dto import DocumentDetail, DocumentSummary, MentionRow


def document_id_by_sha(session: Session, text_sha256: str) -> int | None:
    """Return the id of the document whose text has this SHA-256, if the case holds it."""
    return session.scalar(select(Document.id).where(Document.text_sha256 == text_sha256))


def list_documents(session: Session, *, limit: int | None = None) -> list[DocumentSummary]:
    """Return the case's documents, newest import first, with their mention counts."""
    counts = (
        select(Mention.document_id, func.count().label("n"))
        .group_by(Mention.document_id)
        .subquery()
    )
    stmt = (
        select(
            Document.id,
            Document.title,
            Document.language,
            Document.published,
            Document.imported_at,
            func.length(Document.text),
            func.coalesce(counts.c.n, 0),
            Document.original_name,
            Document.extraction_state,
        )
        .outerjoin(counts, counts.c.document_id == Document.id)
        .order_by(Document.imported_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return [DocumentSummary(*row) for row in session.execute(stmt)]


def get_document(session: Session, document_id: int) -> DocumentDetail | None:
    """Return one document with its full text, or None."""
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    return DocumentDetail(
        id=doc.id,
        title=doc.title,
        text=doc.text,
        language=doc.language,
        language_source=doc.language_source,
        published=doc.published,
        source_url=doc.source_url,
        author=doc.author,
        original_name=doc.original_name,
        text_sha256=doc.text_sha256,
        extraction_notice=doc.extraction_notice,
        pages=tuple((p["page"], p["start"], p["end"]) for p in doc.pages or ()),
        language_guessed=doc.language_guessed,
        reviewed=doc.reviewed_at is not None,
    )


def place_label() -> ColumnElement[str]:
    """A place as the UI lists it, "Kursk (admin1, RU)": the kind tells city from region."""
    return Place.name + " (" + Place.kind + ", " + func.coalesce(Place.country_code, "-") + ")"


def mention_rows(
    session: Session, *where: ColumnElement[bool], order: tuple = ()
) -> list[MentionRow]:
    """Return mentions matching ``where`` with their entity and place names, as plain rows."""
    stmt = (
        select(Mention, Entity.canonical_name, place_label())
        .outerjoin(Entity, Mention.entity_id == Entity.id)
        .outerjoin(Place, Entity.place_id == Place.id)
        .where(*where)
        .order_by(*order)
    )
    return [mention_row(m, name, place) for m, name, place in session.execute(stmt)]


def mentions_of_document(session: Session, document_id: int) -> list[MentionRow]:
    """Return the mentions of one document in text order."""
    return mention_rows(
        session, Mention.document_id == document_id, order=(Mention.start, Mention.end)
    )


def mention_row(m: Mention, entity_name: str | None, place_name: str | None) -> MentionRow:
    """Turn a Mention into the plain row the UI shows."""
    return MentionRow(
        id=m.id,
        document_id=m.document_id,
        start=m.start,
        end=m.end,
        text=m.text,
        label=m.label,
        status=m.status,
        origin=m.origin,
        confidence=m.confidence,
        entity_id=m.entity_id,
        entity_name=entity_name,
        place_name=place_name,
        flagged=m.flagged,
        value=m.value,
        version=m.version,
    )


def target_name(session: Session, kind: str, target_id: int) -> str | None:
    """The name an analyst knows a document, entity or mention by (None if it is gone)."""
    if kind == "document":
        document = session.get(Document, target_id)
        return document.title if document else None
    if kind == "entity":
        entity = session.get(Entity, target_id)
        return entity.canonical_name if entity else None
    mention = session.get(Mention, target_id)
    return mention.text if mention else None


def main_language(session: Session) -> str | None:
    """The language most documents of the case are in (guesses not counted), or None.

    The tie-breaker when detection is unsure of a document's language.
    """
    return session.scalar(
        select(Document.language)
        .where(Document.language.is_not(None), Document.language != "und",
               Document.language_guessed.is_(False))
        .group_by(Document.language)
        .order_by(func.count().desc(), Document.language)
        .limit(1)
    )
