"""Read-only queries for the review of mentions: snapshots, the queue, what the analyst touched."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, TextClause, case, func, or_, select, text
from sqlalchemy.orm import Session

from db.models import (
    AuditEntry,
    Document,
    Entity,
    EntityMerge,
    Mention,
    Note,
    Place,
    Relation,
    TagLink,
)
from db.queries import mention_row, place_label
from desktop.dto import (
    MentionSnapshot,
    ReviewItem,
)

# The sentence shown around a mention: at most this many characters either side.
SENTENCE_WINDOW = 300
# A period after a number before a month or a lower-case word is a German ordinal
# ("am 2. Oktober"), not the end of the sentence.
_MONTHS = ("Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
           "Dezember")
_SENTENCE_END = re.compile(
    r"(?:[!?…]|(?<!\d)\.|(?<=\d)\.(?!\s+(?:(?:" + _MONTHS + r")\b|[a-zäöüß])))\s|\n")


def snapshot(m: Mention) -> MentionSnapshot:
    """Return every stored field of a mention."""
    return MentionSnapshot(
        id=m.id,
        document_id=m.document_id,
        entity_id=m.entity_id,
        start=m.start,
        end=m.end,
        text=m.text,
        label=m.label,
        status=m.status,
        origin=m.origin,
        confidence=m.confidence,
        model_name=m.model_name,
        model_version=m.model_version,
        value=m.value,
        flagged=m.flagged,
        version=m.version,
    )


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return cheap sentence bounds around ``text[start:end]`` (punctuation + space, newline)."""
    low = max(0, start - SENTENCE_WINDOW)
    left = low
    for match in _SENTENCE_END.finditer(text, low, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + SENTENCE_WINDOW))
    right = right_match.start() + 1 if right_match else min(len(text), end + SENTENCE_WINDOW)
    if right_match and text[right_match.start()] == "\n":
        right -= 1
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def _suggested(document_id: int | None) -> list[ColumnElement[bool] | TextClause]:
    """Conditions for suggested mentions of a document or the case.

    For one document ``|| ''`` keeps SQLite on the document index: by the status index it
    would walk every suggested mention of the case (0.2 ms against 360 ms at 300k).
    """
    if document_id is None:
        return [Mention.status == "suggested"]
    return [text("(mentions.status || '') = 'suggested'"), Mention.document_id == document_id]


def _queue_stmt(document_id: int | None, exclude: Sequence[int]) -> Select:
    stmt = select(Mention.id).where(*_suggested(document_id))
    if exclude:
        stmt = stmt.where(Mention.id.not_in(list(exclude)))
    return stmt


def review_queue_ids(
    session: Session, document_id: int | None, limit: int, exclude: Sequence[int] = ()
) -> list[int]:
    """Suggested mentions, least confident first; NULL confidence comes LAST.

    Two index range scans instead of one ``NULLS LAST`` sort, so a big case answers at once.
    """
    if document_id is not None:  # a document has few mentions: sort them here, not by index
        rows = session.execute(_queue_stmt(document_id, exclude).add_columns(Mention.confidence))
        ordered = sorted(rows, key=lambda r: (r.confidence is None, r.confidence or 0.0, r.id))
        return [r.id for r in ordered[:limit]]
    base = _queue_stmt(None, exclude)
    scored = base.where(Mention.confidence.is_not(None)).order_by(Mention.confidence, Mention.id)
    ids = list(session.scalars(scored.limit(limit)))
    if len(ids) < limit:
        unscored = base.where(Mention.confidence.is_(None)).order_by(Mention.id)
        ids += list(session.scalars(unscored.limit(limit - len(ids))))
    return ids


def count_suggested(session: Session, document_id: int | None) -> int:
    """Return how many mentions are still suggested in a document or the whole case."""
    stmt = select(func.count()).select_from(Mention).where(*_suggested(document_id))
    return session.scalar(stmt) or 0


def review_items(session: Session, ids: Sequence[int]) -> list[ReviewItem]:
    """Return queue items for mention ids, in the given order, with their sentences."""
    if not ids:
        return []
    # CASE, not SQLite's two-argument max(), which PostgreSQL calls greatest().
    lo = case((Mention.start > SENTENCE_WINDOW, Mention.start - SENTENCE_WINDOW), else_=0)
    stmt = (
        select(
            Mention, Entity.canonical_name, place_label(), Document.title, lo,
            func.substr(Document.text, lo + 1, Mention.end - lo + SENTENCE_WINDOW),
        )
        .join(Document, Document.id == Mention.document_id)
        .outerjoin(Entity, Mention.entity_id == Entity.id)
        .outerjoin(Place, Entity.place_id == Place.id)
        .where(Mention.id.in_(list(ids)))
    )
    found = {}
    for m, name, place, title, offset, window in session.execute(stmt):
        left, right = sentence_bounds(window, m.start - offset, m.end - offset)
        found[m.id] = ReviewItem(
            mention_row(m, name, place), title, window[left:right], offset + left
        )
    return [found[i] for i in ids if i in found]


def identical_mentions(
    session: Session, text: str, label: str, acted_on: int
) -> list[Mention]:
    """Return the still-suggested mentions of the case with this text and label, and ``acted_on``.

    Mentions the analyst already decided on stay as they are: "apply to all" is for the rest.
    """
    stmt = select(Mention).where(
        Mention.text == text,
        Mention.label == label,
        or_(Mention.status == "suggested", Mention.id == acted_on),
    )
    return list(session.scalars(stmt.order_by(Mention.id)))


# -- what the analyst touched (re-extraction keeps it) ---------------------------------------------
# Review actions whose audit entry can name mentions other than its target (lists of states):
# re-extraction and the history of a document look for mentions in these only. A new action
# that records several mentions belongs here.
LISTING_ACTIONS = tuple(
    f"{prefix}mention.{name}"
    for prefix in ("", "undo:", "redo:")
    for name in ("accept_identical", "reject_identical", "relabel_identical", "join", "split")
)


@dataclass(frozen=True)
class ListedMentions:
    """Mentions named by several-mention review actions in the audit log, up to entry ``until``.

    ``seen`` maps a mention id to the time of the newest such entry naming it.
    """

    until: int
    seen: dict[int, dt.datetime]


def _mention_states(state: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Yield the mention states of audit data: one flat state, or a list under "mentions"."""
    if not state:
        return
    for item in state.get("mentions", [state]):
        if isinstance(item, dict) and "id" in item:
            yield item


def listed_mentions(session: Session, after: int = 0) -> ListedMentions:
    """Return the mentions that several-mention audit entries after entry ``after`` name.

    The action column is read without parsing JSON, so a whole audit log is cheap to scan; only
    the few listing entries are decoded.
    """
    until = session.scalar(select(func.max(AuditEntry.id))) or 0
    stmt = select(AuditEntry.at, AuditEntry.before, AuditEntry.after).where(
        AuditEntry.id > after, AuditEntry.id <= until, AuditEntry.action.in_(LISTING_ACTIONS)
    )
    seen: dict[int, dt.datetime] = {}
    for at, before, after_state in session.execute(stmt):
        for state in (*_mention_states(before), *_mention_states(after_state)):
            seen[state["id"]] = max(seen.get(state["id"], at), at)
    return ListedMentions(max(until, after), seen)


def replaceable_suggestions(
    session: Session, document_id: int, listed: ListedMentions
) -> tuple[list[int], set[tuple[int, int]]]:
    """Return a document's machine suggestions the analyst never touched, and the kept spans.

    Touched means decided on, added, flagged, carrying a note or tag, or named by any review
    action in the audit log after the mention was created (relabel, span change, undo ...); ids
    are reused, so entries older than the mention are about another one.
    """
    rows = session.execute(
        select(Mention.id, Mention.start, Mention.end, Mention.created_at, Mention.status,
               Mention.origin, Mention.flagged).where(Mention.document_id == document_id)
    ).all()
    untouched = {r.id: r.created_at for r in rows
                 if r.status == "suggested" and r.origin != "analyst" and not r.flagged}
    touched = _touched(session, untouched, listed)
    replace = [i for i in untouched if i not in touched]
    kept = {(r.start, r.end) for r in rows if r.id not in untouched or r.id in touched}
    return replace, kept


def _touched(
    session: Session, created: dict[int, dt.datetime], listed: ListedMentions
) -> set[int]:
    ids = list(created)
    if not ids:
        return set()
    touched: set[int] = set()
    for attached in (Note, TagLink):
        touched.update(i for i in session.scalars(
            select(attached.mention_id).where(attached.mention_id.in_(ids))) if i is not None)
    audited = session.execute(
        select(AuditEntry.target_id, func.max(AuditEntry.at))
        .where(AuditEntry.target_type == "mention", AuditEntry.target_id.in_(ids))
        .group_by(AuditEntry.target_id)
    ).all()
    newer = listed_mentions(session, listed.until).seen  # actions since the scan
    for seen in (dict(audited), listed.seen, newer):
        touched |= {i for i in ids if i in seen and seen[i] >= created[i]}
    return touched


def recorded_moves(
    session: Session, mention_id: int, actions: Sequence[str]
) -> list[dict[str, Any]]:
    """Return the note and tag moves that audit entries of ``actions`` recorded, newest first."""
    stmt = (
        select(AuditEntry.after)
        .where(AuditEntry.target_type == "mention", AuditEntry.target_id == mention_id,
               AuditEntry.action.in_(list(actions)))
        .order_by(AuditEntry.id.desc())
    )
    return [move for after in session.scalars(stmt) if after for move in after.get("moved", [])]


def unused_entities(session: Session, entity_ids: set[int]) -> list[int]:
    """Return those of ``entity_ids`` with no mention, note, tag, relation or merge record."""
    used = select(Mention.entity_id).where(Mention.entity_id.in_(entity_ids)).union(
        select(Note.entity_id).where(Note.entity_id.in_(entity_ids)),
        select(TagLink.entity_id).where(TagLink.entity_id.in_(entity_ids)),
        select(Relation.source_entity_id).where(Relation.source_entity_id.in_(entity_ids)),
        select(Relation.target_entity_id).where(Relation.target_entity_id.in_(entity_ids)),
        select(EntityMerge.kept_entity_id).where(EntityMerge.kept_entity_id.in_(entity_ids)),
    )
    taken = {entity_id for (entity_id,) in session.execute(used)}
    return sorted(entity_ids - taken)
