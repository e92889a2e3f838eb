from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from app.auth.scopes import INVENTORY_READ
from app.catalog import repository as catalog_repository
from app.catalog.views import ProductQuery
from app.channels.views import ChannelView
from app.errors import Invalid
from app.inventory import pool_repository, repository, transfer_repository
from app.inventory.views import ChannelPool
from app.kit.pagination import Page, PageRequest, decode_cursor, encode_cursor
from app.locations.service import find_locations
from app.locations.views import GeoPoint
from app.locations.views import LocationFilter as LocationQuery
from app.models.catalog import Product as ProductModel
from app.models.location import LocationStatus
from schema.catalog.inputs import ProductFilter
from schema.catalog.loading import register_variant_prefetch
from schema.catalog.queries import PRODUCT_FILTER_EXTENSIONS
from schema.context import Info
from schema.inventory.context import locations, pools
from schema.inventory.inputs import LocationFilter
from schema.inventory.types import (
    InventoryLevel,
    InventoryMovement,
    InventoryTransfer,
    Location,
    StockPool,
)
from schema.inventory.variant_stock import prefetch_stock
from schema.permissions import IsStaff, Public, StaffOrPartnerScope
from schema.relay import Connection, decode_id, register_node

_LISTED_BY_DEFAULT = (LocationStatus.OPEN, LocationStatus.TEMPORARILY_CLOSED)


def _location_query(filter: LocationFilter | None) -> LocationQuery:
    if filter is None:
        return LocationQuery(statuses=_LISTED_BY_DEFAULT)
    near = filter.near
    return LocationQuery(
        kinds=tuple(filter.kind or ()),
        capabilities=tuple(filter.capability or ()),
        # Locations closed for good stay listed only when asked for by status.
        statuses=tuple(filter.status) if filter.status else _LISTED_BY_DEFAULT,
        near=GeoPoint(near.latitude, near.longitude) if near else None,
        radius_km=near.radius_km if near else None,
    )


async def _location_page(
    info: Info, filter: LocationFilter | None, page: PageRequest
) -> tuple[Page[Any], list[Location]]:
    """Locations are few, so they are matched and sorted in memory; the cursor is a position."""
    ctx = info.context
    matches = find_locations((await locations(ctx)).values(), _location_query(filter))
    if page.last is not None or page.before is not None:
        raise Invalid("Locations page forward only; use first and after",
                      code="INVALID_PAGINATION", field="last")  # fmt: skip
    size, _ = page.resolve(ctx.settings.page_size_default, ctx.settings.page_size_max)
    start = 0
    if page.after is not None:
        (position,) = decode_cursor(page.after, 1, "after")
        if not isinstance(position, int) or position < 0:
            raise Invalid("The cursor is not valid", code="INVALID_CURSOR", field="after")
        start = position + 1
    chosen = matches[start : start + size]
    total = len(matches)

    async def count() -> int:
        return total

    result: Page[Any] = Page(
        items=chosen,
        cursors=[encode_cursor([start + i]) for i in range(len(chosen))],
        has_next_page=start + size < total,
        has_previous_page=start > 0,
        count=count,
    )
    return result, [Location.from_view(m.location, m.distance_km) for m in chosen]


@strawberry.type
class InventoryQuery:
    @strawberry.field(
        permission_classes=[Public],
        description="Warehouses and stores; nearest first when `filter.near` is given.",
    )
    async def locations(
        self,
        info: Info,
        filter: LocationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Location]:
        page, nodes = await _location_page(info, filter, PageRequest(first=first, after=after))
        return Connection[Location].from_page(page, nodes)

    @strawberry.field(
        permission_classes=[IsStaff], description="The locations a channel sells from."
    )
    async def stock_pool(self, info: Info, channel: str) -> StockPool:
        chosen = await info.context.channel(channel)
        pool = (await pools(info.context)).get(chosen.id) or ChannelPool(chosen.id, frozenset())
        return StockPool.from_pool(chosen.code, pool, await locations(info.context))

    @strawberry.field(
        permission_classes=[IsStaff],
        description="The stock ledger, newest first, for a variant, a location or both.",
    )
    async def inventory_movements(
        self,
        info: Info,
        variant_id: strawberry.ID | None = None,
        sku: str | None = None,
        location_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[InventoryMovement]:
        ctx = info.context
        variant_pk = decode_id(variant_id, "ProductVariant", "variantId") if variant_id else None
        if sku is not None:
            found = await catalog_repository.variants_by_skus(ctx.db, [sku])
            if sku not in found:
                raise Invalid(f"No variant with SKU '{sku}'", code="UNKNOWN_SKU", field="sku")
            if variant_pk is not None and variant_pk != found[sku].id:
                raise Invalid("variantId and sku name different variants",
                              code="INVALID_ARGUMENTS", field="sku")  # fmt: skip
            variant_pk = found[sku].id
        location_pk = decode_id(location_id, "Location", "locationId") if location_id else None
        if variant_pk is None and location_pk is None:
            raise Invalid("Name a variant (variantId or sku), a location, or both",
                          code="INVALID_ARGUMENTS", field="variantId")  # fmt: skip
        page = await repository.movement_page(
            ctx.db, PageRequest(first, after, last, before), variant_id=variant_pk,
            location_id=location_pk, default_size=ctx.settings.page_size_default,
            max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        all_locations = await locations(ctx)
        nodes = [InventoryMovement.from_view(m, all_locations[m.location_id]) for m in page.items]
        return Connection[InventoryMovement].from_page(page, nodes)

    @strawberry.field(
        permission_classes=[StaffOrPartnerScope(INVENTORY_READ)],
        description="Stock per SKU on a channel, for partner sync: every SKU the channel "
        "sells, or with `updatedSince` only those changed since then.",
    )
    async def inventory_levels(
        self,
        info: Info,
        channel: str,
        updated_since: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[InventoryLevel]:
        ctx = info.context
        chosen = await ctx.channel(channel)
        if updated_since is not None and updated_since.tzinfo is None:
            raise Invalid("updatedSince needs a time zone (use UTC, ending in Z)",
                          code="INVALID_DATETIME", field="updatedSince")  # fmt: skip
        pool = (await pools(ctx)).get(chosen.id) or ChannelPool(chosen.id, frozenset())
        page = await pool_repository.inventory_level_page(
            ctx.db, PageRequest(first=first, after=after), pool, updated_since=updated_since,
            default_size=ctx.settings.page_size_default, max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        return Connection[InventoryLevel].from_page(
            page, [InventoryLevel.from_view(v) for v in page.items]
        )


async def _in_stock_filter(
    info: Info, filter: ProductFilter, query: ProductQuery, channel: ChannelView
) -> None:
    if filter.in_stock is None:
        return
    pool = (await pools(info.context)).get(channel.id) or ChannelPool(channel.id, frozenset())
    condition = pool_repository.product_in_stock(pool, ProductModel.__table__.c.id)
    query.conditions.append(condition if filter.in_stock else ~condition)


async def _location_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await locations(info.context)
    return {i: Location.from_view(found[i]) for i in ids if i in found}


async def _transfer_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    if not info.context.viewer.is_staff:
        return {}
    transfers = await transfer_repository.transfers_by_ids(info.context.db, ids)
    found = await locations(info.context)
    return {i: InventoryTransfer.from_view(t, found) for i, t in transfers.items()}


async def _movement_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    if not info.context.viewer.is_staff:
        return {}
    movements = await repository.movements_by_ids(info.context.db, ids)
    found = await locations(info.context)
    return {i: InventoryMovement.from_view(m, found[m.location_id]) for i, m in movements.items()}


register_variant_prefetch(prefetch_stock)
PRODUCT_FILTER_EXTENSIONS.append(_in_stock_filter)
register_node("Location", _location_nodes)
register_node("InventoryTransfer", _transfer_nodes)
register_node("InventoryMovement", _movement_nodes)
