"""Analyst relations: typed links between two entities with their evidence sentence.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here: a later change of the StrEnum needs its own revision.
RELATION_TYPES = ("member of", "commands", "located in", "met", "other")


def upgrade() -> None:
    """Create the relations table and its entity indexes."""
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_entity_id", sa.Integer(), nullable=False),
        sa.Column("target_entity_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"type IN {RELATION_TYPES}", name=op.f("ck_relations_type")),
        sa.CheckConstraint(
            "source_entity_id != target_entity_id", name=op.f("ck_relations_two_entities")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name=op.f("fk_relations_document_id_documents"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.id"],
            name=op.f("fk_relations_mention_id_mentions"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_entity_id"], ["entities.id"],
            name=op.f("fk_relations_source_entity_id_entities"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_entity_id"], ["entities.id"],
            name=op.f("fk_relations_target_entity_id_entities"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relations_source_entity_id"), ["source_entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_relations_target_entity_id"), ["target_entity_id"], unique=False
        )


def downgrade() -> None:
    """Drop the relations table."""
    op.drop_table("relations")
