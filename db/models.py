"""ORM models of a case: documents, entities, mentions, places, notes, tags and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desktop.dto import MentionStatus, Origin, RelationType

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Plain strings (not enum members) so the constraint text reads IN ('suggested', ...).
MENTION_STATUSES = tuple(str(status) for status in MentionStatus)
MENTION_ORIGINS = tuple(str(origin) for origin in Origin)
PLACE_KINDS = ("country", "admin1", "city", "point", "continent", "sea", "area")
RELATION_TYPES = tuple(t.value for t in RelationType)


def utcnow() -> dt.datetime:
    """Return the current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so batch migrations can name constraints."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class CaseMeta(Base):
    """Key/value facts about the case itself (title, created-at, app version that created it)."""

    __tablename__ = "case_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    """One imported article; ``text`` is stored exactly as imported and all offsets index it."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    language_source: Mapped[str] = mapped_column(String(16), default="detected")
    # Detection was unsure (short, tabular, all-caps, mixed) and the language is a guess.
    language_guessed: Mapped[bool] = mapped_column(default=False)
    # Set when the analyst (or an annotation import) declared the document fully reviewed.
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published: Mapped[dt.date | None]
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    original_name: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(16), default="text")
    encoding: Mapped[str | None] = mapped_column(String(32))
    pages: Mapped[list[Any] | None] = mapped_column(JSON)
    extraction_state: Mapped[str] = mapped_column(String(16), default="pending")
    extraction_notice: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    mentions: Mapped[list[Mention]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentOriginal(Base):
    """The original file's bytes, kept as evidence when the analyst asks for it."""

    __tablename__ = "document_originals"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Place(Base):
    """A resolved gazetteer place (or a point the analyst pinned on the map)."""

    __tablename__ = "places"
    __table_args__ = (CheckConstraint(f"kind IN {PLACE_KINDS}", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    gazetteer_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column()


class Entity(Base):
    """A case-level entity that mentions across documents and languages point to."""

    __tablename__ = "entities"
    __table_args__ = (Index("ix_entities_label_name", "label", "canonical_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(16))
    canonical_name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL"), index=True
    )
    false_positive: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Optimistic concurrency: every ORM update checks and bumps it (see __mapper_args__).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    # Ids come from IdBlock and every default is set here: new entities need nothing back, so
    # a flush inserts them in one executemany (SQLite would fetch RETURNING row by row).
    __mapper_args__ = {"version_id_col": version, "eager_defaults": False}

    place: Mapped[Place | None] = relationship()
    mentions: Mapped[list[Mention]] = relationship(back_populates="entity")


class EntityKey(Base):
    """A lookup key of an entity's names, so linking finds candidates without a full scan.

    People get the deletion variants of their transliterated surname keys (``PER~...``), other
    labels their casefolded names (``ORG:...``). Rows are derived data: triggers queue every
    entity whose names change in ``entity_keys_pending``, and linking re-keys those first.
    """

    __tablename__ = "entity_keys"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EntityKeyPending(Base):
    """An entity whose keys are missing or stale (filled by triggers on ``entities``)."""

    __tablename__ = "entity_keys_pending"
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )


class PlaceCandidate(Base):
    """A ranked alternative place for an entity, kept so the analyst can pick another."""

    __tablename__ = "place_candidates"
    __table_args__ = (UniqueConstraint("entity_id", "place_id", name="entity_place"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    rank: Mapped[int]
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)


class EntityMerge(Base):
    """Record of two entities merged into one, with its reason, so the merge can be undone."""

    __tablename__ = "entity_merges"
    id: Mapped[int] = mapped_column(primary_key=True)
    kept_entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    merged_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    # Tells a flush that the kept entity goes in first: an import links a batch without
    # flushing, so a new person and the merge of its second spelling can be pending together.
    kept_entity: Mapped[Entity] = relationship()


class Mention(Base):
    """A span of a document's text with a label, a review status and where it came from."""

    __tablename__ = "mentions"
    __table_args__ = (
        CheckConstraint(f"status IN {MENTION_STATUSES}", name="status"),
        CheckConstraint(f"origin IN {MENTION_ORIGINS}", name="origin"),
        CheckConstraint("start >= 0 AND \"end\" > start", name="offsets"),
        Index("ix_mentions_document_start", "document_id", "start"),
        Index("ix_mentions_status_confidence", "status", "confidence"),
        # Covers "which documents mention this entity" (entity list counts, search filter)
        # without reading the table rows.
        Index("ix_mentions_entity_document", "entity_id", "document_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    origin: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)
    model_name: Mapped[str | None] = mapped_column(String(128))
    model_version: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    flagged: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Optimistic concurrency: an update of a mention someone else changed meanwhile fails.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    # Version of the case's own pipeline (CasePipeline.version) that suggested the mention;
    # None when a shipped or installed pipeline (or a rule) did.
    pipeline_version: Mapped[int | None]

    document: Mapped[Document] = relationship(back_populates="mentions")
    entity: Mapped[Entity | None] = relationship(back_populates="mentions")


class CasePipeline(Base):
    """A pipeline fine-tuned on the analyst's reviews: it belongs to the case and travels with it.

    ``data`` is the spaCy pipeline folder as a gzipped tar; at most one version per language
    is adopted (the one extraction uses).
    """

    __tablename__ = "pipelines"
    __table_args__ = (UniqueConstraint("language", "version", name="language_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    base: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    documents: Mapped[int]
    adopted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class _TargetMixin:
    """Exactly one of document, entity or mention is the target of a note or tag link."""

    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    mention_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )


# CASE rather than adding booleans, which PostgreSQL cannot add.
_ONE_TARGET = (
    "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN entity_id IS NULL THEN 0 "
    "ELSE 1 END) + (CASE WHEN mention_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Note(_TargetMixin, Base):
    """An analyst's note on a document, entity or mention."""

    __tablename__ = "notes"
    __table_args__ = (CheckConstraint(_ONE_TARGET, name="one_target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Tag(Base):
    """A tag name, shared across the case."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)


class TagLink(_TargetMixin, Base):
    """A tag attached to a document, entity or mention."""

    __tablename__ = "tag_links"
    __table_args__ = (
        CheckConstraint(_ONE_TARGET, name="one_target"),
        UniqueConstraint("tag_id", "document_id", "entity_id", "mention_id", name="target"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))

    tag: Mapped[Tag] = relationship()


class AuditEntry(Base):
    """Append-only record of one action: who, when, what, and the state before and after.

    Targets are stored as type and id without foreign keys, so entries outlive what they describe.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))
    app_version: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ImportRun(Base):
    """One batch import, with its per-file report lines in ``ImportItem``."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled: Mapped[bool] = mapped_column(default=False)

    items: Mapped[list[ImportItem]] = relationship(cascade="all, delete-orphan")


class ImportItem(Base):
    """What happened to one input of an import run: imported, duplicate or failed (and why)."""

    __tablename__ = "import_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    language: Mapped[str | None] = mapped_column(String(16))
    characters: Mapped[int | None]
    pages: Mapped[int | None]
    entities: Mapped[int | None]
    seconds: Mapped[float | None] = mapped_column(Float)


class Relation(Base):
    """An analyst's typed relation between two entities, with the sentence that supports it."""

    __tablename__ = "relations"
    __table_args__ = (
        CheckConstraint(f"type IN {RELATION_TYPES}", name="type"),
        CheckConstraint("source_entity_id != target_entity_id", name="two_entities"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    target_entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    # Evidence: the mention the analyst started from and the sentence (document + offsets).
    mention_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentions.id", ondelete="SET NULL")
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    start: Mapped[int | None]
    end: Mapped[int | None]
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
