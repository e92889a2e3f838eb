from __future__ import annotations

import strawberry

from app.inventory.rules import StockLine
from app.locations.views import GeoPoint, LocationCapability
from app.models.location import LocationKind, LocationStatus


@strawberry.input(description="A point on Earth, in decimal degrees (WGS 84).")
class GeoPointInput:
    latitude: float
    longitude: float

    def to_domain(self) -> GeoPoint:
        return GeoPoint(self.latitude, self.longitude)


@strawberry.input
class NearInput:
    latitude: float
    longitude: float
    radius_km: float | None = strawberry.field(
        default=None, description="Only locations within this distance."
    )


@strawberry.input
class LocationFilter:
    kind: list[LocationKind] | None = None
    capability: list[LocationCapability] | None = strawberry.field(
        default=None, description="Locations with every one of these capabilities."
    )
    status: list[LocationStatus] | None = None
    near: NearInput | None = strawberry.field(
        default=None, description="Sort by distance from this point (and bound it)."
    )


@strawberry.input
class StockLineInput:
    sku: str
    quantity: int

    def to_domain(self) -> StockLine:
        return StockLine(self.sku.strip(), self.quantity)


@strawberry.input
class InventoryReceiveInput:
    location_id: strawberry.ID
    lines: list[StockLineInput]
    reference: str | None = strawberry.field(
        default=None, description="The supplier's delivery note or purchase order."
    )
    reason: str | None = None


@strawberry.input(
    description="Either `delta` with a `reason`, or `quantity` counted in a stock take."
)
class InventoryAdjustInput:
    location_id: strawberry.ID
    sku: str
    delta: int | None = strawberry.field(
        default=None, description="Signed change of on-hand (damage, theft, found units)."
    )
    quantity: int | None = strawberry.field(
        default=None, description="On-hand counted in a stock take; replaces the books."
    )
    expected_quantity: int | None = strawberry.field(
        default=None,
        description="The on-hand seen when the count began; a count is refused when stock "
        "moved since.",
    )
    reason: str | None = None


@strawberry.input
class InventoryTransferCreateInput:
    from_location_id: strawberry.ID
    to_location_id: strawberry.ID
    lines: list[StockLineInput]
    reference: str | None = None


@strawberry.input
class InventoryTransferReceiveInput:
    transfer_id: strawberry.ID
    lines: list[StockLineInput] | None = strawberry.field(
        default=None, description="What arrived; omit to receive everything still due."
    )


@strawberry.input
class InventorySafetyStockSetInput:
    location_id: strawberry.ID
    sku: str
    quantity: int
