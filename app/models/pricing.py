"""Promotions, discount codes, their redemptions, and tax rules per channel and region."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class PromotionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class PromotionTrigger(StrEnum):
    AUTOMATIC = "AUTOMATIC"
    CODE = "CODE"


class PromotionKind(StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED_AMOUNT = "FIXED_AMOUNT"
    BUY_X_GET_Y = "BUY_X_GET_Y"


class PromotionTarget(StrEnum):
    ORDER = "ORDER"
    PRODUCTS = "PRODUCTS"
    CATEGORIES = "CATEGORIES"


class CustomerSegment(StrEnum):
    GUESTS = "GUESTS"
    CUSTOMERS = "CUSTOMERS"
    LOYALTY_MEMBERS = "LOYALTY_MEMBERS"


class Promotion(Base):
    """A discount rule; automatic ones apply by themselves, CODE ones need one of their codes."""

    __tablename__ = "promotion"
    __table_args__ = (
        CheckConstraint(
            "percentage_bp IS NULL OR (percentage_bp > 0 AND percentage_bp <= 10000)",
            name="percentage_range",
        ),
        CheckConstraint("buy_quantity IS NULL OR buy_quantity >= 1", name="buy_quantity"),
        CheckConstraint("get_quantity IS NULL OR get_quantity >= 1", name="get_quantity"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[PromotionStatus] = mapped_column(
        Enum(PromotionStatus, native_enum=False, length=20), default=PromotionStatus.ACTIVE
    )
    trigger: Mapped[PromotionTrigger] = mapped_column(
        Enum(PromotionTrigger, native_enum=False, length=20)
    )
    kind: Mapped[PromotionKind] = mapped_column(Enum(PromotionKind, native_enum=False, length=20))
    target: Mapped[PromotionTarget] = mapped_column(
        Enum(PromotionTarget, native_enum=False, length=20)
    )
    # Percentages in basis points (1500 = 15 %); for BUY_X_GET_Y, the discount on the Y items.
    percentage_bp: Mapped[int | None] = mapped_column(Integer)
    # Fixed amounts and spend thresholds in minor units, per currency: {"CAD": 1000}.
    amounts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    minimum_subtotals: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    buy_quantity: Mapped[int | None] = mapped_column(Integer)
    get_quantity: Mapped[int | None] = mapped_column(Integer)
    product_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    category_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Empty means every channel / every shopper.
    channel_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    segments: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Lower first; an exclusive promotion applies only alone.
    priority: Mapped[int] = mapped_column(Integer, default=100)
    combinable: Mapped[bool] = mapped_column(Boolean, default=True)
    # Per-customer limit for the codes of a CODE promotion.
    usage_limit_per_customer: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DiscountCode(Base):
    """A code that unlocks a CODE promotion; `times_used` only grows, with a guarded UPDATE."""

    __tablename__ = "discount_code"
    __table_args__ = (
        CheckConstraint("times_used >= 0", name="times_used_not_negative"),
        CheckConstraint(
            "usage_limit IS NULL OR times_used <= usage_limit", name="within_usage_limit"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotion.id", ondelete="CASCADE"), index=True
    )
    # Stored upper-case; shoppers type codes in any case.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    times_used: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DiscountRedemption(Base):
    """One use of a code at checkout; per-customer limits count these."""

    __tablename__ = "discount_redemption"
    __table_args__ = (Index("ix_discount_redemption_code_customer", "code_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("discount_code.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("cart.id", ondelete="SET NULL"))
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChannelTaxSetting(Base):
    """How a channel shows tax, and where it taxes when the cart names no destination."""

    __tablename__ = "channel_tax_setting"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True
    )
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    default_country_code: Mapped[str] = mapped_column(String(2))
    default_region: Mapped[str] = mapped_column(String(100), default="")


class TaxRate(Base):
    """A combined sales tax rate for a country, or one region of it (region '' = the rest)."""

    __tablename__ = "tax_rate"
    __table_args__ = (
        UniqueConstraint("country_code", "region"),
        CheckConstraint("rate_ppm >= 0 AND rate_ppm <= 1000000", name="rate_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(100), default="")
    # Parts per million: 149750 is 14.975 % (Québec's GST plus QST).
    rate_ppm: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), default="")
