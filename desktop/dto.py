"""Plain data passed from services to the UI and the CLI: no ORM objects cross that line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


# -- closed value sets: one definition each, used by the database, services and the UI ----------
class Label(StrEnum):
    """Entity labels an analyst sees, whatever pipeline produced them."""

    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"
    DATE = "DATE"
    QUANTITY = "QUANTITY"


class MentionStatus(StrEnum):
    """Where a mention stands in review."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Origin(StrEnum):
    """Who proposed a mention."""

    MODEL = "model"
    GAZETTEER = "gazetteer"
    RULE = "rule"
    ANALYST = "analyst"
    IMPORT = "import"  # an annotation file brought the decision in


class AuditAction(StrEnum):
    """What an audit entry records; undo and redo prefix it ("undo:mention.accept")."""

    MENTION_ACCEPT = "mention.accept"
    MENTION_REJECT = "mention.reject"
    MENTION_RESET = "mention.reset"
    MENTION_RELABEL = "mention.relabel"
    MENTION_FLAG = "mention.flag"
    MENTION_UNFLAG = "mention.unflag"
    MENTION_ADJUST_SPAN = "mention.adjust_span"
    MENTION_ADD = "mention.add"
    MENTION_DELETE = "mention.delete"
    MENTION_SPLIT = "mention.split"
    MENTION_JOIN = "mention.join"
    ENTITY_RENAME = "entity.rename"
    ENTITY_FALSE_POSITIVE = "entity.false_positive"
    ENTITY_NOT_FALSE_POSITIVE = "entity.not_false_positive"
    ENTITY_MERGE = "entity.merge"
    ENTITY_UNDO_MERGE = "entity.undo_merge"
    ENTITY_SPLIT = "entity.split"
    NOTE_ADD = "note.add"
    NOTE_EDIT = "note.edit"
    NOTE_DELETE = "note.delete"
    TAG_ADD = "tag.add"
    TAG_REMOVE = "tag.remove"
    CHOOSE_PLACE = "choose_place"
    PIN_PLACE = "pin_place"
    CASE_FILE_IMPORTED = "case_file.imported"


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
    # (page number, start, end) of each page of a paged source (PDF), in text order.
    pages: tuple[tuple[int, int, int], ...] = ()
    # Detection was unsure (short, tabular, all-caps) and the language is a guess.
    language_guessed: bool = False
    reviewed: bool = False

    def page_at(self, offset: int) -> int | None:
        """The source page an offset of the text lies on, or None for unpaged text."""
        for page, start, end in self.pages:
            if start <= offset < end:
                return page
        return None


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
    page: int | None = None  # page of the source (PDF) the mention is on
    version: int | None = None  # as read; pass it back to a decision to detect a conflict


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
    version: int | None = None  # as read; pass it back to an edit to detect a conflict


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

    @property
    def changes(self) -> Changes:
        """New documents, with their mentions and entities, are in the case."""
        imported = [line.document_id for line in self.lines if line.document_id is not None
                    and line.status == "imported"]
        return Changes(documents=frozenset(imported), document_list=True, any_document=True,
                       places=bool(imported), notes=False)

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


# -- review and annotation (appended for the review workflow) ------------------------------------


@dataclass(frozen=True)
class MentionSnapshot:
    """Every stored field of one mention, so an action on it can be undone exactly."""

    id: int
    document_id: int
    entity_id: int | None
    start: int
    end: int
    text: str
    label: str
    status: str
    origin: str
    confidence: float | None
    model_name: str | None
    model_version: str | None
    value: dict[str, Any] | None
    flagged: bool
    # The row version as read (optimistic concurrency); not part of the stored state.
    version: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the snapshot as JSON-ready data (for the audit log), without the version."""
        return {key: value for key, value in self.__dict__.items() if key != "version"}


@dataclass(frozen=True)
class MentionChange:
    """What one review action did: the mentions before and after (absent = did not exist)."""

    action: str
    before: tuple[MentionSnapshot, ...]
    after: tuple[MentionSnapshot, ...]

    @property
    def changed_ids(self) -> tuple[int, ...]:
        """Ids of every mention the action touched (created, changed or deleted)."""
        ids = [s.id for s in self.before] + [s.id for s in self.after]
        return tuple(dict.fromkeys(ids))

    @property
    def document_ids(self) -> tuple[int, ...]:
        """Documents whose mentions the action touched."""
        docs = [s.document_id for s in self.before] + [s.document_id for s in self.after]
        return tuple(dict.fromkeys(docs))

    @property
    def changes(self) -> Changes:
        """What the action changed, for the panels that show it."""
        entities = {s.entity_id for s in (*self.before, *self.after) if s.entity_id is not None}
        links_before = {(s.id, s.entity_id, s.label) for s in self.before}
        links_after = {(s.id, s.entity_id, s.label) for s in self.after}
        # Only a mention linked, unlinked, relabelled, added or removed moves the map.
        return Changes(documents=frozenset(self.document_ids),
                       mentions=frozenset(self.changed_ids), entities=frozenset(entities),
                       places=links_before != links_after)


@dataclass(frozen=True)
class ReviewItem:
    """One suggested mention in the review queue, with the sentence around it."""

    mention: MentionRow
    document_title: str
    sentence: str
    sentence_start: int


@dataclass(frozen=True)
class ReviewBatch:
    """The next mentions to review and how many suggested mentions are left in the scope."""

    items: tuple[ReviewItem, ...]
    remaining: int


@dataclass(frozen=True)
class Target:
    """What a note or tag is attached to: kind is document, entity or mention."""

    kind: str
    id: int


@dataclass(frozen=True)
class NoteRow:
    """An analyst's note on a document, entity or mention."""

    id: int
    target: Target
    text: str
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def changes(self) -> Changes:
        """Notes changed (search, notes panel)."""
        return Changes(notes=True)


@dataclass(frozen=True)
class EntityChange:
    """An entity action's before and after state (entity fields and mention snapshots)."""

    action: str
    entity_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    mentions_before: tuple[MentionSnapshot, ...] = ()

    @property
    def changes(self) -> Changes:
        """The entity and the documents of its mentions changed."""
        return Changes(documents=frozenset(m.document_id for m in self.mentions_before),
                       mentions=frozenset(m.id for m in self.mentions_before),
                       entities=frozenset({self.entity_id}), places=True)


@dataclass(frozen=True)
class MergeResult:
    """A merge of entities into one: the kept entity and one merge record per merged entity."""

    kept_entity_id: int
    merged_entity_ids: tuple[int, ...]
    merge_ids: tuple[int, ...]
    mentions_moved: int
    name_before: str | None = None  # the kept entity's name before the merge renamed it

    @property
    def changes(self) -> Changes:
        """Every entity of the merge changed; mentions moved between them."""
        return Changes(entities=frozenset({self.kept_entity_id, *self.merged_entity_ids}),
                       places=True, any_document=True)


@dataclass(frozen=True)
class MergeRow:
    """A recorded merge into an entity, shown with its reason so it can be undone."""

    id: int
    kept_entity_id: int
    merged_name: str
    reason: str
    automatic: bool
    created_at: dt.datetime
    undone_at: dt.datetime | None


@dataclass(frozen=True)
class SplitResult:
    """Mentions split out of an entity into a new one."""

    source_entity_id: int
    new_entity_id: int
    mention_ids: tuple[int, ...]

    @property
    def changes(self) -> Changes:
        """Both entities and the mentions moved between them changed."""
        return Changes(entities=frozenset({self.source_entity_id, self.new_entity_id}),
                       mentions=frozenset(self.mention_ids), places=True, any_document=True)


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on a full-text search; None means no restriction."""

    label: str | None = None
    status: str | None = None
    tag: str | None = None
    language: str | None = None
    entity_id: int | None = None
    include_notes: bool = True


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit: in a document's title or text, or in a note (then note_id is set).

    ``start``/``end`` index the document text (None when the hit is in the title or in a note
    that is not on a mention); ``snippet`` marks the hit with [ and ].
    """

    kind: str
    document_id: int | None
    title: str
    snippet: str
    start: int | None
    end: int | None
    note_id: int | None = None
    entity_id: int | None = None
    rank: float = 0.0


@dataclass(frozen=True)
class AuditRow:
    """One entry of the audit log as the audit view shows it."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    target_type: str
    target_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class SignatureStatus(StrEnum):
    """Whether a case file carries a signature over its manifest, and whether it holds."""

    SIGNED = "signed"
    UNSIGNED = "unsigned"
    INVALID = "invalid"


# -- annotations and training (issue 16) ----------------------------------------------------------


class AnnotationFormat(StrEnum):
    """File formats annotations move in and out of the case in."""

    JSONL = "jsonl"
    CONLL = "conll"
    DOCBIN = "docbin"


@dataclass(frozen=True)
class AnnotationImportResult:
    """What an annotation import did: documents matched or added, decisions made."""

    documents: int
    added_documents: int
    accepted: int
    rejected: int

    @property
    def changes(self) -> Changes:
        """Documents may be new, and mentions of any of them were decided or added."""
        return Changes(document_list=self.added_documents > 0, any_document=True, places=True)


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one label (or "ALL") on held-back reviewed documents."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TrainingResult:
    """A training run: the scores before and after on the held-back documents, and the version.

    ``version`` is the stored pipeline version (None when the run stored nothing); ``better``
    says whether the new version beat the current one, ``adopted`` whether it is now in use.
    """

    language: str
    version: int | None
    train_documents: int
    heldout_documents: int
    rehearsal_documents: int
    before: tuple[LabelScore, ...]
    after: tuple[LabelScore, ...]
    better: bool
    adopted: bool
    seconds: float
    # Names the new version carries from the decisions (see nlp.decided_names).
    decided_names: int = 0


@dataclass(frozen=True)
class PipelineRow:
    """A version of the case's own pipeline for one language."""

    id: int
    language: str
    version: int
    base: str
    documents: int
    adopted: bool
    created_at: dt.datetime
    f1_before: float | None
    f1_after: float | None


# -- timeline, link chart and analyst relations (issue 17) ---------------------------------------


class RelationType(StrEnum):
    """The kinds of typed relation an analyst draws between two entities."""

    MEMBER_OF = "member of"
    COMMANDS = "commands"
    LOCATED_IN = "located in"
    MET = "met"
    OTHER = "other"


@dataclass(frozen=True)
class Evidence:
    """A sentence of a document that supports a finding: document id and text offsets."""

    document_id: int
    start: int
    end: int


@dataclass(frozen=True)
class EvidenceSentence:
    """An evidence sentence with its text and document title, ready to show or print."""

    evidence: Evidence
    document_title: str
    text: str


@dataclass(frozen=True)
class EventEntity:
    """An entity named in the sentence of a timeline event."""

    id: int
    label: str
    name: str


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event: a resolved DATE mention, or an undated document's publication date.

    ``start``/``end`` bound the period the stored value names (a day, week, month or year);
    ``value`` is the value as stored ("2024-10-02", "2024-W44", "2024-10", "2024").
    ``from_publication`` marks a document without dates placed at its publication date.
    """

    start: dt.date
    end: dt.date
    value: str
    granularity: str
    sentence: str
    evidence: Evidence
    document_title: str
    entities: tuple[EventEntity, ...] = ()
    mention_id: int | None = None
    from_publication: bool = False


@dataclass(frozen=True)
class TimelineFilters:
    """Restrictions on the timeline; None or empty means no restriction."""

    entity_id: int | None = None
    label: str | None = None
    tag: str | None = None
    document_ids: frozenset[int] | None = None
    accepted_only: bool = False


@dataclass(frozen=True)
class ChartNode:
    """A case entity in the link chart."""

    id: int
    label: str
    name: str
    mentions: int


@dataclass(frozen=True)
class ChartEdge:
    """Two entities named in the same sentences: weight = number of sentences."""

    source: int
    target: int
    weight: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ChartFilters:
    """Restrictions on the link chart; None or empty means no restriction."""

    labels: frozenset[str] | None = None
    min_weight: int = 1
    document_ids: frozenset[int] | None = None
    tags: frozenset[str] | None = None
    accepted_only: bool = False
    top: int = 500


@dataclass(frozen=True)
class LinkChart:
    """Nodes and weighted co-occurrence edges of a case, with node positions once laid out."""

    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]
    positions: dict[int, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationRow:
    """An analyst's typed relation between two entities, with its evidence."""

    id: int
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    type: RelationType
    description: str
    evidence: Evidence | None
    mention_id: int | None
    created_by: str
    created_at: dt.datetime


class TimelineZoom(StrEnum):
    """How coarse the timeline groups its events, from decades down to days."""

    DECADE = "decade"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True)
class TimelineBucket:
    """A period of the timeline at one zoom level and how many events fall in it."""

    label: str
    start: dt.date
    end: dt.date
    count: int


# -- what a write changed (broadcast by the workspace) -----------------------------------------


@dataclass(frozen=True)
class Changes:
    """What one write changed in the case; each panel decides from it whether to refresh.

    Attributes:
        documents: Documents whose text, metadata or mentions changed.
        mentions: Mentions created, changed or deleted.
        entities: Case entities created, changed, merged, split or deleted.
        places: Places on the map may differ (an entity's place or its mentions changed).
        notes: Notes or tags changed.
        document_list: Documents were added or removed (the document list changes).
        any_document: The change may reach documents not named in ``documents``.
    """

    documents: frozenset[int] = frozenset()
    mentions: frozenset[int] = frozenset()
    entities: frozenset[int] = frozenset()
    places: bool = False
    notes: bool = False
    document_list: bool = False
    any_document: bool = False

    def __or__(self, other: Changes) -> Changes:
        """Both changes together."""
        return Changes(self.documents | other.documents, self.mentions | other.mentions,
                       self.entities | other.entities, self.places or other.places,
                       self.notes or other.notes, self.document_list or other.document_list,
                       self.any_document or other.any_document)

    def touches_document(self, document_id: int | None) -> bool:
        """True when the document (its text or mentions) may have changed."""
        return document_id is not None and (self.any_document or document_id in self.documents)

    @property
    def mentions_or_entities(self) -> bool:
        """True when any mention or entity changed (review queue, entity list, counts)."""
        return bool(self.mentions or self.entities or self.any_document or self.document_list)

    @classmethod
    def everything(cls) -> Changes:
        """A change that may touch anything (another case, a restore)."""
        return cls(places=True, notes=True, document_list=True, any_document=True)


@dataclass(frozen=True)
class CaseChange:
    """Rows another analyst changed in a shared case (at most 100 ids of each kind).

    ``table`` is documents, mentions, entities, notes or tag_links; ``op`` insert, update or
    delete; ``document_ids`` the documents the rows belong to, for refreshing only those.
    """

    table: str
    op: str
    ids: tuple[int, ...]
    document_ids: tuple[int, ...]

    @property
    def changes(self) -> Changes:
        """What the open panels should refresh, as the workspace broadcasts it."""
        ids = frozenset(self.ids)
        documents = frozenset(self.document_ids)
        # A notification lists at most 100 rows: beyond that, any document may be touched.
        many = len(self.ids) >= 100 or len(self.document_ids) >= 100
        if self.table == "documents":
            return Changes(documents=ids, document_list=self.op != "update", any_document=many)
        if self.table == "mentions":
            return Changes(documents=documents, mentions=ids, places=True, any_document=many)
        if self.table == "entities":
            return Changes(entities=ids, places=True, any_document=True)
        return Changes(documents=documents, notes=True, any_document=many)
