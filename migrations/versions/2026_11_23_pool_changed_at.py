"""channel stock pool: when its configuration last changed

Delta feeds (`inventoryLevels(updatedSince:)`) answer in full when a channel's pool or buffer
changed after the partner's checkpoint, since every SKU's availability may have moved.

Revision ID: 0006_pool_changed_at
Revises: 0005_identifier_provenance
Create Date: 2026-11-23 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.kit.types

revision: str = "0006_pool_changed_at"
down_revision: str | Sequence[str] | None = "0005_identifier_provenance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_stock_pool") as batch:
        batch.add_column(
            sa.Column("changed_at", app.kit.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_stock_pool") as batch:
        batch.drop_column("changed_at")
