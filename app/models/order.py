"""Orders: what was sold, at which price, how it reaches the customer, and how it is paid."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

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


class OrderStatus(StrEnum):
    PLACED = "PLACED"
    AWAITING_TRANSFER = "AWAITING_TRANSFER"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    PICKED_UP = "PICKED_UP"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class FulfillmentMethod(StrEnum):
    SHIPPING = "SHIPPING"
    PICKUP_IN_STORE = "PICKUP_IN_STORE"
    IN_STORE_HANDOVER = "IN_STORE_HANDOVER"


class PaymentStatus(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    CAPTURED = "CAPTURED"
    VOIDED = "VOIDED"
    REFUNDED = "REFUNDED"


def _enum(kind: type[StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=20)


class Order(Base):
    __tablename__ = "order"
    __table_args__ = (
        # A retried request (same key) finds the order it already placed.
        UniqueConstraint("idempotency_key"),
        Index("ix_order_channel_created", "channel_id", "created_at"),
        CheckConstraint("total >= 0", name="total_non_negative"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), default=OrderStatus.PLACED)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="RESTRICT"))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("cart.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    currency_code: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer)
    discount_total: Mapped[int] = mapped_column(Integer, default=0)
    shipping_total: Mapped[int] = mapped_column(Integer, default=0)
    tax_total: Mapped[int] = mapped_column(Integer, default=0)
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer)
    # [{"promotion", "code", "amount"}] as the engine named them at checkout.
    discounts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # {"line1", "line2", "city", "region", "postalCode", "countryCode", "latitude", "longitude"}
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pickup_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    # What routing considered and why it chose the fulfilments it did.
    routing_decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # A digest of the request a key was first used with; another body under it is refused.
    request_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderLine(Base):
    """A line with its price snapshot: what the customer was charged, whatever changes later."""

    __tablename__ = "order_line"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        UniqueConstraint("order_id", "variant_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("variant.id", ondelete="RESTRICT"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    subtotal: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)


class Fulfillment(Base):
    """How some of an order's units reach the customer, all from one location."""

    __tablename__ = "fulfillment"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    method: Mapped[FulfillmentMethod] = mapped_column(_enum(FulfillmentMethod))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), default=OrderStatus.PLACED)
    # Where the units are reserved and leave from.
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"))
    # A pickup whose store lacked stock waits for this transfer to arrive.
    transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventory_transfer.id", ondelete="SET NULL"), index=True
    )
    pickup_code: Mapped[str | None] = mapped_column(String(12))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FulfillmentLine(Base):
    """Units of one order line reserved at the fulfilment's location (an open allocation
    until the fulfilment is handed over, shipped or cancelled)."""

    __tablename__ = "fulfillment_line"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    fulfillment_id: Mapped[int] = mapped_column(
        ForeignKey("fulfillment.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("variant.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)


class Payment(Base):
    """One tender against an order, as the gateway answered it."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    gateway: Mapped[str] = mapped_column(String(40))
    tender: Mapped[str] = mapped_column(String(20))
    status: Mapped[PaymentStatus] = mapped_column(_enum(PaymentStatus))
    amount: Mapped[int] = mapped_column(Integer)
    # Cash handed over at a till; the change given back is `tendered - amount`.
    tendered: Mapped[int | None] = mapped_column(Integer)
    currency_code: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(100))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
