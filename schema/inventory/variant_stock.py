"""The stock fields of `ProductVariant`: plain functions over the stock the catalog read
fetched for the whole batch of variants, mapped to GraphQL objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.inventory import catalog_stock
from app.inventory.views import VariantStock
from app.locations.views import GeoPoint
from schema.inventory.types import Location, PickupAvailability, StockLevel, VariantInventory
from schema.relay import decode_id

if TYPE_CHECKING:
    from typing import Protocol

    class StockedVariant(Protocol):
        sku: str
        stock: VariantStock | None
        channels: ChannelDirectory
        default_channel: ChannelView


def _stock(variant: StockedVariant) -> VariantStock:
    if variant.stock is None:  # pragma: no cover - fetched whenever a stock field is selected
        raise LookupError("variant built without its stock")
    return variant.stock


def inventory(variant: StockedVariant, channel: str | None) -> VariantInventory:
    stock = _stock(variant)
    chosen = variant.channels.by_code(channel) if channel else variant.default_channel
    return VariantInventory.from_totals(chosen.code, catalog_stock.channel_totals(stock, chosen.id))


def stock_at(variant: StockedVariant, location_id: str) -> StockLevel | None:
    found = catalog_stock.level_at(
        _stock(variant), decode_id(location_id, "Location", field="locationId")
    )
    if found is None:
        return None
    location, level = found
    if level is None:
        return StockLevel.empty(variant.sku, location)
    return StockLevel.from_view(level, variant.sku, location)


def pickup_availability(
    variant: StockedVariant, near: GeoPoint, radius_km: float, first: int, in_stock_only: bool
) -> list[PickupAvailability]:
    options = catalog_stock.pickup_options(_stock(variant), near, radius_km, first, in_stock_only)
    return [
        PickupAvailability(
            location=Location.from_view(o.location, o.distance_km),
            available=o.available,
            distance_km=o.distance_km,
        )
        for o in options
    ]
