"""Reading the case for the window: document list, one document, its mentions."""

from __future__ import annotations

from dataclasses import replace

from db import queries
from desktop.dto import DocumentDetail, DocumentSummary, MentionRow, Target
from desktop.services.case import Case


def list_documents(case: Case) -> list[DocumentSummary]:
    """Return every document of the case, newest import first."""
    with case.reading() as session:
        return queries.list_documents(session)


def document_with_mentions(
    case: Case, document_id: int
) -> tuple[DocumentDetail | None, list[MentionRow]]:
    """Return one document and its mentions in text order (None if it is gone)."""
    with case.reading() as session:
        detail = queries.get_document(session, document_id)
        mentions = queries.mentions_of_document(session, document_id) if detail else []
    if detail is not None and detail.pages:
        mentions = [replace(m, page=detail.page_at(m.start)) for m in mentions]
    return detail, mentions


def target_title(case: Case, target: Target) -> str:
    """How a panel names a note's target: "document “Title”", "mention “Kursk”"."""
    with case.reading() as session:
        name = queries.target_name(session, target.kind, target.id)
    return f"{target.kind} “{name}”" if name is not None else f"a deleted {target.kind}"
