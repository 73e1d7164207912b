"""Mentions: index (entity_id, document_id) in place of the entity_id index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:40:00

The two-column index answers "which documents mention this entity" from the index alone: the
entity list's document counts and the search filter by entity no longer read a table row per
mention. It also serves every lookup the single-column index served, so that one goes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the covering index, then drop the one it replaces."""
    op.create_index("ix_mentions_entity_document", "mentions", ["entity_id", "document_id"])
    op.drop_index("ix_mentions_entity_id", table_name="mentions")


def downgrade() -> None:
    """Bring back the single-column index."""
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
    op.drop_index("ix_mentions_entity_document", table_name="mentions")
