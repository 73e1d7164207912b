"""Writes whose SQL differs by engine: each dialect builds its own statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, func, select, text
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


class IdBlock:
    """Primary keys for new rows of one table, taken before the rows are inserted.

    With their ids set, rows added one by one go in together at the next flush (one
    executemany) instead of a flush each to learn the id. PostgreSQL hands out a block of its
    sequence (unused ids are a gap, as after a rollback). SQLite counts on from the largest id:
    the caller's transaction has written already, so it holds the file's write lock, and
    while a block is in use no other insert into the table may come before its rows' flush.
    """

    def __init__(self, session: Session, model: type[Base], block: int = 16) -> None:
        self.session = session
        self.table = cast(Table, model.__table__)
        self.block = block
        self._ids: list[int] = []
        self._last: int | None = None
        self._postgresql = session.get_bind().dialect.name == "postgresql"

    def next(self) -> int:
        """An id no row of the table has, nor will get from anyone else."""
        if not self._ids:
            self._ids = self._take()
        return self._ids.pop(0)

    def _take(self) -> list[int]:
        if self._postgresql:
            statement = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                             "FROM generate_series(1, :count)")
            return list(self.session.scalars(
                statement, {"table": self.table.name, "count": self.block}))
        if self._last is None:
            self._last = self.session.scalar(select(func.max(self.table.c.id))) or 0
        self._last += 1
        return [self._last]
