"""Write documents, entities and mentions as spreadsheet-safe CSV files (a folder or a zip)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# Mention statuses that count as findings; "rejected" is the analyst saying "not a finding".
FINDING_STATUSES = frozenset({"accepted", "suggested"})

DOCUMENT_COLUMNS = (
    "id", "title", "author", "published", "language", "source_url", "original_name",
    "source_format", "characters", "text_sha256", "file_sha256", "imported_at", "tags",
)
ENTITY_COLUMNS = (
    "id", "label", "canonical_name", "aliases", "place_name", "place_kind", "country_code",
    "lat", "lon", "geonames_id", "mentions", "documents", "false_positive", "tags",
)
MENTION_COLUMNS = (
    "id", "document_id", "document_title", "entity_id", "entity_name", "label", "text",
    "start", "end", "status", "origin", "confidence", "model_name", "flagged",
)


@dataclass
class Selection:
    """The part of a case snapshot an export writes, already filtered.

    Attributes:
        documents: Selected documents, by id order.
        mentions: Mentions in the selected documents that pass the status filter (never
            rejected ones).
        entities: Entities with at least one selected mention.
        places: Every place of the case, by id.
        notes: Notes on a selected document, entity or mention.
        meta: The case's key/value facts (title, created_at ...).
        tags_by_target: Tag names per ("document" | "entity" | "mention", id).
        relations: Analyst relations between two selected entities that are not false
            positives.
    """

    documents: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    places: dict[int, dict[str, Any]]
    notes: list[dict[str, Any]]
    meta: dict[str, str] = field(default_factory=dict)
    tags_by_target: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    relations: list[dict[str, Any]] = field(default_factory=list)

    def mention_counts(self) -> Counter[int]:
        """Return the number of selected mentions per entity id."""
        return Counter(m["entity_id"] for m in self.mentions if m["entity_id"] is not None)

    def documents_of(self) -> dict[int, list[int]]:
        """Return the sorted ids of the selected documents that mention each entity."""
        found: dict[int, set[int]] = {}
        for mention in self.mentions:
            if mention["entity_id"] is not None:
                found.setdefault(mention["entity_id"], set()).add(mention["document_id"])
        return {entity_id: sorted(ids) for entity_id, ids in found.items()}

    def real_entities(self) -> list[dict[str, Any]]:
        """Return the selected entities the analyst has not marked as false positives."""
        return [e for e in self.entities if not e.get("false_positive")]


def select(
    snapshot: dict[str, Any],
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> Selection:
    """Filter a case snapshot down to the findings every export writes.

    Rejected mentions are never findings, so they are always left out, and so is every entity
    left without a mention (one whose mentions are all rejected, or in documents not chosen).

    Args:
        snapshot: The case as plain data (``export_case.case_snapshot``).
        accepted_only: Keep only accepted mentions, and entities with at least one of them.
        document_ids: Keep only these documents (what the current filter selects), or all.

    Returns:
        The filtered selection.
    """
    wanted = None if document_ids is None else set(document_ids)
    documents = [d for d in snapshot["documents"] if wanted is None or d["id"] in wanted]
    kept_docs = {d["id"] for d in documents}
    statuses = {"accepted"} if accepted_only else FINDING_STATUSES
    mentions = [
        m for m in snapshot["mentions"] if m["document_id"] in kept_docs and m["status"] in statuses
    ]
    used = {m["entity_id"] for m in mentions}
    entities = [e for e in snapshot["entities"] if e["id"] in used]
    targets = {
        "document_id": kept_docs,
        "entity_id": {e["id"] for e in entities},
        "mention_id": {m["id"] for m in mentions},
    }
    notes = [n for n in snapshot["notes"] if targets_kept(n, targets)]
    return Selection(
        documents=documents,
        mentions=mentions,
        entities=entities,
        places={p["id"]: p for p in snapshot["places"]},
        notes=notes,
        meta=dict(snapshot.get("meta", {})),
        tags_by_target=_tags_by_target(snapshot),
        relations=_relations(snapshot, entities),
    )


def _relations(snapshot: dict[str, Any], entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    real = {e["id"] for e in entities if not e.get("false_positive")}
    return [
        r for r in snapshot.get("relations", [])
        if r["source_entity_id"] in real and r["target_entity_id"] in real
    ]


def relation_evidence(selection: Selection, relation: dict[str, Any]) -> tuple[str, str] | None:
    """Return (document title, sentence) of a relation's evidence, if its document is selected."""
    doc = next((d for d in selection.documents if d["id"] == relation.get("document_id")), None)
    if doc is None or relation.get("start") is None:
        return None
    return doc["title"], doc["text"][relation["start"]:relation["end"]]


def targets_kept(row: dict[str, Any], targets: dict[str, set[int]]) -> bool:
    """Return whether a note or tag link points at a kept document, entity or mention."""
    return any(row.get(key) is not None and row[key] in ids for key, ids in targets.items())


def _tags_by_target(snapshot: dict[str, Any]) -> dict[tuple[str, int], list[str]]:
    names = {t["id"]: t["name"] for t in snapshot.get("tags", [])}
    found: dict[tuple[str, int], list[str]] = {}
    for link in snapshot.get("tag_links", []):
        for kind in ("document", "entity", "mention"):
            target = link.get(f"{kind}_id")
            if target is not None:
                found.setdefault((kind, target), []).append(names.get(link["tag_id"], "?"))
    return {key: sorted(values) for key, values in found.items()}


def safe_cell(value: Any) -> str:
    """Return a cell's text, quoted with a leading ' when a spreadsheet would run it as formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return str(value)  # a number such as -73.9 is a value, not a formula
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_tables(selection: Selection) -> dict[str, list[list[str]]]:
    """Return the three tables (header row first) keyed by file name."""
    return {
        "documents.csv": [list(DOCUMENT_COLUMNS), *_document_rows(selection)],
        "entities.csv": [list(ENTITY_COLUMNS), *_entity_rows(selection)],
        "mentions.csv": [list(MENTION_COLUMNS), *_mention_rows(selection)],
    }


def _document_rows(selection: Selection) -> Iterable[list[str]]:
    for doc in selection.documents:
        facts = dict(doc, characters=len(doc["text"]))
        facts["tags"] = "; ".join(selection.tags_by_target.get(("document", doc["id"]), []))
        yield [safe_cell(facts.get(column)) for column in DOCUMENT_COLUMNS]


def _entity_rows(selection: Selection) -> Iterable[list[str]]:
    counts = selection.mention_counts()
    documents = selection.documents_of()
    for entity in selection.entities:
        place = selection.places.get(entity["place_id"]) or {}
        facts = dict(
            entity,
            aliases="; ".join(entity.get("aliases") or []),
            place_name=place.get("name"),
            place_kind=place.get("kind"),
            country_code=place.get("country_code"),
            lat=place.get("lat"),
            lon=place.get("lon"),
            geonames_id=place.get("geonames_id"),
            mentions=counts.get(entity["id"], 0),
            documents="; ".join(str(d) for d in documents.get(entity["id"], [])),
            tags="; ".join(selection.tags_by_target.get(("entity", entity["id"]), [])),
        )
        yield [safe_cell(facts.get(column)) for column in ENTITY_COLUMNS]


def _mention_rows(selection: Selection) -> Iterable[list[str]]:
    titles = {d["id"]: d["title"] for d in selection.documents}
    names = {e["id"]: e["canonical_name"] for e in selection.entities}
    for mention in selection.mentions:
        facts = dict(
            mention,
            document_title=titles.get(mention["document_id"]),
            entity_name=names.get(mention["entity_id"]),
        )
        yield [safe_cell(facts.get(column)) for column in MENTION_COLUMNS]


def table_text(rows: list[list[str]]) -> str:
    """Return one table as CSV text with a BOM (so spreadsheets pick UTF-8) and CRLF lines."""
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(
    snapshot: dict[str, Any],
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Write documents.csv, entities.csv and mentions.csv into a folder, or a zip if out ends .zip.

    Accepted and suggested mentions are written with their status; rejected ones, and
    entities left without a mention, are not findings and are left out (see ``select``).

    Args:
        snapshot: The case as plain data.
        out: A folder (created if missing) or a path ending in ".zip".
        accepted_only: Only accepted mentions, and entities having at least one.
        document_ids: Only these documents, or all when None.

    Returns:
        Rows written per table ("documents", "entities", "mentions").
    """
    selection = select(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    tables = csv_tables(selection)
    out = Path(out)
    if out.suffix.lower() == ".zip":
        tmp = out.with_name(out.name + ".part")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, rows in tables.items():
                archive.writestr(name, table_text(rows).encode("utf-8"))
        tmp.replace(out)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, rows in tables.items():
            (out / name).write_text(table_text(rows), encoding="utf-8", newline="")
    return {name.removesuffix(".csv"): len(rows) - 1 for name, rows in tables.items()}
