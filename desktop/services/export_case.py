"""Export the whole case as plain data and as JSON: documents, entities, mentions and the rest."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    AuditEntry,
    Base,
    CaseMeta,
    Document,
    Entity,
    EntityMerge,
    ImportItem,
    ImportRun,
    Mention,
    Note,
    Place,
    PlaceCandidate,
    Relation,
    Tag,
    TagLink,
)
from desktop.io.export_csv import targets_kept
from desktop.services.case import Case
from desktop.version import app_version

FORMAT_VERSION = 1

# Which tables go out, under which key, in which order (parents before children).
EXPORTED: tuple[tuple[str, type[Base]], ...] = (
    ("documents", Document),
    ("places", Place),
    ("entities", Entity),
    ("place_candidates", PlaceCandidate),
    ("entity_merges", EntityMerge),
    ("mentions", Mention),
    ("notes", Note),
    ("tags", Tag),
    ("tag_links", TagLink),
    ("relations", Relation),
    ("import_runs", ImportRun),
    ("import_items", ImportItem),
    ("audit_log", AuditEntry),
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Stored times are UTC; SQLite gives them back naive, PostgreSQL with a zone: the
        # same case exports the same text from both.
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def row_dict(row: Base) -> dict[str, Any]:
    """Return a row's columns as JSON-ready values, keyed by column name."""
    return {col.key: _plain(getattr(row, col.key)) for col in row.__mapper__.column_attrs}


def case_snapshot(session: Session) -> dict[str, Any]:
    """Return every record of the case as plain data, ordered by id."""
    snapshot: dict[str, Any] = {
        "format": "casedesk-case",
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "meta": {m.key: m.value for m in session.scalars(select(CaseMeta))},
    }
    for key, model in EXPORTED:
        order = model.__mapper__.primary_key
        rows = session.scalars(select(model).order_by(*order))
        snapshot[key] = [row_dict(row) for row in rows]
    return snapshot


def filter_snapshot(
    snapshot: dict[str, Any],
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Return the part of a snapshot an export filter selects, whole enough to restore.

    This is case data, not a list of findings: unless ``accepted_only``, mentions keep every
    status, rejected ones included (with their status), like the unfiltered snapshot.

    Args:
        snapshot: The whole case (``case_snapshot``); not changed.
        accepted_only: Keep only accepted mentions.
        document_ids: Keep only these documents (what the current filter selects), or all.

    Returns:
        The snapshot itself when nothing is filtered. Otherwise a copy with a "filter" entry
        and: the chosen documents; their mentions; the entities those mentions refer to, with
        their places, place candidates and merges; notes and tag links on what is kept and
        the tags they use; the import lines of kept documents and their runs; and audit
        entries about kept documents, mentions and entities or about the whole case.
    """
    if not accepted_only and document_ids is None:
        return snapshot
    wanted = None if document_ids is None else set(document_ids)
    out = dict(snapshot)
    out["filter"] = {
        "accepted_only": accepted_only,
        "document_ids": None if wanted is None else sorted(wanted),
    }
    out["documents"] = [d for d in snapshot["documents"] if wanted is None or d["id"] in wanted]
    docs = {d["id"] for d in out["documents"]}
    out["mentions"] = [
        m for m in snapshot["mentions"]
        if m["document_id"] in docs and (m["status"] == "accepted" or not accepted_only)
    ]
    used = {m["entity_id"] for m in out["mentions"]}
    out["entities"] = [e for e in snapshot["entities"] if e["id"] in used]
    entities = {e["id"] for e in out["entities"]}
    _keep_entity_rows(out, snapshot, entities)
    targets = {"document_id": docs, "entity_id": entities,
               "mention_id": {m["id"] for m in out["mentions"]}}
    _keep_target_rows(out, snapshot, targets)
    out["relations"] = _kept_relations(snapshot, targets)
    return out


def _kept_relations(
    snapshot: dict[str, Any], targets: dict[str, set[int]]
) -> list[dict[str, Any]]:
    """Relations between two kept entities; evidence outside the kept part is left out."""
    kept = []
    for relation in snapshot.get("relations", []):
        ends = {relation["source_entity_id"], relation["target_entity_id"]}
        if not ends <= targets["entity_id"]:
            continue
        relation = dict(relation)
        if relation["mention_id"] not in targets["mention_id"]:
            relation["mention_id"] = None
        if relation["document_id"] not in targets["document_id"]:
            relation.update(document_id=None, start=None, end=None)
        kept.append(relation)
    return kept


def _keep_entity_rows(out: dict[str, Any], snapshot: dict[str, Any], entities: set[int]) -> None:
    out["place_candidates"] = [
        c for c in snapshot["place_candidates"] if c["entity_id"] in entities
    ]
    out["entity_merges"] = [m for m in snapshot["entity_merges"] if m["kept_entity_id"] in entities]
    places = {e["place_id"] for e in out["entities"]} | {
        c["place_id"] for c in out["place_candidates"]
    }
    out["places"] = [p for p in snapshot["places"] if p["id"] in places]


def _keep_target_rows(
    out: dict[str, Any], snapshot: dict[str, Any], targets: dict[str, set[int]]
) -> None:
    out["notes"] = [n for n in snapshot["notes"] if targets_kept(n, targets)]
    out["tag_links"] = [t for t in snapshot["tag_links"] if targets_kept(t, targets)]
    tags = {t["tag_id"] for t in out["tag_links"]}
    out["tags"] = [t for t in snapshot["tags"] if t["id"] in tags]
    out["import_items"] = [
        i for i in snapshot["import_items"] if i["document_id"] in targets["document_id"]
    ]
    runs = {i["run_id"] for i in out["import_items"]}
    out["import_runs"] = [r for r in snapshot["import_runs"] if r["id"] in runs]
    about = {kind.removesuffix("_id"): ids for kind, ids in targets.items()}
    out["audit_log"] = [
        a for a in snapshot["audit_log"]
        if a["target_type"] == "case" or a["target_id"] in about.get(a["target_type"], ())
    ]


def export_json(
    case: Case,
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Write the case as one JSON file (UTF-8); return the count of each kind of record.

    Without a filter this is every record of the case, rejected mentions and entities without
    mentions included: the full case data, not a list of findings. With a filter it is the
    part ``filter_snapshot`` selects.
    """
    with case.reading() as session:
        snapshot = case_snapshot(session)
    snapshot = filter_snapshot(snapshot, accepted_only=accepted_only, document_ids=document_ids)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(snapshot, handle, ensure_ascii=False, indent=1)
    tmp.replace(out)
    return {key: len(snapshot[key]) for key, _ in EXPORTED}
