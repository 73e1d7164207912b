"""Case pipelines, guessed languages, reviewed documents, imported annotations.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:20:00

- ``pipelines``: versions of a pipeline fine-tuned on the analyst's reviews, stored in the case.
- ``documents.language_guessed``: detection was unsure and the language is a guess.
- ``documents.reviewed_at``: the document was declared fully reviewed.
- ``mentions.pipeline_version``: which case pipeline version suggested a mention.
- ``mentions.origin`` admits "import" (annotations brought in from another tool).
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
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
    # Plain ADD COLUMN: a batch rebuild of documents would drop its full-text triggers.
    op.add_column("documents", sa.Column("language_guessed", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("documents", sa.Column("reviewed_at", sa.DateTime(timezone=True),
                                         nullable=True))
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
    fulltext = _fulltext_revision()  # the rebuild of documents dropped its triggers
    for fts, table, columns in fulltext.INDEXES:
        if table == "documents":
            for statement in fulltext._trigger_sql(fts, table, columns):
                op.execute(statement)
    op.drop_table("pipelines")


def _fulltext_revision() -> ModuleType:
    """Revision 0002, whose triggers keep the full-text index in step with documents."""
    path = Path(__file__).with_name("0002_fulltext_search.py")
    spec = importlib.util.spec_from_file_location("casedesk_0002_fulltext", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
