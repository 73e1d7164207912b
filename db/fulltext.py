"""Full-text queries, one function per dialect: SQLite FTS5, or PostgreSQL tsvector + GIN.

Both return the same rows: hits best first (``rank``: lower is better) with the whole title or
text back, each hit wrapped in the caller's open/close markers, so services locate and cut
snippets the same way on both engines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

# One search term: its words (a phrase when several) and whether the last one is a prefix.
Term = tuple[tuple[str, ...], bool]
# PostgreSQL text search configurations a document can be indexed with (see revision 0002).
CONFIGS = ("casedesk_german", "casedesk_english", "casedesk_simple")


def fts5_match(terms: Sequence[Term]) -> str:
    """Return the FTS5 query for ``terms``: all must occur."""
    return " ".join('"' + " ".join(words) + '"' + ("*" if prefix else "")
                    for words, prefix in terms)


def tsquery_text(terms: Sequence[Term]) -> str:
    """Return the ``to_tsquery`` text for ``terms``: phrases as ``<->``, prefixes as ``:*``."""
    parts = []
    for words, prefix in terms:
        part = " <-> ".join(words) + (":*" if prefix else "")
        parts.append(f"({part})")
    return " & ".join(parts)


# Appended to a column in a filter, it keeps SQLite's planner off that column's index.
_UNINDEXED = " || ''"


def unindexed(column: str) -> str:
    """Return ``column`` as an expression SQLite will not look up by an index.

    On PostgreSQL the hint is taken out again (``_pg_where``): there it would hide the
    column's statistics, and the planner, expecting few rows, read every labelled mention.
    """
    return f"({column}{_UNINDEXED})"


def _pg_where(where: str) -> str:
    return where.replace(_UNINDEXED, "")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def document_hits(session: Session, terms: Sequence[Term], where: str, params: dict[str, Any],
                  limit: int, marks: tuple[str, str]) -> list[tuple[int, float, str, str]]:
    """Return (document id, rank, marked title, marked text) of the best hits.

    Args:
        session: An open session.
        terms: What must occur.
        where: Extra SQL conditions on ``hits.id`` (the document id), or "".
        params: Their parameters.
        limit: At most this many hits.
        marks: The strings put before and after each hit.
    """
    if _dialect(session) == "postgresql":
        return _pg_document_hits(session, tsquery_text(terms), where, params, limit, marks)
    return _fts5_document_hits(session, fts5_match(terms), where, params, limit, marks)


def note_hits(session: Session, terms: Sequence[Term], where: str, params: dict[str, Any],
              limit: int, marks: tuple[str, str]) -> list[tuple[Any, ...]]:
    """Return (note id, entity id, start, end, document id, title, rank, marked note) rows.

    ``where`` holds conditions on the note ``n`` and its mention ``m``.
    """
    sql = ("{head}SELECT n.id, n.entity_id, m.start, m.end, "
           "coalesce(n.document_id, m.document_id), d.title, {rank}, {mark} FROM {notes} "
           "LEFT JOIN mentions m ON m.id = n.mention_id LEFT JOIN documents d "
           "ON d.id = coalesce(n.document_id, m.document_id) WHERE {match}"
           + (f" AND {where}" if where else "") + " ORDER BY 7, 1 LIMIT :limit")
    values = {"limit": limit, "o": marks[0], "c": marks[1], **params}
    if _dialect(session) == "postgresql":
        values["q"] = tsquery_text(terms)
        query = "to_tsquery('casedesk_simple', :q)"
        # The matching notes first (few), then the filters on each: with the match beside
        # them, the planner checked the filters on every note, reading every labelled mention.
        head = ("WITH note_hits AS MATERIALIZED (SELECT n.*, f.tsv FROM fts_notes f "
                f"JOIN notes n ON n.id = f.id WHERE f.tsv @@ {query}) ")
        rows = session.execute(text(_pg_where(sql).format(
            head=head, rank=f"-ts_rank(n.tsv, {query})", notes="note_hits n", match="true",
            mark=f"ts_headline('casedesk_simple', n.text, {query}, :opts)")),
            {**values, "opts": _headline_options(marks)}).all()
        return [(*row[:7], _join_marks(row[7], marks)) for row in rows]
    values["q"] = fts5_match(terms)
    return [tuple(row) for row in session.execute(text(sql.format(
        head="", rank="fts_notes.rank", mark="highlight(fts_notes, 0, :o, :c)",
        notes="fts_notes JOIN notes n ON n.id = fts_notes.rowid",
        match="fts_notes MATCH :q")), values).all()]


def _fts5_document_hits(session: Session, match: str, where: str, params: dict[str, Any],
                        limit: int, marks: tuple[str, str]) -> list[tuple[int, float, str, str]]:
    marked = "highlight(fts_documents, 0, :o, :c), highlight(fts_documents, 1, :o, :c)"
    values = {"q": match, "limit": limit, "o": marks[0], "c": marks[1], **params}
    if not where:
        # FTS5 sorts by rank itself, so highlight() (it reads each whole text) runs only for
        # the rows the LIMIT keeps: one pass over the index.
        rows = session.execute(text(
            f"SELECT rowid, rank, {marked} FROM fts_documents WHERE fts_documents MATCH :q "
            "ORDER BY rank LIMIT :limit"), values).all()
        return [tuple(row) for row in rows]
    # Filters go outside the FTS scan: inside it FTS5 would run the match once per rowid.
    top = session.execute(text(
        "WITH hits AS MATERIALIZED (SELECT rowid AS id, rank FROM fts_documents "
        f"WHERE fts_documents MATCH :q) SELECT id, rank FROM hits WHERE {where} "
        "ORDER BY rank LIMIT :limit"), values).all()
    if not top:
        return []
    ranks: dict[int, float] = dict(top)  # type: ignore[arg-type]
    rows = session.execute(text(
        f"SELECT rowid, {marked} FROM fts_documents WHERE fts_documents MATCH :q "
        f"AND rowid IN ({','.join(map(str, ranks))})"), values).all()
    return sorted(((row_id, ranks[row_id], title, body) for row_id, title, body in rows),
                  key=lambda row: row[1])


def _headline_options(marks: tuple[str, str]) -> str:
    return f"HighlightAll=true, StartSel={marks[0]}, StopSel={marks[1]}"


def _join_marks(marked: str, marks: tuple[str, str]) -> str:
    """Mark a phrase as one hit, as FTS5 does: ts_headline marks each of its words."""
    return re.sub(re.escape(marks[1]) + r"(\s+)" + re.escape(marks[0]), r"\1", marked)


def _pg_match(alias: str) -> str:
    # One condition per configuration: each to_tsquery is a constant, so the GIN index serves
    # all three (a BitmapOr), and a document only matches the query stemmed its own way.
    return " OR ".join(f"({alias}.config = '{cfg}'::regconfig "
                       f"AND {alias}.tsv @@ to_tsquery('{cfg}', :q))" for cfg in CONFIGS)


def _pg_query(alias: str) -> str:
    """The query stemmed the way of each row's configuration.

    Not ``to_tsquery(config, :q)``: with a column as its configuration it is parsed and
    stemmed again for every hit, which took most of the time of a search with many hits.
    """
    cases = " ".join(f"WHEN '{cfg}'::regconfig THEN to_tsquery('{cfg}', :q)"
                     for cfg in CONFIGS[:-1])
    return f"CASE {alias}.config {cases} ELSE to_tsquery('{CONFIGS[-1]}', :q) END"


# ts_headline parses the whole text it is given: most first hits are near the start, so the
# start is marked first, and only documents without a hit there are marked in full.
HEAD_CHARS = 600


def _pg_document_hits(session: Session, query: str, where: str, params: dict[str, Any],
                      limit: int, marks: tuple[str, str]) -> list[tuple[int, float, str, str]]:
    values = {"q": query, "limit": limit, "opts": _headline_options(marks), "head": HEAD_CHARS,
              **params}
    rank = f"-ts_rank(f.tsv, {_pg_query('f')}) AS rank"
    if where:  # the hits the filters keep first; only those are ranked
        top = ("WITH kept AS MATERIALIZED (SELECT hits.id FROM fts_documents hits "
               f"WHERE ({_pg_match('hits')}) AND {_pg_where(where)}) SELECT f.id, f.config, "
               f"{rank} FROM kept JOIN fts_documents f ON f.id = kept.id")
    else:
        top = f"SELECT f.id, f.config, {rank} FROM fts_documents f WHERE {_pg_match('f')}"
    # The best hits, then their start marked in the same statement (one round trip).
    rows = session.execute(text(
        f"SELECT top.id, top.rank, {_pg_marked('top', HEAD_CHARS)} FROM ({top} "
        "ORDER BY rank, f.id LIMIT :limit) top JOIN documents d ON d.id = top.id"), values).all()
    ranks = {row_id: rank for row_id, rank, *_ in rows}
    marked = {row_id: (title, body, cut) for row_id, _, title, body, cut in rows}
    rest = [row_id for row_id, (_, body, cut) in marked.items() if cut and marks[0] not in body]
    if rest:
        marked.update(_pg_headlines(session, query, rest, marks))
    return sorted(((row_id, ranks[row_id], _join_marks(title, marks), _join_marks(body, marks))
                   for row_id, (title, body, _) in marked.items()),
                  key=lambda row: (row[1], row[0]))


def _pg_marked(alias: str, head: int | None) -> str:
    """Marked title, marked text (or its start: ``head`` characters), whether it was cut.

    ``alias`` has the row's text search ``config``; ``d`` is its document. A cut text ends
    before its last partial word, so no half word can match.
    """
    body = ("d.text" if head is None else
            r"CASE WHEN length(d.text) > :head THEN regexp_replace(left(d.text, :head), "
            r"'\S+$', '') ELSE d.text END")
    cut = "false" if head is None else "length(d.text) > :head"
    return (f"ts_headline({alias}.config, d.title, {_pg_query(alias)}, :opts), "
            f"ts_headline({alias}.config, {body}, {_pg_query(alias)}, :opts), {cut}")


def _pg_headlines(session: Session, query: str, ids: list[int],
                  marks: tuple[str, str]) -> dict[int, tuple[str, str, bool]]:
    """Return id -> (marked title, marked whole text, False) of documents."""
    rows = session.execute(text(
        f"SELECT d.id, {_pg_marked('f', None)} FROM documents d JOIN fts_documents f "
        "ON f.id = d.id WHERE d.id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"q": query, "opts": _headline_options(marks), "ids": ids}).all()
    return {row_id: (title, marked, was_cut) for row_id, title, marked, was_cut in rows}
