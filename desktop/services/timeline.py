"""The case timeline: dated events from resolved DATE mentions, grouped and filtered."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from db import timeline_queries as queries
from db.sentences import Sentences
from desktop.dto import (
    EventEntity,
    Evidence,
    TimelineBucket,
    TimelineEvent,
    TimelineFilters,
    TimelineZoom,
)
from desktop.services.case import Case


def period(value: str) -> tuple[dt.date, dt.date, str] | None:
    """Return (first day, last day, granularity) of a stored date value, or None.

    Values: "2024-10-02" (day), "2024-W44" (ISO week), "2024-10" (month), "2024" (year), or
    an ISO interval "a/b" of two of these.
    """
    if "/" in value:
        left, _, right = value.partition("/")
        first, last = period(left), period(right)
        if first is None or last is None:
            return None
        return first[0], last[1], "range"
    try:
        if "-W" in value:
            year, week = value.split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week[:2]), 1)
            return monday, monday + dt.timedelta(days=6), "week"
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = dt.date(*parts)
            return day, day, "day"
        if len(parts) == 2:
            days = calendar.monthrange(parts[0], parts[1])[1]
            return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], days), "month"
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), "year"
    except ValueError:
        return None
    return None


def _entities_in(
    mentions: list[tuple[int, int, str, str]], sentences: Sentences, index: int
) -> tuple[EventEntity, ...]:
    left, right = sentences.bounds(index)
    found: dict[int, EventEntity] = {}
    for start, entity_id, label, name in mentions:
        if left <= start < right:
            found.setdefault(entity_id, EventEntity(entity_id, label, name))
    return tuple(found.values())


def _mention_events(session: Session, filters: TimelineFilters) -> list[TimelineEvent]:
    rows = queries.date_mentions(session, filters.document_ids, filters.accepted_only)
    docs = {row[1] for row in rows}
    texts = queries.documents(session, docs)
    entities = queries.entity_mentions(session, docs, filters.accepted_only)
    split: dict[int, Sentences] = {}
    events = []
    for mention_id, doc_id, start, end, value in rows:
        found = period(str(value["iso"]))
        if found is None:
            continue
        title, text, _ = texts[doc_id]
        sentences = split.get(doc_id) or split.setdefault(doc_id, Sentences(text))
        index = sentences.index(start)
        left, right = sentences.around(start, end)
        events.append(TimelineEvent(
            start=found[0], end=found[1], value=str(value["iso"]),
            granularity=str(value.get("granularity") or found[2]),
            sentence=text[left:right], evidence=Evidence(doc_id, left, right),
            document_title=title, entities=_entities_in(entities.get(doc_id, []), sentences, index),
            mention_id=mention_id,
        ))
    return events


def _publication_events(
    session: Session, document_ids: Iterable[int] | None
) -> list[TimelineEvent]:
    events = []
    for doc_id, title, published, head in queries.undated_documents(session, document_ids):
        sentences = Sentences(head)
        left, right = sentences.bounds(0)
        events.append(TimelineEvent(
            start=published, end=published, value=published.isoformat(), granularity="day",
            sentence=head[left:right], evidence=Evidence(doc_id, left, right),
            document_title=title, from_publication=True,
        ))
    return events


def _keep(event: TimelineEvent, filters: TimelineFilters, tagged: dict[str, set[int]]) -> bool:
    if filters.entity_id is not None and all(e.id != filters.entity_id for e in event.entities):
        return False
    if filters.label and all(e.label != filters.label for e in event.entities):
        return False
    if filters.tag:
        return (
            event.evidence.document_id in tagged["document"]
            or event.mention_id in tagged["mention"]
            or any(e.id in tagged["entity"] for e in event.entities)
        )
    return True


def timeline(case: Case, filters: TimelineFilters | None = None) -> list[TimelineEvent]:
    """Return the case's dated events, earliest first.

    Every live DATE mention whose value names a period is an event, with its sentence and the
    entities named in that sentence. A document with a publication date and no such mention
    is one event at that date, marked ``from_publication``.

    Args:
        case: The open case.
        filters: Keep events naming an entity, an entity of a label, carrying a tag (on the
            document, the date mention or an entity named), or in some documents;
            with ``accepted_only`` only accepted dates and entities count.
    """
    filters = filters or TimelineFilters()
    docs = filters.document_ids
    with case.reading() as session:
        events = _mention_events(session, filters) + _publication_events(session, docs)
        tagged = queries.tagged_targets(session, filters.tag) if filters.tag else {}
    kept = [e for e in events if _keep(e, filters, tagged)]
    kept.sort(key=lambda e: (e.start, e.end, e.evidence.document_id, e.evidence.start))
    return kept


def bucket_of(day: dt.date, zoom: TimelineZoom) -> tuple[str, dt.date, dt.date]:
    """Return (label, first day, last day) of the period holding ``day`` at a zoom level."""
    zoom = TimelineZoom(zoom)
    if zoom is TimelineZoom.DECADE:
        first = day.year - day.year % 10
        return f"{first}s", dt.date(first, 1, 1), dt.date(first + 9, 12, 31)
    if zoom is TimelineZoom.YEAR:
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if zoom is TimelineZoom.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return (f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1),
                dt.date(day.year, day.month, last))
    return day.isoformat(), day, day


def buckets(events: Sequence[TimelineEvent], zoom: TimelineZoom) -> list[TimelineBucket]:
    """Return the periods at ``zoom`` that hold events (by their first day), in order."""
    counts: Counter[tuple[str, dt.date, dt.date]] = Counter(
        bucket_of(e.start, zoom) for e in events
    )
    return [TimelineBucket(label, first, last, n)
            for (label, first, last), n in sorted(counts.items(), key=lambda kv: kv[0][1])]


def within(
    events: Sequence[TimelineEvent], first: dt.date, last: dt.date
) -> list[TimelineEvent]:
    """Return the events whose first day lies in [first, last]."""
    return [e for e in events if first <= e.start <= last]
