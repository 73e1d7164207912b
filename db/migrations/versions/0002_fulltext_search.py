"""Full-text search: FTS5 indexes over documents (title, text) and notes (text), kept in sync.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 05:00:00

Every table this revision creates (and FTS5's shadow tables) is named ``fts_*``; they are not
ORM models, so the drift test and env.py skip that prefix. Both indexes are external-content
tables: they store only the index, and read text from documents/notes for snippets.

A later batch migration that rebuilds ``documents`` or ``notes`` drops their triggers: such a
revision must run ``create_triggers()`` from this module again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "unicode61 remove_diacritics 2"

# (fts table, content table, indexed columns)
INDEXES = (
    ("fts_documents", "documents", ("title", "text")),
    ("fts_notes", "notes", ("text",)),
)


def _trigger_sql(fts: str, table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        # Only a change of an indexed column re-indexes (not extraction_state, updated_at...).
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
    ]


def create_triggers() -> None:
    """Create the triggers that keep the FTS indexes in step with their tables."""
    for fts, table, columns in INDEXES:
        for statement in _trigger_sql(fts, table, columns):
            op.execute(statement)


def upgrade() -> None:
    """Create the FTS5 indexes, their triggers, and index the rows already stored."""
    for fts, table, columns in INDEXES:
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
            f"content='{table}', content_rowid='id', tokenize='{TOKENIZE}')"
        )
    create_triggers()
    for fts, _table, _columns in INDEXES:
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def downgrade() -> None:
    """Drop the triggers and the FTS5 indexes."""
    for fts, _table, _columns in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
