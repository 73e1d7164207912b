"""Case pipelines, guessed languages, reviewed documents, imported annotations.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-02 08:20:00

- ``pipelines``: versions of a pipeline fine-tuned on the analyst's reviews, stored in the case.
- ``documents.language_guessed``: detection was unsure and the language is a guess.
- ``documents.reviewed_at``: the document was declared fully reviewed.
- ``mentions.pipeline_version``: which case pipeline version suggested a mention.
- ``mentions.origin`` admits "import" (annotations brought in from another tool).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ORIGINS = "origin IN ('model', 'gazetteer', 'rule', 'analyst')"
NEW_ORIGINS = "origin IN ('model', 'gazetteer', 'rule', 'analyst', 'import')"


def upgrade() -> None:
    """Add the pipelines table and the new columns; widen the origin constraint."""
    op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipelines")),
        sa.UniqueConstraint("language", "version", name="language_version"),
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column("language_guessed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("pipeline_version", sa.Integer(), nullable=True))
        batch.drop_constraint(op.f("ck_mentions_origin"), type_="check")
        batch.create_check_constraint(op.f("ck_mentions_origin"), sa.text(NEW_ORIGINS))


def downgrade() -> None:
    """Drop what upgrade added; imported mentions become analyst mentions."""
    op.execute("UPDATE mentions SET origin = 'analyst' WHERE origin = 'import'")
    with op.batch_alter_table("mentions") as batch:
        batch.drop_constraint(op.f("ck_mentions_origin"), type_="check")
        batch.create_check_constraint(op.f("ck_mentions_origin"), sa.text(OLD_ORIGINS))
        batch.drop_column("pipeline_version")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("reviewed_at")
        batch.drop_column("language_guessed")
    op.drop_table("pipelines")
