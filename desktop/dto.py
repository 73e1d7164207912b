"""Plain data passed from services to the UI and the CLI: no ORM objects cross that line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Progress:
    """One step of long work: ``done`` of ``total`` (total 0 when unknown) and a short text."""

    done: int
    total: int
    text: str = ""


@dataclass(frozen=True)
class DocumentSummary:
    """A row of the document list."""

    id: int
    title: str
    language: str | None
    published: dt.date | None
    imported_at: dt.datetime
    characters: int
    mention_count: int
    original_name: str | None
    extraction_state: str


@dataclass(frozen=True)
class DocumentDetail:
    """Everything the document view shows about one document."""

    id: int
    title: str
    text: str
    language: str | None
    language_source: str
    published: dt.date | None
    source_url: str | None
    author: str | None
    original_name: str | None
    text_sha256: str
    extraction_notice: str | None


@dataclass(frozen=True)
class MentionRow:
    """A row of the mention table."""

    id: int
    document_id: int
    start: int
    end: int
    text: str
    label: str
    status: str
    origin: str
    confidence: float | None
    entity_id: int | None
    entity_name: str | None
    place_name: str | None
    flagged: bool = False
    value: dict[str, Any] | None = None


@dataclass(frozen=True)
class EntityRow:
    """A row of the entity panel."""

    id: int
    label: str
    canonical_name: str
    aliases: tuple[str, ...]
    mention_count: int
    document_count: int
    place_name: str | None
    place_kind: str | None
    false_positive: bool


@dataclass(frozen=True)
class ImportLine:
    """What happened to one input of an import: status imported/duplicate/failed and why."""

    source: str
    status: str
    reason: str | None = None
    document_id: int | None = None
    title: str | None = None
    language: str | None = None
    characters: int | None = None
    pages: int | None = None
    entities: int | None = None
    seconds: float | None = None


@dataclass
class ImportReport:
    """The report of one import batch."""

    run_id: int | None = None
    lines: list[ImportLine] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """Return how many lines have ``status``."""
        return sum(1 for line in self.lines if line.status == status)

    @property
    def failed(self) -> bool:
        """True when at least one input could not be imported."""
        return self.count("failed") > 0

    def summary(self) -> str:
        """Return a one-line summary an analyst can read in a status bar."""
        text = (
            f"{self.count('imported')} imported, {self.count('duplicate')} already in the case, "
            f"{self.count('failed')} failed"
        )
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass(frozen=True)
class CaseInfo:
    """Facts about the open case shown in the title bar and status bar."""

    path: str
    title: str
    documents: int
    mentions: int
    entities: int
