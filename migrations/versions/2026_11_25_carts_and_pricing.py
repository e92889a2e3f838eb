"""carts, cart lines, promotions, discount codes and their redemptions, tax settings and rates

One active cart per customer and channel group is a partial unique index; code usage is
bounded by a CHECK so a redemption can never exceed its limit.

Revision ID: 0007_carts_pricing
Revises: 0006_pool_changed_at
Create Date: 2026-11-25 02:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.kit.types

revision: str = "0007_carts_pricing"
down_revision: str | Sequence[str] | None = "0006_pool_changed_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promotion",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("ACTIVE", "ARCHIVED", name="promotionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "trigger",
            sa.Enum("AUTOMATIC", "CODE", name="promotiontrigger", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "PERCENTAGE",
                "FIXED_AMOUNT",
                "BUY_X_GET_Y",
                name="promotionkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "target",
            sa.Enum(
                "ORDER",
                "PRODUCTS",
                "CATEGORIES",
                name="promotiontarget",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("percentage_bp", sa.Integer(), nullable=True),
        sa.Column("amounts", sa.JSON(), nullable=False),
        sa.Column("minimum_subtotals", sa.JSON(), nullable=False),
        sa.Column("buy_quantity", sa.Integer(), nullable=True),
        sa.Column("get_quantity", sa.Integer(), nullable=True),
        sa.Column("product_ids", sa.JSON(), nullable=False),
        sa.Column("category_ids", sa.JSON(), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("starts_at", app.kit.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", app.kit.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("combinable", sa.Boolean(), nullable=False),
        sa.Column("usage_limit_per_customer", sa.Integer(), nullable=True),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "buy_quantity IS NULL OR buy_quantity >= 1", name=op.f("ck_promotion_buy_quantity")
        ),
        sa.CheckConstraint(
            "get_quantity IS NULL OR get_quantity >= 1", name=op.f("ck_promotion_get_quantity")
        ),
        sa.CheckConstraint(
            "percentage_bp IS NULL OR (percentage_bp > 0 AND percentage_bp <= 10000)",
            name=op.f("ck_promotion_percentage_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion")),
    )
    op.create_table(
        "tax_rate",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("rate_ppm", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "rate_ppm >= 0 AND rate_ppm <= 1000000", name=op.f("ck_tax_rate_rate_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_rate")),
        sa.UniqueConstraint("country_code", "region", name=op.f("uq_tax_rate_country_code_region")),
    )
    op.create_table(
        "channel_tax_setting",
        sa.Column(
            "channel_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("default_country_code", sa.String(length=2), nullable=False),
        sa.Column("default_region", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_channel_tax_setting_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_tax_setting")),
    )
    op.create_table(
        "discount_code",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "promotion_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("usage_limit", sa.Integer(), nullable=True),
        sa.Column("times_used", sa.Integer(), nullable=False),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "times_used >= 0", name=op.f("ck_discount_code_times_used_not_negative")
        ),
        sa.CheckConstraint(
            "usage_limit IS NULL OR times_used <= usage_limit",
            name=op.f("ck_discount_code_within_usage_limit"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotion.id"],
            name=op.f("fk_discount_code_promotion_id_promotion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount_code")),
        sa.UniqueConstraint("code", name=op.f("uq_discount_code_code")),
    )
    with op.batch_alter_table("discount_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_code_promotion_id"), ["promotion_id"], unique=False
        )

    op.create_table(
        "cart",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ACTIVE",
                "MERGED",
                "EXPIRED",
                "COMPLETED",
                name="cartstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "channel_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("channel_group", sa.String(length=20), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "staff_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("discount_codes", sa.JSON(), nullable=False),
        sa.Column(
            "delivery_method",
            sa.Enum("SHIPPING", "PICKUP", name="deliverymethod", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "pickup_location_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("shipping_address", sa.JSON(), nullable=True),
        sa.Column(
            "merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", app.kit.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_cart_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_cart_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_cart_location_id_location"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["cart.id"],
            name=op.f("fk_cart_merged_into_id_cart"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pickup_location_id"],
            ["location.id"],
            name=op.f("fk_cart_pickup_location_id_location"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_cart_staff_user_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart")),
        sa.UniqueConstraint("token", name=op.f("uq_cart_token")),
    )
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cart_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cart_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_index("ix_cart_status_updated", ["status", "updated_at"], unique=False)
        batch_op.create_index(
            "uq_cart_active_customer_group",
            ["customer_id", "channel_group"],
            unique=True,
            sqlite_where=sa.text("status = 'ACTIVE'"),
            postgresql_where=sa.text("status = 'ACTIVE'"),
        )

    op.create_table(
        "cart_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cart_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "variant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_seen", sa.Integer(), nullable=True),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_cart_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["cart.id"], name=op.f("fk_cart_line_cart_id_cart"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variant.id"],
            name=op.f("fk_cart_line_variant_id_variant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_line")),
        sa.UniqueConstraint("cart_id", "variant_id", name=op.f("uq_cart_line_cart_id_variant_id")),
    )
    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cart_line_variant_id"), ["variant_id"], unique=False)

    op.create_table(
        "discount_redemption",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("cart_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("redeemed_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cart_id"],
            ["cart.id"],
            name=op.f("fk_discount_redemption_cart_id_cart"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["discount_code.id"],
            name=op.f("fk_discount_redemption_code_id_discount_code"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_discount_redemption_customer_id_customer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount_redemption")),
    )
    with op.batch_alter_table("discount_redemption", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discount_redemption_code_customer", ["code_id", "customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("discount_redemption", schema=None) as batch_op:
        batch_op.drop_index("ix_discount_redemption_code_customer")

    op.drop_table("discount_redemption")
    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cart_line_variant_id"))

    op.drop_table("cart_line")
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_cart_active_customer_group",
            sqlite_where=sa.text("status = 'ACTIVE'"),
            postgresql_where=sa.text("status = 'ACTIVE'"),
        )
        batch_op.drop_index("ix_cart_status_updated")
        batch_op.drop_index(batch_op.f("ix_cart_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_cart_customer_id"))

    op.drop_table("cart")
    with op.batch_alter_table("discount_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_code_promotion_id"))

    op.drop_table("discount_code")
    op.drop_table("channel_tax_setting")
    op.drop_table("tax_rate")
    op.drop_table("promotion")
