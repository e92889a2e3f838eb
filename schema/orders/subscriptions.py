"""`orderStatusChanged`: each change of one order, pushed to its customer and to staff."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from app.auth.viewer import Viewer
from app.errors import DomainError
from app.events.broker import Message
from app.orders import reads
from app.orders.notify import TOPIC
from schema.context import Info
from schema.errors import ApiError
from schema.live import live_messages
from schema.orders.types import OrderStatusEnum
from schema.permissions import StaffOrCustomer
from schema.relay import decode_id, to_global_id


@strawberry.type
class OrderStatusChange:
    order_id: strawberry.ID
    status: OrderStatusEnum  # type: ignore[valid-type]


def _may_hear(viewer: Viewer, message: Message) -> bool:
    customer_id = message.get("customerId")
    return viewer.is_staff or (customer_id is not None and viewer.is_customer_self(customer_id))


@strawberry.type
class OrderSubscription:
    @strawberry.subscription(
        permission_classes=[StaffOrCustomer],
        description="Every status change of one order, for its customer and for staff.",
    )
    async def order_status_changed(
        self, info: Info, order_id: strawberry.ID
    ) -> AsyncGenerator[OrderStatusChange, None]:
        ctx = info.context
        try:
            pk = decode_id(order_id, "Order", "orderId")
        except DomainError as error:
            # Subscription results bypass the error-coding extension, so the code goes here.
            raise ApiError(error.message, error.code) from error
        visible = await reads.visible_orders(ctx.db, ctx.viewer, [pk], await ctx.channels())
        if pk not in visible:
            raise ApiError("No such order", "NOT_FOUND")
        async for message in live_messages(info, TOPIC, allowed=_may_hear):
            if message.get("orderId") != pk:
                continue
            yield OrderStatusChange(
                order_id=strawberry.ID(to_global_id("Order", pk)), status=message["status"]
            )
