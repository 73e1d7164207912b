"""Export the whole case as plain data and as JSON: documents, entities, mentions and the rest."""

from __future__ import annotations

import datetime as dt
import json
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
    Tag,
    TagLink,
)
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
    ("import_runs", ImportRun),
    ("import_items", ImportItem),
    ("audit_log", AuditEntry),
)


def _plain(value: Any) -> Any:
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


def export_json(case: Case, out: Path) -> dict[str, int]:
    """Write the whole case as one JSON file (UTF-8); return the count of each kind of record."""
    with case.reading() as session:
        snapshot = case_snapshot(session)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(snapshot, handle, ensure_ascii=False, indent=1)
    tmp.replace(out)
    return {key: len(snapshot[key]) for key, _ in EXPORTED}
