"""Writes whose SQL differs by engine: each dialect builds its own statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from db.models import Base, Document


def insert_document(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a document unless one with the same text is stored; return its id, or None.

    Both engines know ``INSERT ... ON CONFLICT DO NOTHING``; each dialect builds its own.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return session.scalar(
        dialect.insert(Document).values(values)
        .on_conflict_do_nothing(index_elements=["text_sha256"])
        .returning(Document.id)
    )


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows of a mapped class in one executemany of its table (defaults applied).

    The ORM's bulk insert leaves out a row's None values, so rows that differ in which values
    are None go in separate statements; the table's own insert takes them all at once.
    """
    if rows:
        session.execute(cast(Table, model.__table__).insert(), list(rows))
