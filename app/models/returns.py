"""Returns: units of an order handed back at a store or sent by mail to a warehouse."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class ReturnStatus(StrEnum):
    # Started: the units are on their way or about to be handed in.
    REQUESTED = "REQUESTED"
    # Checked in at the receiving location, restocked or recorded as damaged.
    RECEIVED = "RECEIVED"


class ReturnDisposition(StrEnum):
    RESTOCK = "RESTOCK"
    DAMAGED = "DAMAGED"


class Return(Base):
    __tablename__ = "order_return"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ReturnStatus] = mapped_column(
        Enum(ReturnStatus, native_enum=False, length=20), default=ReturnStatus.REQUESTED
    )
    # Where the units are handed in (a store) or sent to (a warehouse, by mail).
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"))
    by_mail: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # The key the receipt was made with: a retry with it changes nothing more.
    receive_key: Mapped[str | None] = mapped_column(String(200))
    received_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReturnLine(Base):
    __tablename__ = "order_return_line"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("restocked >= 0 AND damaged >= 0", name="received_non_negative"),
        CheckConstraint("restocked + damaged <= quantity", name="received_within_quantity"),
        UniqueConstraint("return_id", "order_line_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("order_return.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer)
    restocked: Mapped[int] = mapped_column(Integer, default=0)
    damaged: Mapped[int] = mapped_column(Integer, default=0)


class RefundMethod(StrEnum):
    # Back to the payments the order was paid with, in the order they were taken.
    ORIGINAL_PAYMENT = "ORIGINAL_PAYMENT"
    # A credit note the customer spends at a till (tender STORE_CREDIT).
    STORE_CREDIT = "STORE_CREDIT"


class Refund(Base):
    __tablename__ = "refund"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_return.id", ondelete="SET NULL"), index=True
    )
    method: Mapped[RefundMethod] = mapped_column(Enum(RefundMethod, native_enum=False, length=20))
    amount: Mapped[int] = mapped_column(Integer)
    # The part of `amount` that pays back shipping.
    shipping: Mapped[int] = mapped_column(Integer, default=0)
    currency_code: Mapped[str] = mapped_column(String(3))
    # The credit note number when refunded as store credit.
    credit_note: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(500), default="")
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefundPayment(Base):
    """The part of a refund paid back to one of the order's payments."""

    __tablename__ = "refund_payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refund.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column(Integer)
