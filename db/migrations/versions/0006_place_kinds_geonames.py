"""Places: continents, seas and areas as kinds, and the GeoNames id of each place.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

The gazetteer now holds continents, oceans and seas, and macro-regions and large islands
besides countries, regions and cities; exports carry each place's GeoNames id.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('country', 'admin1', 'city', 'point')"
NEW_KINDS = "kind IN ('country', 'admin1', 'city', 'point', 'continent', 'sea', 'area')"


def upgrade() -> None:
    """Widen the kind check and add the geonames_id column."""
    with op.batch_alter_table("places") as batch:
        batch.drop_constraint(op.f("ck_places_kind"), type_="check")
        batch.create_check_constraint("kind", NEW_KINDS)
        batch.add_column(sa.Column("geonames_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the column; places of the new kinds become points."""
    op.execute("UPDATE places SET kind = 'point' WHERE kind IN ('continent', 'sea', 'area')")
    with op.batch_alter_table("places") as batch:
        batch.drop_column("geonames_id")
        batch.drop_constraint(op.f("ck_places_kind"), type_="check")
        batch.create_check_constraint("kind", OLD_KINDS)
