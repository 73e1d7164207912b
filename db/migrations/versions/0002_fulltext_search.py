"""Full-text search over documents (title, text) and notes (text), kept in sync by triggers.

SQLite: FTS5 indexes. PostgreSQL: ``fts_documents``/``fts_notes`` tables holding a tsvector per
row (GIN-indexed), built with the text search configuration of the document's language
(german, english, else simple; each after unaccent); notes use simple.

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


# Like FTS5's remove_diacritics, "fur" finds "für": unaccent runs before each stemmer.
PG_DICTIONARIES = {"german": "german_stem", "english": "english_stem", "simple": "simple"}
PG_CONFIG = """
CREATE FUNCTION fts_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE WHEN $1 LIKE 'de%' THEN 'casedesk_german' WHEN $1 LIKE 'en%'
          THEN 'casedesk_english' ELSE 'casedesk_simple' END)::regconfig $$
"""
PG_DOCUMENTS = """
CREATE FUNCTION fts_documents_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE cfg regconfig := fts_config(NEW.language);
BEGIN
  INSERT INTO fts_documents (id, config, tsv) VALUES (NEW.id, cfg,
    setweight(to_tsvector(cfg, NEW.title), 'A') || to_tsvector(cfg, NEW.text))
  ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config, tsv = EXCLUDED.tsv;
  RETURN NULL;
END $$
"""
PG_NOTES = """
CREATE FUNCTION fts_notes_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO fts_notes (id, tsv) VALUES (NEW.id, to_tsvector('casedesk_simple', NEW.text))
  ON CONFLICT (id) DO UPDATE SET tsv = EXCLUDED.tsv;
  RETURN NULL;
END $$
"""


def _upgrade_postgresql() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, dictionary in PG_DICTIONARIES.items():
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION casedesk_{name} (COPY = {name})")
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION casedesk_{name} ALTER MAPPING FOR "
                   f"hword, hword_part, word WITH unaccent, {dictionary}")
    op.execute(PG_CONFIG)
    op.execute("CREATE TABLE fts_documents (id integer PRIMARY KEY REFERENCES documents(id) "
               "ON DELETE CASCADE, config regconfig NOT NULL, tsv tsvector NOT NULL)")
    op.execute("CREATE TABLE fts_notes (id integer PRIMARY KEY REFERENCES notes(id) "
               "ON DELETE CASCADE, tsv tsvector NOT NULL)")
    for table in ("fts_documents", "fts_notes"):
        op.execute(f"CREATE INDEX {table}_tsv ON {table} USING gin (tsv)")
    op.execute(PG_DOCUMENTS)
    op.execute(PG_NOTES)
    op.execute("CREATE TRIGGER fts_documents_sync AFTER INSERT OR UPDATE OF title, text, "
               "language ON documents FOR EACH ROW EXECUTE FUNCTION fts_documents_sync()")
    op.execute("CREATE TRIGGER fts_notes_sync AFTER INSERT OR UPDATE OF text ON notes "
               "FOR EACH ROW EXECUTE FUNCTION fts_notes_sync()")
    op.execute("UPDATE documents SET title = title")
    op.execute("UPDATE notes SET text = text")


def upgrade() -> None:
    """Create the full-text indexes, their triggers, and index the rows already stored."""
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
        return
    for fts, table, columns in INDEXES:
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
            f"content='{table}', content_rowid='id', tokenize='{TOKENIZE}')"
        )
    create_triggers()
    for fts, _table, _columns in INDEXES:
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def downgrade() -> None:
    """Drop the triggers and the full-text indexes."""
    if op.get_bind().dialect.name == "postgresql":
        for table, source in (("fts_documents", "documents"), ("fts_notes", "notes")):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_sync ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_sync()")
            op.execute(f"DROP TABLE IF EXISTS {table}")
        op.execute("DROP FUNCTION IF EXISTS fts_config(text)")
        for name in PG_DICTIONARIES:
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS casedesk_{name}")
        return
    for fts, _table, _columns in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
