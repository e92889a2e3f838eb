"""Order queries: one order, staff's order list, and a customer's orders. Visibility is
decided by `app.orders.reads`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from app.auth.viewer import Viewer
from app.kit.pagination import PageRequest
from app.orders import reads
from schema.context import Info
from schema.orders.types import Order, OrderStatusEnum, build_order
from schema.permissions import IsStaff, StaffOrCustomer
from schema.relay import Connection, decode_id, register_node


@strawberry.input
class OrderFilter:
    channel: str | None = strawberry.field(default=None, description="A channel code.")
    status: OrderStatusEnum | None = None  # type: ignore[valid-type]
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Orders with a fulfilment at this Location."
    )
    customer_id: strawberry.ID | None = None
    placed_after: datetime | None = None
    search: str | None = strawberry.field(
        default=None, description="An order number, email, phone, loyalty card or pickup code."
    )

    def to_domain(self) -> reads.OrderFilter:
        return reads.OrderFilter(
            channel=self.channel,
            status=self.status,
            location_id=decode_id(self.location_id, "Location", "filter.locationId")
            if self.location_id
            else None,
            customer_id=decode_id(self.customer_id, "Customer", "filter.customerId")
            if self.customer_id
            else None,
            placed_after=self.placed_after,
            search=self.search if self.search and self.search.strip() else None,
        )


async def orders_connection(
    info: Info,
    viewer: Viewer,
    filter: reads.OrderFilter,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Order]:
    ctx = info.context
    page = await reads.orders_page(
        ctx.db,
        viewer,
        await ctx.channels(),
        filter,
        PageRequest(first, after, last, before),
        default_region=ctx.settings.phone_default_region,
        default_size=ctx.settings.page_size_default,
        max_size=ctx.settings.page_size_max,
    )
    return Connection[Order].from_page(
        page, [build_order(r, for_staff=viewer.is_staff) for r in page.items]
    )


async def customer_orders(
    info: Info,
    customer_id: int,
    viewer: Viewer,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Order]:
    """`customer.orders` / `me.orders`: every channel's orders of that customer."""
    return await orders_connection(
        info, viewer, reads.OrderFilter(customer_id=customer_id), first, after, last, before
    )


@strawberry.type
class OrderQuery:
    @strawberry.field(
        permission_classes=[StaffOrCustomer],
        description="One order: for the customer who placed it and for staff.",
    )
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        ctx = info.context
        pk = decode_id(id, "Order")
        found = await reads.visible_orders(ctx.db, ctx.viewer, [pk], await ctx.channels())
        return build_order(found[pk], for_staff=ctx.viewer.is_staff) if pk in found else None

    @strawberry.field(
        permission_classes=[IsStaff],
        description="Orders of every channel, newest first. A store associate sees those with "
        "a fulfilment at their store.",
    )
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Order]:
        wanted = filter.to_domain() if filter else reads.OrderFilter()
        return await orders_connection(
            info, info.context.viewer, wanted, first, after, last, before
        )


async def _order_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    ctx = info.context
    found = await reads.visible_orders(ctx.db, ctx.viewer, ids, await ctx.channels())
    return {
        pk: build_order(read, for_staff=info.context.viewer.is_staff) for pk, read in found.items()
    }


register_node("Order", _order_nodes)
