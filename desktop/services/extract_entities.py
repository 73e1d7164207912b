"""Run extraction again on stored documents, e.g. after the analyst corrects the language."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Sequence

from sqlalchemy import delete, select

from db import review_queries
from db.models import Document, Mention
from db.queries import main_language
from db.review_queries import ListedMentions
from desktop.dto import Progress
from desktop.nlp.parts import relay
from desktop.services import audit
from desktop.services.analysis import CaseAnalyzer, DocumentAnalysis
from desktop.services.case import Case
from desktop.services.steps import part_progress


def _chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def extract_documents(
    case: Case, analyzer: CaseAnalyzer, document_ids: Sequence[int], batch_size: int = 16
) -> Generator[Progress, None, int]:
    """Replace machine suggestions of documents with fresh ones; analyst work stays.

    A mention the analyst touched in any way stays as it is, with its notes and tags, and no
    new suggestion is added on its span. Each document is rewritten in its own transaction, so
    cancelling between documents leaves every document either as it was or fully re-extracted.
    Returns the mentions stored.
    """
    total = len(document_ids)
    done = stored = 0
    with case.reading() as session:  # one audit scan per run; each document adds what is newer
        listed = review_queries.listed_mentions(session)
        main = main_language(session)
    for chunk in _chunks(list(document_ids), batch_size):
        with case.reading() as session:
            docs = list(session.scalars(select(Document).where(Document.id.in_(chunk))))
        langs = [d.language if d.language_source == "analyst" else None for d in docs]
        steps = analyzer.analyze_steps(docs, langs, main_language=main)
        titles = [doc.title for doc in docs]
        analyses = yield from relay(steps, part_progress(titles, done, total))
        for doc, analysis in zip(docs, analyses, strict=True):
            stored += _replace_suggestions(case, analyzer, doc.id, analysis, listed)
            done += 1
            yield Progress(done, total, f"extracted: {doc.title[:60]}")
    return stored


def _replace_suggestions(
    case: Case, analyzer: CaseAnalyzer, document_id: int, analysis: object,
    listed: ListedMentions,
) -> int:
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            return 0
        replace, kept = review_queries.replaceable_suggestions(session, document_id, listed)
        session.execute(delete(Mention).where(Mention.id.in_(replace)))
        count = analyzer.store(session, document, _without_spans(analysis, kept))
        audit.record(
            session,
            case.actor,
            "extract_entities",
            "document",
            document_id,
            after={
                "mentions": count,
                "replaced": len(replace),
                "language": document.language,
                "state": document.extraction_state,
            },
        )
        return count


def _without_spans(analysis: object, spans: set[tuple[int, int]]) -> object:
    """Leave out extracted entities on spans that already have a mention the analyst kept."""
    if not spans or not isinstance(analysis, DocumentAnalysis):
        return analysis
    entities = analysis.result.entities
    keep = [i for i, e in enumerate(entities) if (e.start, e.end) not in spans]
    result = dataclasses.replace(analysis.result, entities=[entities[i] for i in keep])
    places = {new: analysis.places[old] for new, old in enumerate(keep) if old in analysis.places}
    return DocumentAnalysis(result, places)


def set_language(case: Case, document_id: int, language: str) -> str | None:
    """Set a document's language by hand (audited); returns the language it had."""
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ValueError(f"document {document_id} no longer exists")
        before = document.language
        document.language = language
        document.language_source = "analyst"
        document.language_guessed = False
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
