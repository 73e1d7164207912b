"""Team cases: a version on mentions and entities; on PostgreSQL, change notifications.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:10:00

``version`` makes edits optimistic: an update names the version it read, and fails when another
analyst changed the row meanwhile. On PostgreSQL, statement-level triggers send one NOTIFY on
channel ``casedesk_changes`` per changed table and statement, with a small JSON payload (table,
operation, at most 100 ids and document ids), which open windows of other analysts listen to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "casedesk_changes"
# table -> expression giving the document a changed row belongs to (NULL: none)
NOTIFYING = {
    "documents": "id",
    "mentions": "document_id",
    "entities": "NULL::integer",
    "notes": "document_id",
    "tag_links": "document_id",
}
LIMIT = 100


def _notify_function(table: str, document: str) -> str:
    def payload(rows: str) -> str:
        return (
            "json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP), "
            f"'ids', (SELECT coalesce(json_agg(id), '[]') FROM (SELECT id FROM {rows} "
            f"LIMIT {LIMIT}) i), "
            f"'documents', (SELECT coalesce(json_agg(DISTINCT d), '[]') FROM (SELECT {document} "
            f"AS d FROM {rows} WHERE {document} IS NOT NULL LIMIT {LIMIT}) j))::text"
        )

    return (
        f"CREATE FUNCTION casedesk_notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP = 'DELETE' THEN "
        f"PERFORM pg_notify('{CHANNEL}', {payload('old_rows')}); "
        f"ELSE PERFORM pg_notify('{CHANNEL}', {payload('new_rows')}); END IF; "
        "RETURN NULL; END $$"
    )


def _create_notifications() -> None:
    for table, document in NOTIFYING.items():
        op.execute(_notify_function(table, document))
        for verb, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER casedesk_notify_{verb.lower()} AFTER {verb} ON {table} "
                f"REFERENCING {rows} TABLE AS {rows.lower()}_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION casedesk_notify_{table}()"
            )


def upgrade() -> None:
    """Add the version columns; on PostgreSQL, the change notifications."""
    for table in ("mentions", "entities"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    if op.get_bind().dialect.name == "postgresql":
        _create_notifications()


def downgrade() -> None:
    """Drop the notifications and the version columns."""
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFYING:
            for verb in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS casedesk_notify_{verb} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS casedesk_notify_{table}()")
    for table in ("mentions", "entities"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
