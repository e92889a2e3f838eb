"""Fulfilment and cancellation mutations: staff move fulfilments through the state machine;
a customer (or staff) cancels an order nothing of which has left."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from app.database import UnitOfWork
from app.orders import fulfilment
from app.payments.gateway import gateway_for
from schema.context import Info
from schema.mutation import perform
from schema.orders.mutations import OrderPayload, payload
from schema.permissions import IsAuthenticated, IsStaff
from schema.relay import decode_id


async def _run(info: Info, action: Callable[[UnitOfWork], Awaitable[int]]) -> OrderPayload:
    found, errors = await perform(info, action)
    return await payload(info, found, errors)


@strawberry.type
class FulfillmentMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="A pickup's units are set aside at the store: it gets a pickup code and the "
        "customer is told.",
    )
    async def fulfillment_mark_ready_for_pickup(
        self, info: Info, fulfillment_id: strawberry.ID
    ) -> OrderPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(fulfillment_id, "Fulfillment", "fulfillmentId")
            return await fulfilment.mark_ready(uow, ctx.broker(), ctx.viewer, pk)

        return await _run(info, action)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Hand a ready pickup over, on its pickup code or the identity of the "
        "customer who placed it (found by phone, email or loyalty card).",
    )
    async def fulfillment_confirm_pickup(
        self,
        info: Info,
        fulfillment_id: strawberry.ID,
        pickup_code: str | None = None,
        customer_id: strawberry.ID | None = None,
    ) -> OrderPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(fulfillment_id, "Fulfillment", "fulfillmentId")
            customer = decode_id(customer_id, "Customer", "customerId") if customer_id else None
            return await fulfilment.confirm_pickup(
                uow, ctx.broker(), gateway_for(ctx.settings.payment_gateway), ctx.viewer, pk,
                pickup_code=pickup_code, customer_id=customer,
            )  # fmt: skip

        return await _run(info, action)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="The parcel left with the carrier: SALE movements, payment captured.",
    )
    async def fulfillment_ship(
        self, info: Info, fulfillment_id: strawberry.ID, carrier: str, tracking_number: str
    ) -> OrderPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(fulfillment_id, "Fulfillment", "fulfillmentId")
            return await fulfilment.ship(
                uow, ctx.broker(), gateway_for(ctx.settings.payment_gateway), ctx.viewer, pk,
                carrier=carrier, tracking_number=tracking_number,
            )  # fmt: skip

        return await _run(info, action)

    @strawberry.mutation(
        permission_classes=[IsStaff], description="The carrier delivered a shipped fulfilment."
    )
    async def fulfillment_mark_delivered(
        self, info: Info, fulfillment_id: strawberry.ID
    ) -> OrderPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(fulfillment_id, "Fulfillment", "fulfillmentId")
            return await fulfilment.mark_delivered(uow, ctx.broker(), ctx.viewer, pk)

        return await _run(info, action)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel an order nothing of which has left: reservations are released and "
        "the payment voided (or refunded). Customers may cancel their own orders.",
    )
    async def order_cancel(self, info: Info, order_id: strawberry.ID) -> OrderPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(order_id, "Order", "orderId")
            return await fulfilment.cancel(
                uow, ctx.broker(), gateway_for(ctx.settings.payment_gateway), ctx.viewer, pk
            )

        return await _run(info, action)
