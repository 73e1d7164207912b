"""The review queue: suggested mentions least confident first, and what is left to review."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from db import review_queries
from db.models import Mention
from db.review_queries import snapshot
from desktop.dto import MentionSnapshot, ReviewBatch
from desktop.services.case import Case


def review_queue(
    case: Case, document_id: int | None = None, *, limit: int = 100, skip: Sequence[int] = ()
) -> ReviewBatch:
    """Return the next suggested mentions, least confident first (no confidence last).

    Args:
        case: The open case.
        document_id: Limit the queue to one document; None for the whole case.
        limit: How many items to return at most.
        skip: Mention ids the analyst skipped in this session (left out of the batch).
    """
    with case.reading() as session:
        ids = review_queries.review_queue_ids(session, document_id, limit, skip)
        items = review_queries.review_items(session, ids)
        remaining = review_queries.count_suggested(session, document_id)
        return ReviewBatch(tuple(items), remaining)


def mention_states(case: Case, mention_ids: Sequence[int]) -> list[MentionSnapshot]:
    """Return the stored state of mentions (missing ones are left out)."""
    with case.reading() as session:
        rows = session.scalars(select(Mention).where(Mention.id.in_(list(mention_ids))))
        return [snapshot(m) for m in rows]


def remaining(case: Case, document_id: int | None = None) -> int:
    """Return how many mentions are still suggested in a document or the whole case."""
    with case.reading() as session:
        return review_queries.count_suggested(session, document_id)
