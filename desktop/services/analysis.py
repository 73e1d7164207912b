"""Extraction for the case: run the pipelines, resolve places, store mentions and entities."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.inserts import insert_rows
from db.models import AuditEntry, Document, Entity, Mention, PlaceCandidate
from desktop.dto import AuditAction, Label
from desktop.geo.evidence import weak_place_names
from desktop.geo.gazetteer import Gazetteer, Place
from desktop.geo.resolver import PlaceQuery, Resolution, resolve_places, with_choice
from desktop.nlp.catalog import PipelineCatalog, PipelineInfo
from desktop.nlp.parts import drain
from desktop.nlp.pipeline import ExtractedEntity, ExtractionResult, Extractor, TextItem
from desktop.paths import cache_dir, geo_dir, models_dir
from desktop.services.collector import freeze_loaded
from desktop.services.entity_linking import EntityLinker, LinkRequest, prefetch_links
from desktop.services.extraction_worker import ExtractionPool, WorkerSetup
from desktop.version import app_version

CONTEXT_CHARS = 80
RULE_MODEL = "casedesk-rules"
GAZETTEER_MODEL = "casedesk-gazetteer"


class Analyzable(Protocol):
    """What extraction needs of a document: its text, and its language and date when known.

    A stored document also has ``imported_at``: without a publication date, relative dates
    ("gestern") refer to the day it was imported.
    """

    @property
    def text(self) -> str:
        """The document's text."""

    @property
    def published(self) -> dt.date | None:
        """The publication day, when known."""


@dataclass
class DocumentAnalysis:
    """Extraction result of one document plus the place resolution of its place mentions."""

    result: ExtractionResult
    places: dict[int, Resolution] = field(default_factory=dict)


def _context(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """A window of text around a mention, and where the mention lies in it."""
    low = max(0, start - CONTEXT_CHARS)
    return text[low : end + CONTEXT_CHARS], (start - low, end - low)


def _imported_on(document: object) -> dt.date | None:
    """The local day a stored document was imported (ORM rows have ``imported_at``)."""
    stamp = getattr(document, "imported_at", None)
    if isinstance(stamp, dt.datetime):
        if stamp.tzinfo is None:  # SQLite hands back naive UTC times
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone().date()
    return stamp if isinstance(stamp, dt.date) else None


class CaseAnalyzer:
    """Runs extraction and place resolution; one instance serves one worker thread at a time."""

    def __init__(self, extractor: Extractor, gazetteer: Gazetteer,
                 case_versions: Mapping[str, int] | None = None) -> None:
        self.extractor = extractor
        self.gazetteer = gazetteer
        # Pipeline name -> version of the case's own pipelines, recorded on their mentions.
        self.case_versions = dict(case_versions or {})
        self._lock = threading.Lock()

    def analyze(
        self,
        documents: Sequence[Analyzable],
        languages: Sequence[str | None] | None = None,
        imported_on: dt.date | None = None,
        main_language: str | None = None,
    ) -> list[DocumentAnalysis]:
        """Extract entities from documents (batched through nlp.pipe) and resolve their places.

        Args:
            documents: Stored or freshly read documents.
            languages: Language per document, None to detect it.
            imported_on: The import day of documents not stored yet (default: today); a stored
                document's own ``imported_at`` wins. Relative dates of documents without a
                publication date refer to it.
            main_language: The case's main language, the tie-breaker when a document's
                language has to be guessed.

        Returns:
            One analysis per document, in order.
        """
        return drain(self.analyze_steps(documents, languages, imported_on, main_language))

    def analyze_steps(
        self,
        documents: Sequence[Analyzable],
        languages: Sequence[str | None] | None = None,
        imported_on: dt.date | None = None,
        main_language: str | None = None,
    ) -> Generator[tuple[int, int, int], None, list[DocumentAnalysis]]:
        """:meth:`analyze`, yielding (document index, parts done, parts) for a long text.

        Closing the generator between parts cancels the rest of the extraction.
        """
        items = text_items(documents, languages, imported_on, main_language)
        with self._lock:
            results = yield from self.extractor.extract_steps(items)
        return [
            resolve_result(self.gazetteer, item.text, result)
            for item, result in zip(items, results, strict=True)
        ]

    def store(self, session: Session, document: Document, analysis: object) -> int:
        """Store one document's mentions, entities and places in the caller's transaction."""
        return store_analysis(session, document, analysis, self.case_versions,
                              self.gazetteer)


def text_items(
    documents: Sequence[Analyzable],
    languages: Sequence[str | None] | None = None,
    imported_on: dt.date | None = None,
    main_language: str | None = None,
) -> list[TextItem]:
    """What the extractor gets of each document (see :meth:`CaseAnalyzer.analyze`)."""
    langs = list(languages) if languages is not None else [None] * len(documents)
    today = imported_on or dt.date.today()
    return [
        TextItem(doc.text, lang, getattr(doc, "published", None), _imported_on(doc) or today,
                 main_language)
        for doc, lang in zip(documents, langs, strict=True)
    ]


def resolve_result(gazetteer: Gazetteer, text: str, result: ExtractionResult) -> DocumentAnalysis:
    """Resolve the place mentions of one extraction result against the gazetteer.

    A name the model or a rule took for a place, that no gazetteer place bears and that the
    text never writes as a place ("Ebola", "H5N1", "Angolan"), becomes a MISC name: it is
    no unresolved place on the map (see :mod:`desktop.geo.evidence`).
    """
    indexes = [i for i, e in enumerate(result.entities) if e.label == "LOC"]
    queries = [_place_query(text, result.entities[i], result.language) for i in indexes]
    resolutions = resolve_places(queries, gazetteer) if queries else []
    places = dict(zip(indexes, resolutions, strict=True))
    unknown = [
        i for i in indexes
        if places[i].chosen is None and result.entities[i].origin != "gazetteer"
    ]
    resolved = [(result.entities[i].start, result.entities[i].end)
                for i in indexes if places[i].chosen is not None]
    weak = weak_place_names(
        [(result.entities[i].text, result.entities[i].start, result.entities[i].end)
         for i in unknown], text, result.language, gazetteer, resolved)
    entities = list(result.entities)
    for i in unknown:
        if entities[i].text in weak:
            entities[i] = replace(entities[i], label=Label.MISC, place_id=None)
            del places[i]
    entities = [
        _with_place(entity, places[i]) if i in places else entity
        for i, entity in enumerate(entities)
    ]
    return DocumentAnalysis(replace(result, entities=entities), places)


def store_analysis(session: Session, document: Document, analysis: object,
                   case_versions: Mapping[str, int] | None = None,
                   gazetteer: Gazetteer | None = None, new_document: bool = False) -> int:
    """Store one document's mentions, entities and places in the caller's transaction.

    ``case_versions`` (pipeline name -> version of the case's own pipelines) is recorded on the
    mentions those pipelines suggested; with ``gazetteer``, a place the analyst chose earlier
    for a name is used again. A ``new_document`` (just inserted by an import) has no decided
    mentions to leave alone, so they are not looked up.
    """
    assert isinstance(analysis, DocumentAnalysis)
    result = analysis.result
    if document.language_source != "analyst":
        document.language = result.language
        document.language_guessed = result.language_guessed
    document.extraction_state = "done" if result.supported else "unsupported"
    document.extraction_notice = result.notice
    linker = EntityLinker(session)
    reviewed = (_reviewed_spans(session, document.id)
                if document.id and not new_document else set())
    choices = _place_choices(session) if analysis.places and gazetteer else {}
    versions = dict(case_versions or {})
    candidates: list[dict[str, object]] = []
    # The linker's lookups find what it made itself in its own caches: without a flush before
    # each of them, the document's new entities go in together at finish().
    with session.no_autoflush:
        rows = [
            _mention_row(session, linker, document.id, entity,
                         _analyst_choice(gazetteer, entity, analysis.places.get(index), choices),
                         result, versions, candidates)
            for index, entity in enumerate(result.entities)
            if (entity.start, entity.end) not in reviewed
        ]
    linker.finish()
    # After the entities they name; no unit-of-work flush per mention or candidate.
    insert_rows(session, PlaceCandidate, candidates)
    insert_rows(session, Mention, rows)
    return len(rows)


def prefetch_stored(session: Session, analyses: Sequence[object]) -> None:
    """Read at once what storing these analyses in this session will look up (a batch)."""
    requests: list[LinkRequest] = []
    places: list[Place] = []
    for analysis in analyses:
        if not isinstance(analysis, DocumentAnalysis):  # a failed extraction's line
            continue
        for index, entity in enumerate(analysis.result.entities):
            resolution = analysis.places.get(index)
            chosen = resolution.chosen if resolution else None
            requests.append(LinkRequest(entity.label, entity.canonical, chosen))
            if resolution is not None:
                places.extend(scored.place for scored in resolution.candidates[:8])
    prefetch_links(session, requests, places)


def _mention_row(
    session: Session,
    linker: EntityLinker,
    document_id: int,
    entity: ExtractedEntity,
    resolution: Resolution | None,
    result: ExtractionResult,
    case_versions: Mapping[str, int],
    candidates: list[dict[str, object]],
) -> dict[str, object]:
    chosen = resolution.chosen if resolution else None
    case_entity = linker.link(LinkRequest(entity.label, entity.canonical, chosen))
    if case_entity is not None and resolution is not None:
        if case_entity.id not in linker.candidates_done:
            linker.candidates_done.add(case_entity.id)
            _store_candidates(session, linker, case_entity.id, resolution, candidates)
    model, version = _provenance(entity, result)
    return {
        "document_id": document_id,
        "entity_id": case_entity.id if case_entity else None,
        "start": entity.start,
        "end": entity.end,
        "text": entity.text,
        "canonical": entity.canonical,
        "label": entity.label,
        "status": "suggested",
        "origin": entity.origin,
        "confidence": entity.confidence,
        "model_name": model,
        "model_version": version,
        "value": entity.value,
        "pipeline_version": (case_versions.get(result.model)
                             if entity.origin == "model" else None),
    }




def _analyst_choice(
    gazetteer: Gazetteer | None, entity: ExtractedEntity, resolution: Resolution | None,
    choices: dict[str, str],
) -> Resolution | None:
    """The resolution with the place the analyst chose for this name earlier in the case."""
    wanted = choices.get(entity.canonical.casefold()) or choices.get(entity.text.casefold())
    chosen = resolution.chosen if resolution else None
    if gazetteer is None or resolution is None or not wanted or (
            chosen is not None and chosen.id == wanted):
        return resolution
    place = gazetteer.place(wanted)
    return with_choice(resolution, place, entity.text) if place else resolution


def _place_choices(session: Session) -> dict[str, str]:
    """Gazetteer id the analyst last chose for each place name (and alias) of the case.

    A correction ("Georgia" is the US state) holds for later mentions of the name until the
    analyst chooses again; the latest choice wins. Read once per write transaction: an import
    stores a whole batch of documents in one, and no choice can be made in between.
    """
    cached = session.info.get("place_choices")
    if cached is not None:
        return cached
    rows = session.execute(
        select(AuditEntry.target_id, AuditEntry.after)
        .where(AuditEntry.action == AuditAction.CHOOSE_PLACE,
               AuditEntry.target_type == "entity")
        .order_by(AuditEntry.id)
    )
    choices: dict[str, str] = {}
    for entity_id, after in rows:
        entity = session.get(Entity, entity_id) if entity_id is not None else None
        chosen = ((after or {}).get("place") or {}).get("gazetteer_id")
        if entity is None or not chosen:
            continue
        for name in (entity.canonical_name, *entity.aliases):
            choices[name.casefold()] = chosen
    session.info["place_choices"] = choices
    return choices


def _place_query(text: str, entity: ExtractedEntity, lang: str) -> PlaceQuery:
    context, span = _context(text, entity.start, entity.end)
    return PlaceQuery(entity.canonical or entity.text, context, lang, span, entity.text)


def _with_place(entity: ExtractedEntity, resolution: Resolution) -> ExtractedEntity:
    """The entity with the resolved place first among its place ids, as stored and shown."""
    chosen = resolution.chosen
    if chosen is None:
        return entity
    value = entity.value
    ids = (value or {}).get("place_ids")
    if isinstance(ids, list):
        value = {**(value or {}), "place_ids": [chosen.id, *(i for i in ids if i != chosen.id)]}
    return replace(entity, value=value, place_id=chosen.id)


def _provenance(entity: ExtractedEntity, result: ExtractionResult) -> tuple[str, str]:
    if entity.origin == "model":
        return result.model, result.model_version
    name = GAZETTEER_MODEL if entity.origin == "gazetteer" else RULE_MODEL
    return name, app_version()


def _reviewed_spans(session: Session, document_id: int) -> set[tuple[int, int]]:
    """Spans the analyst already decided on or added: re-extraction leaves them alone."""
    rows = session.execute(
        select(Mention.start, Mention.end).where(
            Mention.document_id == document_id,
            (Mention.status != "suggested") | (Mention.origin == "analyst"),
        )
    )
    return {(start, end) for start, end in rows}


def _store_candidates(
    session: Session, linker: EntityLinker, entity_id: int, resolution: Resolution,
    candidates: list[dict[str, object]],
) -> None:
    """Add to ``candidates`` the rows of the resolution's places the entity lacks."""
    # Read once per write session: a batch of documents names the same places again and again.
    known: dict[int, set[int]] = session.info.setdefault("casedesk_place_candidates", {})
    existing = known.get(entity_id)
    if existing is None:
        existing = known[entity_id] = set(session.scalars(
            select(PlaceCandidate.place_id).where(PlaceCandidate.entity_id == entity_id)))
    for rank, scored in enumerate(resolution.candidates[:8]):
        row = linker.place(scored.place)
        if row.id in existing:
            continue
        existing.add(row.id)
        candidates.append({"entity_id": entity_id, "place_id": row.id, "rank": rank,
                           "score": float(scored.score), "reason": scored.reason})


class AnalyzerProvider:
    """Builds the analyzer once, on first use, in whichever worker asks first (it is slow)."""

    def __init__(
        self,
        pipelines: Mapping[str, str] | None = None,
        models: Path | None = None,
        geo: Path | None = None,
        case_pipelines: Sequence[PipelineInfo] = (),
        cache: Path | None = None,
        case_source: Callable[[], Sequence[PipelineInfo]] | None = None,
        processes: int | None = None,
    ) -> None:
        self.pipelines = dict(pipelines or {})
        # Extraction processes of an import (None: see extraction_worker.default_processes).
        self.processes = processes
        # The case's adopted pipelines (see services.case_pipelines); they win for their language.
        # ``case_source`` gives them on first use instead, off the thread that builds this.
        self._case_pipelines = list(case_pipelines)
        self._case_source = case_source
        self._case_lock = threading.Lock()
        self.cache = cache or cache_dir()
        self.models = models or models_dir()
        self.geo = geo or geo_dir()
        self._analyzer: CaseAnalyzer | None = None
        self._gazetteer: Gazetteer | None = None
        self._worker: ExtractionPool | None = None
        self._lock = threading.Lock()

    @property
    def case_pipelines(self) -> list[PipelineInfo]:
        """The case's adopted pipelines (read from the case on first use when given lazily)."""
        with self._case_lock:
            if self._case_source is not None:
                self._case_pipelines = list(self._case_source())
                self._case_source = None
            return self._case_pipelines

    @property
    def gazetteer(self) -> Gazetteer:
        """The shared gazetteer (loaded lazily)."""
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = Gazetteer(self.geo)
            return self._gazetteer

    def analyzer(self) -> CaseAnalyzer:
        """Return the analyzer, loading pipelines and place names on first call."""
        gazetteer, case_pipelines = self.gazetteer, self.case_pipelines
        with self._lock:
            if self._analyzer is None:
                catalog = PipelineCatalog(self.models, self.pipelines, case_pipelines)
                langs = ("de", "en")
                extractor = Extractor(
                    catalog,
                    gazetteer.name_patterns(langs),
                    main_place_names=gazetteer.main_names(langs),
                    cache_dir=self.cache,
                )
                versions = {p.name: p.version for p in case_pipelines if p.version}
                self._analyzer = CaseAnalyzer(extractor, gazetteer, versions)
                freeze_loaded()
            return self._analyzer

    def worker(self) -> ExtractionPool:
        """The extraction worker processes of imports (started on first use, kept running)."""
        gazetteer, case_pipelines = self.gazetteer, self.case_pipelines
        with self._lock:
            if self._worker is None:
                langs = ("de", "en")
                self._worker = ExtractionPool(WorkerSetup(
                    self.models, self.pipelines, gazetteer.name_patterns(langs),
                    gazetteer.main_names(langs), self.cache, tuple(case_pipelines)),
                    self.processes)
                freeze_loaded()
            return self._worker

    def close(self) -> None:
        """Stop the extraction worker, if one runs."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
