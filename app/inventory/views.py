"""Read models of stock, light enough to build by the thousand per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.locations.views import LocationView
from app.models.inventory import MovementKind, TransferStatus


def available(on_hand: int, reserved: int, safety_stock: int) -> int:
    """What can still be promised: on hand, less what is promised and what is held back."""
    return max(0, on_hand - reserved - safety_stock)


@dataclass(frozen=True, slots=True)
class StockLevelView:
    variant_id: int
    location_id: int
    on_hand: int
    reserved: int
    safety_stock: int
    incoming: int
    updated_at: datetime

    @property
    def available(self) -> int:
        return available(self.on_hand, self.reserved, self.safety_stock)


@dataclass(frozen=True, slots=True)
class StockChange:
    """A level right after a committed change, as pushed to subscribers."""

    sku: str
    level: StockLevelView
    location_code: str

    def to_message(self) -> dict[str, object]:
        level = self.level
        return {
            "sku": self.sku,
            "variant_id": level.variant_id,
            "location_id": level.location_id,
            "location_code": self.location_code,
            "on_hand": level.on_hand,
            "reserved": level.reserved,
            "safety_stock": level.safety_stock,
            "incoming": level.incoming,
            "updated_at": level.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ChannelPool:
    """The locations a channel sells from and the units it holds back from sale."""

    channel_id: int
    location_ids: frozenset[int]
    buffer: int = 0


@dataclass(frozen=True, slots=True)
class PoolTotals:
    on_hand: int
    reserved: int
    incoming: int
    available: int


def pool_totals(
    levels: dict[int, StockLevelView], pool: ChannelPool, locations: dict[int, LocationView]
) -> PoolTotals:
    """A variant's stock summed over a channel's pool.

    Each location's availability is floored at zero before summing, so one location whose
    reservations exceed its sellable stock cannot hide another's units. Only open locations
    can sell; the buffer comes off the total.
    """
    on_hand = reserved = incoming = sellable = 0
    for location_id in pool.location_ids:
        level = levels.get(location_id)
        if level is None:
            continue
        on_hand += level.on_hand
        reserved += level.reserved
        incoming += level.incoming
        location = locations.get(location_id)
        if location is not None and location.is_open:
            sellable += level.available
    return PoolTotals(on_hand, reserved, incoming, max(0, sellable - pool.buffer))


@dataclass(frozen=True, slots=True)
class VariantStock:
    """Everything the stock fields of one variant need, prefetched for a whole batch."""

    levels: dict[int, StockLevelView]
    locations: dict[int, LocationView]
    pools: dict[int, ChannelPool]


@dataclass(frozen=True, slots=True)
class MovementView:
    id: int
    variant_id: int
    sku: str
    location_id: int
    kind: MovementKind
    quantity: int
    on_hand_after: int
    reason: str
    actor_staff_id: int | None
    reference_type: str | None
    reference_id: str | None
    transfer_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TransferLineView:
    variant_id: int
    sku: str
    quantity_sent: int
    quantity_received: int


@dataclass(frozen=True, slots=True)
class TransferView:
    id: int
    from_location_id: int
    to_location_id: int
    status: TransferStatus
    reference: str
    created_by_id: int | None
    created_at: datetime
    received_at: datetime | None
    lines: list[TransferLineView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InventoryLevelView:
    """One SKU's availability on a channel, for partner feeds."""

    variant_id: int
    sku: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LedgerDrift:
    variant_id: int
    location_id: int
    on_hand: int
    ledger_sum: int
