"""join inventory and customers

The two domains were added side by side on top of the foundation; this revision joins the
branches so that later revisions have a single parent.

Revision ID: 0004_join_branches
Revises: 0003_customers, 0002_inventory
Create Date: 2026-11-23 12:36:11.320613
"""

from collections.abc import Sequence

revision: str = "0004_join_branches"
down_revision: str | Sequence[str] | None = ("0003_customers", "0002_inventory")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
