"""Inventory and location GraphQL types. Quantities are plain attributes; the few relation
fields read data the resolver that built the object already holds."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.inventory.reads import PoolRead, TransferRead
from app.inventory.views import InventoryLevelView, MovementView, PoolTotals, StockLevelView
from app.locations.views import LocationCapability, LocationView
from app.models.inventory import MovementKind, TransferStatus
from app.models.location import LocationKind, LocationStatus
from schema.relay import Node, to_global_id

strawberry.enum(LocationKind)
strawberry.enum(LocationStatus)
strawberry.enum(LocationCapability)
strawberry.enum(MovementKind)
strawberry.enum(TransferStatus)


@strawberry.type
class Address:
    line1: str
    city: str
    region: str
    postal_code: str
    country_code: str


@strawberry.type(description="A warehouse or store that holds stock.")
class Location(Node):
    code: str
    name: str
    kind: LocationKind
    status: LocationStatus
    address: Address
    latitude: float
    longitude: float
    ships: bool
    pickup: bool
    accepts_returns: bool
    capabilities: list[LocationCapability]
    priority: int = strawberry.field(description="Lower is preferred between equals.")
    distance_km: float | None = strawberry.field(
        description="Distance from the point the list was asked around, if any."
    )
    pk: strawberry.Private[int]

    @classmethod
    def from_view(cls, view: LocationView, distance_km: float | None = None) -> Location:
        return cls(
            id=strawberry.ID(to_global_id("Location", view.id)),
            code=view.code,
            name=view.name,
            kind=view.kind,
            status=view.status,
            address=Address(
                line1=view.address_line1,
                city=view.city,
                region=view.region,
                postal_code=view.postal_code,
                country_code=view.country_code,
            ),
            latitude=view.latitude,
            longitude=view.longitude,
            ships=view.ships,
            pickup=view.pickup,
            accepts_returns=view.accepts_returns,
            capabilities=view.capabilities,
            priority=view.priority,
            distance_km=round(distance_km, 3) if distance_km is not None else None,
            pk=view.id,
        )


@strawberry.type(description="The stock of one variant at one location.")
class StockLevel:
    sku: str
    location: Location
    on_hand: int = strawberry.field(description="Units physically at the location.")
    reserved: int = strawberry.field(description="Units on hand promised to open orders.")
    safety_stock: int = strawberry.field(description="Units held back from sale.")
    incoming: int = strawberry.field(description="Units on their way in by transfer.")
    available: int = strawberry.field(
        description="Units that can still be sold: max(0, onHand - reserved - safetyStock)."
    )
    updated_at: datetime | None = strawberry.field(
        description="Last change; null when the variant never had stock here."
    )

    @classmethod
    def empty(cls, sku: str, location: LocationView) -> StockLevel:
        return cls(
            sku=sku, location=Location.from_view(location), on_hand=0, reserved=0,
            safety_stock=0, incoming=0, available=0, updated_at=None,
        )  # fmt: skip

    @classmethod
    def from_view(cls, view: StockLevelView, sku: str, location: LocationView) -> StockLevel:
        return cls(
            sku=sku,
            location=Location.from_view(location),
            on_hand=view.on_hand,
            reserved=view.reserved,
            safety_stock=view.safety_stock,
            incoming=view.incoming,
            available=view.available,
            updated_at=view.updated_at,
        )


@strawberry.type(description="A variant's stock summed over a channel's stock pool.")
class VariantInventory:
    channel: str
    available: int = strawberry.field(
        description="Sellable units on the channel: open pool locations, less its buffer."
    )
    on_hand: int
    reserved: int
    incoming: int

    @classmethod
    def from_totals(cls, channel: str, totals: PoolTotals) -> VariantInventory:
        return cls(
            channel=channel,
            available=totals.available,
            on_hand=totals.on_hand,
            reserved=totals.reserved,
            incoming=totals.incoming,
        )


@strawberry.type(description="A store where the variant can be picked up, and how many.")
class PickupAvailability:
    location: Location
    available: int
    distance_km: float


@strawberry.type(description="One change of on-hand in the ledger.")
class InventoryMovement(Node):
    sku: str
    variant_id: strawberry.ID
    location: Location
    kind: MovementKind
    quantity: int = strawberry.field(description="Signed change of on-hand.")
    on_hand_after: int
    reason: str
    actor_id: strawberry.ID | None = strawberry.field(description="The staff user, if any.")
    reference_type: str | None
    reference_id: str | None
    transfer_id: strawberry.ID | None
    created_at: datetime

    @classmethod
    def from_view(cls, view: MovementView, location: LocationView) -> InventoryMovement:
        return cls(
            id=strawberry.ID(to_global_id("InventoryMovement", view.id)),
            sku=view.sku,
            variant_id=strawberry.ID(to_global_id("ProductVariant", view.variant_id)),
            location=Location.from_view(location),
            kind=view.kind,
            quantity=view.quantity,
            on_hand_after=view.on_hand_after,
            reason=view.reason,
            actor_id=strawberry.ID(to_global_id("StaffUser", view.actor_staff_id))
            if view.actor_staff_id is not None
            else None,
            reference_type=view.reference_type,
            reference_id=view.reference_id,
            transfer_id=strawberry.ID(to_global_id("InventoryTransfer", view.transfer_id))
            if view.transfer_id is not None
            else None,
            created_at=view.created_at,
        )


@strawberry.type
class InventoryTransferLine:
    sku: str
    variant_id: strawberry.ID
    quantity_sent: int
    quantity_received: int


@strawberry.type(description="Stock moving between two locations.")
class InventoryTransfer(Node):
    from_location: Location
    to_location: Location
    status: TransferStatus
    reference: str
    lines: list[InventoryTransferLine]
    created_at: datetime
    received_at: datetime | None

    @classmethod
    def from_read(cls, read: TransferRead) -> InventoryTransfer:
        view = read.transfer
        return cls(
            id=strawberry.ID(to_global_id("InventoryTransfer", view.id)),
            from_location=Location.from_view(read.from_location),
            to_location=Location.from_view(read.to_location),
            status=view.status,
            reference=view.reference,
            lines=[
                InventoryTransferLine(
                    sku=line.sku,
                    variant_id=strawberry.ID(to_global_id("ProductVariant", line.variant_id)),
                    quantity_sent=line.quantity_sent,
                    quantity_received=line.quantity_received,
                )
                for line in view.lines
            ],
            created_at=view.created_at,
            received_at=view.received_at,
        )


@strawberry.type(description="One SKU's stock on a channel, for partner delta feeds.")
class InventoryLevel:
    sku: str
    variant_id: strawberry.ID
    available: int
    on_hand: int
    reserved: int
    updated_at: datetime

    @classmethod
    def from_view(cls, view: InventoryLevelView) -> InventoryLevel:
        return cls(
            sku=view.sku,
            variant_id=strawberry.ID(to_global_id("ProductVariant", view.variant_id)),
            available=view.available,
            on_hand=view.on_hand,
            reserved=view.reserved,
            updated_at=view.updated_at,
        )


@strawberry.type(description="The quantities of a stock level right after a committed change.")
class InventoryChange:
    sku: str
    variant_id: strawberry.ID
    location_id: strawberry.ID
    location_code: str
    on_hand: int
    reserved: int
    safety_stock: int
    incoming: int
    available: int
    updated_at: datetime


@strawberry.type(description="The locations a channel sells from, and what it holds back.")
class StockPool:
    channel: str
    buffer: int = strawberry.field(description="Units per SKU held back from the channel.")
    locations: list[Location]

    @classmethod
    def from_read(cls, read: PoolRead) -> StockPool:
        return cls(
            channel=read.channel.code,
            buffer=read.pool.buffer,
            locations=[Location.from_view(m) for m in read.locations],
        )
