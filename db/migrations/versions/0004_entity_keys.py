"""Entity keys: indexed lookup keys of entity names, so linking does not scan every entity.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:30:00

The keys are computed in Python (transliterated surname keys), so the database only records
which entities need new keys: triggers queue an entity in ``entity_keys_pending`` when it is
inserted or its label or names change, whoever writes it (the app, a case-file import, a
script). Every entity already stored is queued here and keyed at the next import.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUEUE = "INSERT OR IGNORE INTO entity_keys_pending(entity_id) VALUES (new.id);"
TRIGGERS = (
    f"CREATE TRIGGER entity_keys_ai AFTER INSERT ON entities BEGIN {_QUEUE} END",
    "CREATE TRIGGER entity_keys_au AFTER UPDATE OF label, canonical_name, aliases ON entities "
    f"BEGIN {_QUEUE} END",
)


# PostgreSQL: the same two triggers, through one trigger function.
PG_TRIGGERS = (
    "CREATE FUNCTION entity_keys_queue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO entity_keys_pending(entity_id) VALUES (NEW.id) ON CONFLICT DO NOTHING; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER entity_keys_ai AFTER INSERT ON entities FOR EACH ROW "
    "EXECUTE FUNCTION entity_keys_queue()",
    "CREATE TRIGGER entity_keys_au AFTER UPDATE OF label, canonical_name, aliases ON entities "
    "FOR EACH ROW EXECUTE FUNCTION entity_keys_queue()",
)


def create_triggers() -> None:
    """Create the triggers that queue entities for re-keying (a batch rebuild drops them)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in PG_TRIGGERS if postgres else TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    """Create the key tables and triggers, and queue every stored entity."""
    op.create_table(
        "entity_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_entity_keys_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "entity_id", name=op.f("pk_entity_keys")),
    )
    op.create_index(op.f("ix_entity_keys_entity_id"), "entity_keys", ["entity_id"])
    op.create_table(
        "entity_keys_pending",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"],
            name=op.f("fk_entity_keys_pending_entity_id_entities"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_entity_keys_pending")),
    )
    create_triggers()
    op.execute("INSERT INTO entity_keys_pending(entity_id) SELECT id FROM entities")


def downgrade() -> None:
    """Drop the triggers and the key tables."""
    on = " ON entities" if op.get_bind().dialect.name == "postgresql" else ""
    op.execute(f"DROP TRIGGER IF EXISTS entity_keys_ai{on}")
    op.execute(f"DROP TRIGGER IF EXISTS entity_keys_au{on}")
    if on:
        op.execute("DROP FUNCTION IF EXISTS entity_keys_queue()")
    op.drop_table("entity_keys_pending")
    op.drop_index(op.f("ix_entity_keys_entity_id"), table_name="entity_keys")
    op.drop_table("entity_keys")
