"""Full-text search over document titles, texts and notes, with filters (FTS5 or tsvector)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from db import fulltext
from desktop.dto import SearchFilters, SearchHit
from desktop.services.case import Case

# Private-use characters mark hits in highlight(); they never occur in imported text.
_OPEN, _CLOSE = "\ue000", "\ue001"
SNIPPET_CONTEXT = 60
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def parse_terms(query: str) -> list[fulltext.Term]:
    """Split what the analyst typed into search terms (all must occur).

    ``"two words"`` is a phrase and a trailing ``*`` a prefix; every other character a
    full-text engine would read as syntax is dropped, so no input can make the query fail.
    """
    terms: list[fulltext.Term] = []
    for phrase, word in _TERM.findall(query):
        words = _WORD.findall(phrase or word)
        if words:
            terms.append((tuple(words), not phrase and word.endswith("*")))
    return terms


def fts_query(query: str) -> str | None:
    """Return the FTS5 form of ``query`` (None when it has no word), as SQLite searches it."""
    terms = parse_terms(query)
    return fulltext.fts5_match(terms) if terms else None


def _document_filter(filters: SearchFilters, column: str) -> tuple[str, dict[str, Any]]:
    """Return SQL conditions on a document id column, and their parameters.

    Correlated EXISTS per hit through the document_id index (``|| ''`` keeps SQLite off the
    entity and status indexes) is several times faster than materialising every document
    with a label, and far faster than handing FTS5 a rowid list.
    """
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.language:
        clauses.append(f"EXISTS (SELECT 1 FROM documents d2 WHERE d2.id = {column} "
                       "AND d2.language = :language)")
        params["language"] = filters.language
    mention = []
    if filters.entity_id is not None:  # few documents per entity: its index finds them all
        clauses.append(f"{column} IN (SELECT document_id FROM mentions WHERE entity_id = :eid)")
        params["eid"] = filters.entity_id
    for key in ("label", "status"):
        if getattr(filters, key) is not None:
            mention.append(f"{fulltext.unindexed(f'm2.{key}')} = :{key}")
            params[key] = getattr(filters, key)
    if mention:
        clauses.append(f"EXISTS (SELECT 1 FROM mentions m2 WHERE m2.document_id = {column} "
                       f"AND {' AND '.join(mention)})")
    if filters.tag:  # the document, one of its mentions, or an entity it mentions has the tag
        clauses.append(
            f"{column} IN (SELECT coalesce(l.document_id, m.document_id) FROM tag_links l "
            "JOIN tags t ON t.id = l.tag_id LEFT JOIN mentions m ON m.id = l.mention_id "
            "WHERE t.name = :tag UNION SELECT em.document_id FROM tag_links l "
            "JOIN tags t ON t.id = l.tag_id JOIN mentions em ON em.entity_id = l.entity_id "
            "WHERE t.name = :tag)"
        )
        params["tag"] = filters.tag
    return " AND ".join(clauses), params


def _entity_filter(filters: SearchFilters, column: str) -> str:
    """Return SQL conditions on an entity id column (for notes on entities).

    The entity must be the one filtered for and carry the tag; label, status and language hold
    when one of its mentions has them (in a document in that language).
    """
    clauses = []
    if filters.entity_id is not None:
        clauses.append(f"{column} = :eid")
    if filters.tag:
        clauses.append(f"{column} IN (SELECT l.entity_id FROM tag_links l JOIN tags t "
                       "ON t.id = l.tag_id WHERE t.name = :tag)")
    mention = [f"{fulltext.unindexed(f'm3.{key}')} = :{key}" for key in ("label", "status")
               if getattr(filters, key) is not None]
    if filters.language:
        mention.append("EXISTS (SELECT 1 FROM documents d3 WHERE d3.id = m3.document_id "
                       "AND d3.language = :language)")
    if mention:
        clauses.append(f"EXISTS (SELECT 1 FROM mentions m3 WHERE m3.entity_id = {column} "
                       f"AND {' AND '.join(mention)})")
    return " AND ".join(clauses) or "1"


def _note_filter(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    """Return SQL conditions on a note ``n`` (with its mention ``m``), and their parameters.

    Notes on documents and mentions count through their document; notes on entities through
    the entity, which has no document.
    """
    doc = "coalesce(n.document_id, m.document_id)"
    on_doc, params = _document_filter(
        SearchFilters(filters.label, filters.status, filters.tag, filters.language), doc)
    if filters.entity_id is not None:
        entity = (f"(m.entity_id = :eid OR {doc} IN "
                  "(SELECT document_id FROM mentions WHERE entity_id = :eid))")
        on_doc = f"{on_doc} AND {entity}" if on_doc else entity
        params["eid"] = filters.entity_id
    if not on_doc:
        return "", params
    on_entity = _entity_filter(filters, "n.entity_id")
    return (f"(({doc} IS NOT NULL AND {on_doc}) OR "
            f"(n.entity_id IS NOT NULL AND {on_entity}))"), params


def _locate(marked: str) -> tuple[str, int | None, int | None]:
    """Return the clean text and the offsets of its first highlighted hit."""
    start = marked.find(_OPEN)
    clean = marked.replace(_OPEN, "").replace(_CLOSE, "")
    if start < 0:
        return clean, None, None
    end = marked.find(_CLOSE, start) - 1  # one marker precedes the close marker
    return clean, start, end


def _snippet(clean: str, start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return clean[: 2 * SNIPPET_CONTEXT].replace("\n", " ")
    lo, hi = max(0, start - SNIPPET_CONTEXT), min(len(clean), end + SNIPPET_CONTEXT)
    text_ = (("…" if lo else "") + clean[lo:start] + "[" + clean[start:end] + "]"
             + clean[end:hi] + ("…" if hi < len(clean) else ""))
    return text_.replace("\n", " ")


def _document_hits(session: Session, terms: list[fulltext.Term], filters: SearchFilters,
                   limit: int) -> list[SearchHit]:
    where, params = _document_filter(filters, "hits.id")
    rows = fulltext.document_hits(session, terms, where, params, limit, (_OPEN, _CLOSE))
    hits = []
    for row_id, rank, title_marked, body_marked in rows:
        title, _, _ = _locate(title_marked)
        body, start, end = _locate(body_marked)
        snippet = _snippet(body, start, end) if start is not None else _snippet(
            *_locate(title_marked))
        hits.append(SearchHit("document", row_id, title, snippet, start, end, rank=rank))
    return hits


def _note_hits(session: Session, terms: list[fulltext.Term], filters: SearchFilters,
               limit: int) -> list[SearchHit]:
    where, params = _note_filter(filters)
    rows = fulltext.note_hits(session, terms, where, params, limit, (_OPEN, _CLOSE))
    return [
        SearchHit("note", doc_id, title or "(note on an entity)",
                  _snippet(*_locate(marked)), start, end, note_id=note_id,
                  entity_id=entity_id, rank=rank)
        for note_id, entity_id, start, end, doc_id, title, rank, marked in rows
    ]


def search(case: Case, query: str, filters: SearchFilters | None = None, *,
           limit: int = 50) -> list[SearchHit]:
    """Search document titles, texts and notes; best hits first.

    Args:
        case: The open case.
        query: Words that must all occur; ``"a phrase"`` and ``prefix*`` work.
        filters: Restrict hits to documents with a language, tag, or a mention with a label,
            status or entity; a tag also counts on the document's mentions and the entities
            it mentions. Notes count through the document they are on, notes on an entity
            through that entity.
        limit: At most this many document hits and this many note hits.

    Returns:
        Document hits (offsets index the stored text; None when only the title matched), then
        note hits, each group best first.
    """
    terms = parse_terms(query)
    if not terms:
        return []
    filters = filters or SearchFilters()
    with case.reading() as session:
        hits = _document_hits(session, terms, filters, limit)
        if filters.include_notes:
            hits += _note_hits(session, terms, filters, limit)
        return hits
