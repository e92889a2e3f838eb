"""join the listing index, carts and pricing, and the persisted documents and webhooks branches

Three revisions were added side by side on top of the channel stock pool change; this revision
joins them so that later revisions have a single parent.

Revision ID: 0009_join_branches
Revises: 0007_product_listing, 0007_carts_pricing, 0008_outbox_webhooks
Create Date: 2026-11-25 03:50:00.000000
"""

from collections.abc import Sequence

revision: str = "0009_join_branches"
down_revision: str | Sequence[str] | None = (
    "0007_product_listing",
    "0007_carts_pricing",
    "0008_outbox_webhooks",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
