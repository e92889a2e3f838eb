from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from app.auth.scopes import INVENTORY_READ
from app.inventory import reads
from app.kit.pagination import PageRequest
from app.locations.views import GeoPoint
from app.locations.views import LocationFilter as LocationQuery
from schema.context import Info
from schema.inventory.inputs import LocationFilter
from schema.inventory.types import (
    InventoryLevel,
    InventoryMovement,
    InventoryTransfer,
    Location,
    StockPool,
)
from schema.permissions import IsStaff, Public, StaffOrPartnerScope
from schema.relay import Connection, decode_id, register_node


def _location_query(filter: LocationFilter | None) -> LocationQuery:
    if filter is None:
        return LocationQuery()
    near = filter.near
    return LocationQuery(
        kinds=tuple(filter.kind or ()),
        capabilities=tuple(filter.capability or ()),
        statuses=tuple(filter.status or ()),
        near=GeoPoint(near.latitude, near.longitude) if near else None,
        radius_km=near.radius_km if near else None,
    )


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
        ctx = info.context
        page = await reads.location_page(
            await ctx.reference(), _location_query(filter), PageRequest(first=first, after=after),
            default_size=ctx.settings.page_size_default, max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        return Connection[Location].from_page(
            page, [Location.from_view(m.location, m.distance_km) for m in page.items]
        )

    @strawberry.field(
        permission_classes=[IsStaff], description="The locations a channel sells from."
    )
    async def stock_pool(self, info: Info, channel: str) -> StockPool:
        ctx = info.context
        chosen = await ctx.channel(channel)
        return StockPool.from_read(
            await reads.stock_pool(await ctx.reference(), ctx.viewer, chosen)
        )

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
        page = await reads.movement_page(
            ctx.db, await ctx.reference(), ctx.viewer,
            variant_id=decode_id(variant_id, "ProductVariant", "variantId") if variant_id else None,
            sku=sku,
            location_id=decode_id(location_id, "Location", "locationId") if location_id else None,
            page=PageRequest(first, after, last, before),
            default_size=ctx.settings.page_size_default, max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        nodes = [InventoryMovement.from_view(m.movement, m.location) for m in page.items]
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
        page = await reads.inventory_level_page(
            ctx.db, await ctx.reference(), ctx.viewer, chosen, updated_since=updated_since,
            page=PageRequest(first=first, after=after),
            default_size=ctx.settings.page_size_default, max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        return Connection[InventoryLevel].from_page(
            page, [InventoryLevel.from_view(v) for v in page.items]
        )


async def _location_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await reads.locations_by_ids(await info.context.reference(), ids)
    return {i: Location.from_view(v) for i, v in found.items()}


async def _transfer_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    ctx = info.context
    found = await reads.transfers_by_ids(ctx.db, await ctx.reference(), ctx.viewer, ids)
    return {i: InventoryTransfer.from_read(t) for i, t in found.items()}


async def _movement_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    ctx = info.context
    found = await reads.movements_by_ids(ctx.db, await ctx.reference(), ctx.viewer, ids)
    return {i: InventoryMovement.from_view(m.movement, m.location) for i, m in found.items()}


register_node("Location", _location_nodes)
register_node("InventoryTransfer", _transfer_nodes)
register_node("InventoryMovement", _movement_nodes)
