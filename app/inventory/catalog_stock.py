"""Stock as the catalog shows it: a variant's availability fields, pickup stores near a
point, and the product list's in-stock condition.

The catalog's read path calls these explicitly for the variants it loads, a whole batch at a
time: one statement for the levels, the locations and pools coming from reference data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from app.database import Database
from app.errors import Invalid
from app.inventory import pool_repository, repository
from app.inventory.views import PoolTotals, StockLevelView, VariantStock, pool_totals
from app.locations.service import check_point, check_radius, distance_km
from app.locations.views import GeoPoint, LocationView
from app.models.location import LocationKind
from app.reference.cache import ReferenceCache

MAX_PICKUP_RESULTS = 50


@dataclass(frozen=True, slots=True)
class PickupOption:
    location: LocationView
    available: int
    distance_km: float


async def stock_of_variants(
    db: Database, reference: ReferenceCache, variant_ids: Sequence[int]
) -> dict[int, VariantStock]:
    """Everything the stock fields of these variants need, in one statement for the levels."""
    if not variant_ids:
        return {}
    levels = await repository.levels_of_variants(db, variant_ids)
    locations = await reference.locations()
    pools = await reference.pools()
    return {v: VariantStock(levels.get(v, {}), locations, pools) for v in variant_ids}


def channel_totals(stock: VariantStock, channel_id: int) -> PoolTotals:
    """The variant's stock over the channel's pool; a channel without a pool sells nothing."""
    pool = stock.pools.get(channel_id)
    if pool is None:
        return PoolTotals(0, 0, 0, 0)
    return pool_totals(stock.levels, pool, stock.locations)


def level_at(
    stock: VariantStock, location_id: int
) -> tuple[LocationView, StockLevelView | None] | None:
    """The location and the variant's level there (None when it never had stock there);
    None for an unknown location."""
    location = stock.locations.get(location_id)
    if location is None:
        return None
    return location, stock.levels.get(location.id)


def pickup_options(
    stock: VariantStock, near: GeoPoint, radius_km: float, first: int, in_stock_only: bool
) -> list[PickupOption]:
    """Open pickup stores within the radius, nearest first, with what each has available."""
    check_point(near)
    check_radius(radius_km)
    if not 0 <= first <= MAX_PICKUP_RESULTS:
        raise Invalid(f"first must be between 0 and {MAX_PICKUP_RESULTS}",
                      code="INVALID_PAGINATION", field="first")  # fmt: skip
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
        PickupOption(location, available, round(distance, 3))
        for distance, _, location, available in found[:first]
    ]


async def in_stock_condition(
    reference: ReferenceCache, channel_id: int, in_stock: bool, product_id: ColumnElement[Any]
) -> ColumnElement[bool]:
    """A condition on products: some variant is (or, with False, none is) available in the
    channel's pool."""
    condition = pool_repository.product_in_stock(await reference.pool_of(channel_id), product_id)
    return condition if in_stock else ~condition
