"""Stock: channel pools, levels per (variant, location), the movement ledger and transfers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
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


class MovementKind(StrEnum):
    RECEIPT = "RECEIPT"
    ADJUSTMENT = "ADJUSTMENT"
    STOCK_COUNT = "STOCK_COUNT"
    SALE = "SALE"
    RETURN_RESTOCK = "RETURN_RESTOCK"
    TRANSFER_OUT = "TRANSFER_OUT"
    TRANSFER_IN = "TRANSFER_IN"


class TransferStatus(StrEnum):
    IN_TRANSIT = "IN_TRANSIT"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED"
    RECEIVED = "RECEIVED"


class ChannelStockPool(Base):
    """How much of the pooled stock a channel holds back from sale (its buffer)."""

    __tablename__ = "channel_stock_pool"
    __table_args__ = (CheckConstraint("buffer >= 0", name="buffer_not_negative"),)

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True
    )
    buffer: Mapped[int] = mapped_column(Integer, default=0)
    # When the pool's members or buffer last changed: every SKU's availability may have moved,
    # so delta feeds asked for changes since then answer in full.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChannelLocation(Base):
    """A location whose stock a channel may sell."""

    __tablename__ = "channel_location"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StockLevel(Base):
    """The quantities of one variant at one location. Changed only with guarded UPDATEs."""

    __tablename__ = "stock_level"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("safety_stock >= 0", name="safety_stock_not_negative"),
        CheckConstraint("incoming >= 0", name="incoming_not_negative"),
        # Units promised to orders must physically exist.
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_level_location_variant", "location_id", "variant_id"),
        Index("ix_stock_level_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    incoming: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InventoryTransfer(Base):
    __tablename__ = "inventory_transfer"
    __table_args__ = (
        CheckConstraint("from_location_id <> to_location_id", name="distinct_locations"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    from_location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    to_location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[TransferStatus] = mapped_column(
        Enum(TransferStatus, native_enum=False, length=20), default=TransferStatus.IN_TRANSIT
    )
    reference: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InventoryTransferLine(Base):
    __tablename__ = "inventory_transfer_line"
    __table_args__ = (
        UniqueConstraint("transfer_id", "variant_id"),
        CheckConstraint("quantity_sent > 0", name="quantity_sent_positive"),
        CheckConstraint(
            "quantity_received >= 0 AND quantity_received <= quantity_sent",
            name="quantity_received_within_sent",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_transfer.id", ondelete="CASCADE")
    )
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="RESTRICT"))
    quantity_sent: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)


class InventoryMovement(Base):
    """One change of on-hand. Rows are only ever inserted: the sum per level is its on-hand."""

    __tablename__ = "inventory_movement"
    __table_args__ = (
        # A stock count that confirms the books is recorded with a zero change.
        CheckConstraint("quantity <> 0 OR kind = 'STOCK_COUNT'", name="quantity_not_zero"),
        CheckConstraint("on_hand_after >= 0", name="on_hand_after_not_negative"),
        Index("ix_inventory_movement_variant_created", "variant_id", "created_at", "id"),
        Index("ix_inventory_movement_location_created", "location_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="RESTRICT"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"))
    kind: Mapped[MovementKind] = mapped_column(Enum(MovementKind, native_enum=False, length=20))
    # Signed change of on-hand; on_hand_after is the level right after this movement.
    quantity: Mapped[int] = mapped_column(Integer)
    on_hand_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # What caused it: ORDER, RETURN, TRANSFER or an outside document, with its identifier.
    reference_type: Mapped[str | None] = mapped_column(String(32))
    reference_id: Mapped[str | None] = mapped_column(String(200))
    transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventory_transfer.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
