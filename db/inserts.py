"""Writes whose SQL differs by engine: each dialect builds its own statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Document


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
