"""Copy a whole case between engines, keeping every id, and fingerprint it to compare."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from db.models import AuditEntry, Base, CaseMeta, Document, Mention

BATCH = 5_000


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Copy every modelled table from ``source`` into the empty case of ``target``.

    The target's own case facts (written when it was created) give way to the source's. Audit
    entries are appended after the target's own (its set-up), so they get new ids; every other
    row keeps its id. Full-text indexes follow by their triggers. Returns the rows per table.
    """
    target.execute(delete(CaseMeta))
    counts = {}
    for table in Base.metadata.sorted_tables:
        rows = [dict(row) for row in source.execute(select(table)).mappings()]
        if table.name == AuditEntry.__tablename__:
            rows = [{k: v for k, v in row.items() if k != "id"} for row in rows]
        for start in range(0, len(rows), BATCH):
            target.execute(insert(table), rows[start:start + BATCH])
        counts[table.name] = len(rows)
    advance_sequences(target)
    return counts


def advance_sequences(connection: Connection) -> None:
    """Move each id sequence past the ids copied in (PostgreSQL); SQLite needs nothing."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM {table.name}"))


def fingerprint(connection: Connection) -> dict[str, Any]:
    """Return what must agree between two copies of a case: counts and the analyst's work.

    Row counts of every table but the audit log (a copy adds to the target's own), a hash
    of the documents' texts, and a hash of every mention's id, document, span, label, status.
    """
    counts = {table.name: connection.scalar(select(func.count()).select_from(table))
              for table in Base.metadata.sorted_tables
              if table.name != AuditEntry.__tablename__}
    texts = sorted(connection.scalars(select(Document.text_sha256)))
    mentions = [list(row) for row in connection.execute(
        select(Mention.id, Mention.document_id, Mention.start, Mention.end, Mention.label,
               Mention.status).order_by(Mention.id))]
    return {
        "counts": counts,
        "documents": hashlib.sha256(json.dumps(texts).encode()).hexdigest(),
        "mentions": hashlib.sha256(json.dumps(mentions).encode()).hexdigest(),
    }
