"""Staff stock mutations: thin wrappers that decode IDs, call the service and map the result."""

from __future__ import annotations

import strawberry

from app.channels.views import ChannelView
from app.database import UnitOfWork
from app.errors import Invalid
from app.inventory import reads, service, transfers
from app.inventory.views import StockLevelView
from app.locations.views import LocationView
from schema.context import Context, Info
from schema.errors import UserError
from schema.inventory.context import broker
from schema.inventory.inputs import (
    InventoryAdjustInput,
    InventoryReceiveInput,
    InventorySafetyStockSetInput,
    InventoryTransferCreateInput,
    InventoryTransferReceiveInput,
)
from schema.inventory.types import InventoryTransfer, StockLevel, StockPool
from schema.mutation import perform
from schema.permissions import CatalogManager, IsStaff
from schema.relay import decode_id


@strawberry.type
class InventoryReceivePayload:
    stock_levels: list[StockLevel]
    user_errors: list[UserError]


@strawberry.type
class InventoryAdjustPayload:
    stock_level: StockLevel | None
    user_errors: list[UserError]


@strawberry.type
class InventorySafetyStockSetPayload:
    stock_level: StockLevel | None
    user_errors: list[UserError]


@strawberry.type
class InventoryTransferCreatePayload:
    transfer: InventoryTransfer | None
    user_errors: list[UserError]


@strawberry.type
class InventoryTransferReceivePayload:
    transfer: InventoryTransfer | None
    user_errors: list[UserError]


def _levels(
    found: dict[int, LocationView], skus: dict[int, str], views: list[StockLevelView]
) -> list[StockLevel]:
    return [StockLevel.from_view(v, skus[v.variant_id], found[v.location_id]) for v in views]


async def _transfer(info: Info, transfer_id: int | None) -> InventoryTransfer | None:
    if transfer_id is None:
        return None
    ctx = info.context
    found = await reads.transfers_by_ids(ctx.db, await ctx.reference(), ctx.viewer, [transfer_id])
    return InventoryTransfer.from_read(found[transfer_id])


async def locations(ctx: Context) -> dict[int, LocationView]:
    return await reads.all_locations(await ctx.reference())


@strawberry.type
class ChannelStockPoolSetPayload:
    stock_pool: StockPool | None
    user_errors: list[UserError]


@strawberry.type
class InventoryMutation:
    @strawberry.mutation(
        permission_classes=[CatalogManager],
        description="Set the locations a channel sells from and the units it holds back.",
    )
    async def channel_stock_pool_set(
        self, info: Info, channel: str, location_ids: list[strawberry.ID], buffer: int = 0
    ) -> ChannelStockPoolSetPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> ChannelView:
            chosen = await ctx.channel(channel)
            pks = [decode_id(i, "Location", f"locationIds.{n}") for n, i in enumerate(location_ids)]
            await service.set_channel_pool(uow, chosen.id, pks, buffer, ctx.broker())
            return chosen

        chosen, errors = await perform(info, action)
        if chosen is None:
            return ChannelStockPoolSetPayload(stock_pool=None, user_errors=errors)
        pool = await reads.stock_pool(await ctx.reference(), ctx.viewer, chosen)
        return ChannelStockPoolSetPayload(stock_pool=StockPool.from_read(pool), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsStaff], description="Book a delivery in at a location."
    )
    async def inventory_receive(
        self, info: Info, input: InventoryReceiveInput
    ) -> InventoryReceivePayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> list[StockLevelView]:
            return await service.receive(
                uow, ctx.viewer, broker(ctx),
                location_id=decode_id(input.location_id, "Location", "locationId"),
                lines=[line.to_domain() for line in input.lines],
                reference=input.reference, reason=input.reason,
            )  # fmt: skip

        views, errors = await perform(info, action)
        if views is None:
            return InventoryReceivePayload(stock_levels=[], user_errors=errors)
        skus = {v.variant_id: line.sku.strip() for v, line in zip(views, input.lines, strict=True)}
        found = await locations(ctx)
        return InventoryReceivePayload(stock_levels=_levels(found, skus, views), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Change on-hand by a delta with a reason, or set it from a stock count.",
    )
    async def inventory_adjust(
        self, info: Info, input: InventoryAdjustInput
    ) -> InventoryAdjustPayload:
        ctx = info.context
        sku = input.sku.strip()

        async def action(uow: UnitOfWork) -> StockLevelView:
            location_id = decode_id(input.location_id, "Location", "locationId")
            if (input.delta is None) == (input.quantity is None):
                raise Invalid("Give either delta or quantity", code="INVALID_ARGUMENTS",
                              field="delta")  # fmt: skip
            if input.delta is not None:
                if input.expected_quantity is not None:
                    raise Invalid("expectedQuantity goes with a counted quantity",
                                  code="INVALID_ARGUMENTS", field="expectedQuantity")  # fmt: skip
                return await service.adjust(
                    uow, ctx.viewer, broker(ctx), location_id=location_id, sku=sku,
                    delta=input.delta, reason=input.reason or "",
                )  # fmt: skip
            return await service.count(
                uow, ctx.viewer, broker(ctx), location_id=location_id, sku=sku,
                quantity=input.quantity or 0, expected_quantity=input.expected_quantity,
                reason=input.reason,
            )  # fmt: skip

        view, errors = await perform(info, action)
        if view is None:
            return InventoryAdjustPayload(stock_level=None, user_errors=errors)
        found = await locations(ctx)
        level = StockLevel.from_view(view, sku, found[view.location_id])
        return InventoryAdjustPayload(stock_level=level, user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Hold units back from sale at a location (display pieces, say).",
    )
    async def inventory_safety_stock_set(
        self, info: Info, input: InventorySafetyStockSetInput
    ) -> InventorySafetyStockSetPayload:
        ctx = info.context
        sku = input.sku.strip()

        async def action(uow: UnitOfWork) -> StockLevelView:
            return await service.set_safety_stock(
                uow, ctx.viewer, broker(ctx),
                location_id=decode_id(input.location_id, "Location", "locationId"),
                sku=sku, quantity=input.quantity,
            )  # fmt: skip

        view, errors = await perform(info, action)
        if view is None:
            return InventorySafetyStockSetPayload(stock_level=None, user_errors=errors)
        found = await locations(ctx)
        level = StockLevel.from_view(view, sku, found[view.location_id])
        return InventorySafetyStockSetPayload(stock_level=level, user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Ship units to another location: out of on-hand here, into incoming there.",
    )
    async def inventory_transfer_create(
        self, info: Info, input: InventoryTransferCreateInput
    ) -> InventoryTransferCreatePayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            return await transfers.create_transfer(
                uow, ctx.viewer, broker(ctx),
                from_location_id=decode_id(input.from_location_id, "Location", "fromLocationId"),
                to_location_id=decode_id(input.to_location_id, "Location", "toLocationId"),
                lines=[line.to_domain() for line in input.lines], reference=input.reference,
            )  # fmt: skip

        transfer_id, errors = await perform(info, action)
        transfer = await _transfer(info, transfer_id)
        return InventoryTransferCreatePayload(transfer=transfer, user_errors=errors)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Book units of a transfer in at its destination.",
    )
    async def inventory_transfer_receive(
        self, info: Info, input: InventoryTransferReceiveInput
    ) -> InventoryTransferReceivePayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            return await transfers.receive_transfer(
                uow, ctx.viewer, broker(ctx),
                transfer_id=decode_id(input.transfer_id, "InventoryTransfer", "transferId"),
                lines=None if input.lines is None else [ln.to_domain() for ln in input.lines],
            )  # fmt: skip

        transfer_id, errors = await perform(info, action)
        transfer = await _transfer(info, transfer_id)
        return InventoryTransferReceivePayload(transfer=transfer, user_errors=errors)
