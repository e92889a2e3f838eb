"""identifier provenance: self-asserted identifiers

Identifiers a customer typed in about themselves are marked, so that recognition can ignore
them until they are verified. Existing rows were recorded before the distinction and are
kept as they were (not self-asserted).

Revision ID: 0005_identifier_provenance
Revises: 0004_join_branches
Create Date: 2026-11-23 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_identifier_provenance"
down_revision: str | Sequence[str] | None = "0004_join_branches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customer_identifier") as batch:
        batch.add_column(
            sa.Column("self_asserted", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_identifier") as batch:
        batch.drop_column("self_asserted")
