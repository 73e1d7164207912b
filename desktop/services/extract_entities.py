"""Run extraction again on stored documents, e.g. after the analyst corrects the language."""

from __future__ import annotations

from collections.abc import Generator, Sequence

from sqlalchemy import delete, select

from db.models import Document, Mention
from desktop.dto import Progress
from desktop.services import audit
from desktop.services.analysis import CaseAnalyzer
from desktop.services.case import Case


def _chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def extract_documents(
    case: Case, analyzer: CaseAnalyzer, document_ids: Sequence[int], batch_size: int = 16
) -> Generator[Progress, None, int]:
    """Replace machine suggestions of documents with fresh ones; analyst decisions stay.

    Each document is rewritten in its own transaction, so cancelling between documents leaves
    every document either as it was or fully re-extracted. Returns the mentions stored.
    """
    total = len(document_ids)
    done = stored = 0
    for chunk in _chunks(list(document_ids), batch_size):
        with case.reading() as session:
            docs = list(session.scalars(select(Document).where(Document.id.in_(chunk))))
        langs = [d.language if d.language_source == "analyst" else None for d in docs]
        analyses = analyzer.analyze(docs, langs)
        for doc, analysis in zip(docs, analyses, strict=True):
            stored += _replace_suggestions(case, analyzer, doc.id, analysis)
            done += 1
            yield Progress(done, total, f"extracted: {doc.title[:60]}")
    return stored


def _replace_suggestions(
    case: Case, analyzer: CaseAnalyzer, document_id: int, analysis: object
) -> int:
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            return 0
        session.execute(
            delete(Mention).where(
                Mention.document_id == document_id,
                Mention.status == "suggested",
                Mention.origin != "analyst",
            )
        )
        count = analyzer.store(session, document, analysis)
        audit.record(
            session,
            case.actor,
            "extract_entities",
            "document",
            document_id,
            after={
                "mentions": count,
                "language": document.language,
                "state": document.extraction_state,
            },
        )
        return count


def set_language(case: Case, document_id: int, language: str) -> str | None:
    """Set a document's language by hand (audited); returns the language it had."""
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ValueError(f"document {document_id} no longer exists")
        before = document.language
        document.language = language
        document.language_source = "analyst"
        audit.record(
            session,
            case.actor,
            "set_language",
            "document",
            document_id,
            before={"language": before},
            after={"language": language},
        )
        return before
