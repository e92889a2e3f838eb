"""Carts: what a shopper intends to buy, on one channel group, until checkout or expiry."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class CartStatus(StrEnum):
    ACTIVE = "ACTIVE"
    # Folded into another cart (sign-in, customer merge); its token resolves to the survivor.
    MERGED = "MERGED"
    # Idle past its time to live; kept until `omnigraph carts purge` removes it.
    EXPIRED = "EXPIRED"
    COMPLETED = "COMPLETED"


class DeliveryMethod(StrEnum):
    SHIPPING = "SHIPPING"
    PICKUP = "PICKUP"


class Cart(Base):
    """A cart; `token` is its public, unguessable identity (the API's cart ID)."""

    __tablename__ = "cart"
    __table_args__ = (
        # One active cart per customer and channel group (web and app share one).
        Index(
            "uq_cart_active_customer_group",
            "customer_id",
            "channel_group",
            unique=True,
            sqlite_where=text("status = 'ACTIVE'"),
            postgresql_where=text("status = 'ACTIVE'"),
        ),
        Index("ix_cart_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[CartStatus] = mapped_column(
        Enum(CartStatus, native_enum=False, length=20), default=CartStatus.ACTIVE
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    channel_group: Mapped[str] = mapped_column(String(20))
    currency_code: Mapped[str] = mapped_column(String(3))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320))
    country_code: Mapped[str | None] = mapped_column(String(2))
    # The store and associate of a cart opened at a till.
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    discount_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    delivery_method: Mapped[DeliveryMethod | None] = mapped_column(
        Enum(DeliveryMethod, native_enum=False, length=20)
    )
    pickup_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    # {"line1", "line2", "city", "region", "postalCode", "countryCode", "latitude", "longitude"}
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("cart.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every change of the cart or its lines touches this; idle time counts from it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CartLine(Base):
    """One variant in a cart; a variant appears at most once, so adds are upserts."""

    __tablename__ = "cart_line"
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("variant.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    # The unit price the shopper saw when the line was added; a later change is PRICE_CHANGED.
    unit_price_seen: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
