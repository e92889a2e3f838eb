"""The stock fields of `ProductVariant`, filled for a whole batch of variants at once.

The prefetch loads every stock level of the batch in one statement (plus the locations and
pools, once per request); the field resolvers are plain functions over that data, so a page of
50 products costs the same statements as a page of 5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.channels.views import ChannelView
from app.errors import Invalid
from app.inventory import repository
from app.inventory.views import ChannelPool, VariantStock, pool_totals
from app.locations.service import check_point, check_radius, distance_km
from app.locations.views import GeoPoint
from app.models.location import LocationKind
from schema.context import Info
from schema.inventory.context import locations, pools
from schema.inventory.types import Location, PickupAvailability, StockLevel, VariantInventory
from schema.relay import decode_id
from schema.selection import Tree

if TYPE_CHECKING:
    from schema.catalog.types import ProductVariant

STOCK_FIELDS = frozenset({"inventory", "stockAt", "pickupAvailability"})
MAX_PICKUP_RESULTS = 50


async def prefetch_stock(
    info: Info, variants: list[ProductVariant], tree: Tree, channel: ChannelView
) -> None:
    if not variants or not STOCK_FIELDS & tree.keys():
        return
    ctx = info.context
    levels = await repository.levels_of_variants(ctx.db, [v.pk for v in variants])
    all_locations = await locations(ctx)
    all_pools = await pools(ctx)
    for variant in variants:
        variant.stock = VariantStock(levels.get(variant.pk, {}), all_locations, all_pools)


def _stock(variant: ProductVariant) -> VariantStock:
    if variant.stock is None:  # pragma: no cover - the prefetch runs whenever one is selected
        raise LookupError("variant built without its stock")
    return variant.stock


def inventory(variant: ProductVariant, channel: str | None) -> VariantInventory:
    stock = _stock(variant)
    chosen = variant.channels.by_code(channel) if channel else variant.default_channel
    pool = stock.pools.get(chosen.id) or ChannelPool(chosen.id, frozenset())
    return VariantInventory.from_totals(
        chosen.code, pool_totals(stock.levels, pool, stock.locations)
    )


def stock_at(variant: ProductVariant, location_id: str) -> StockLevel | None:
    stock = _stock(variant)
    location = stock.locations.get(decode_id(location_id, "Location", field="locationId"))
    if location is None:
        return None
    level = stock.levels.get(location.id)
    if level is None:
        return StockLevel.empty(variant.sku, location)
    return StockLevel.from_view(level, variant.sku, location)


def pickup_availability(
    variant: ProductVariant, near: GeoPoint, radius_km: float, first: int, in_stock_only: bool
) -> list[PickupAvailability]:
    """Open pickup stores within the radius, nearest first, with what each has available."""
    check_point(near)
    check_radius(radius_km)
    if not 0 <= first <= MAX_PICKUP_RESULTS:
        raise Invalid(f"first must be between 0 and {MAX_PICKUP_RESULTS}",
                      code="INVALID_PAGINATION", field="first")  # fmt: skip
    stock = _stock(variant)
    found = []
    for location in stock.locations.values():
        if location.kind is not LocationKind.STORE or not location.pickup or not location.is_open:
            continue
        distance = distance_km(near, location)
        if distance > radius_km:
            continue
        level = stock.levels.get(location.id)
        available = level.available if level is not None else 0
        if in_stock_only and available == 0:
            continue
        found.append((distance, location.priority, location, available))
    found.sort(key=lambda f: (f[0], f[1], f[2].id))
    return [
        PickupAvailability(
            location=Location.from_view(location, distance),
            available=available,
            distance_km=round(distance, 3),
        )
        for distance, _, location, available in found[:first]
    ]
