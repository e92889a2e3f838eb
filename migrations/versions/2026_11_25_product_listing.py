"""product listing: the storefront's sort keys per channel and locale, indexed

One row per product, channel it is published on, and locale: the resolved title (the locale's,
else the channel's default locale's, else the handle), the lowest price in the channel's
currency, the handle and the timestamps. A page of a sorted product list reads these in index
order instead of sorting the whole catalog. Back-filled for every locale a product is
translated in and every channel's default locale; app.migrate adds the configured locales.

Revision ID: 0007_product_listing
Revises: 0006_pool_changed_at
Create Date: 2026-11-25 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.kit.types

revision: str = "0007_product_listing"
down_revision: str | Sequence[str] | None = "0006_pool_changed_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEYS = ("title", "price", "created_at", "updated_at", "handle")

BACKFILL = """
INSERT INTO product_listing
    (channel_id, locale, product_id, status, title, handle, price, created_at, updated_at)
SELECT pc.channel_id, listed.locale, p.id, p.status,
       COALESCE(wanted.title, fallback.title, p.handle), p.handle,
       COALESCE((SELECT MIN(pr.amount) FROM price pr JOIN variant v ON v.id = pr.variant_id
                 WHERE v.product_id = p.id AND pr.currency_code = ch.currency_code), 0),
       p.created_at, p.updated_at
FROM product p
JOIN product_channel pc ON pc.product_id = p.id
JOIN channel ch ON ch.id = pc.channel_id
JOIN (SELECT locale FROM product_translation UNION SELECT default_locale FROM channel) listed
  ON 1 = 1
LEFT JOIN product_translation wanted
  ON wanted.product_id = p.id AND wanted.locale = listed.locale
LEFT JOIN product_translation fallback
  ON fallback.product_id = p.id AND fallback.locale = ch.default_locale
"""


def upgrade() -> None:
    op.create_table(
        "product_listing",
        sa.Column("channel_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("status", sa.Enum("DRAFT", "ACTIVE", "ARCHIVED", name="productstatus",
                                    native_enum=False, length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("handle", sa.String(length=128), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channel.id"], ondelete="CASCADE",
                                name=op.f("fk_product_listing_channel_id_channel")),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], ondelete="CASCADE",
                                name=op.f("fk_product_listing_product_id_product")),
        sa.PrimaryKeyConstraint("channel_id", "locale", "product_id",
                                name=op.f("pk_product_listing")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_product_listing_product_id"), "product_listing", ["product_id"], unique=False
    )
    for key in SORT_KEYS:
        op.create_index(
            f"ix_product_listing_{key}",
            "product_listing",
            ["channel_id", "locale", "status", key, "product_id"],
            unique=False,
        )
    op.execute(BACKFILL)


def downgrade() -> None:
    for key in SORT_KEYS:
        op.drop_index(f"ix_product_listing_{key}", table_name="product_listing")
    op.drop_index(op.f("ix_product_listing_product_id"), table_name="product_listing")
    op.drop_table("product_listing")
