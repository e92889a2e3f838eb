"""Order mutations: each is one unit of work; the payload is the order read back after commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

import app.orders.merging  # noqa: F401  (moves orders when customers merge)
from app.database import UnitOfWork
from app.orders import checkout, in_store, reads
from app.orders.checkout import CheckoutRequest, Reference
from app.payments.gateway import gateway_for
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.orders.inputs import CheckoutPaymentInput, OrderCreateInStoreInput
from schema.orders.types import Order, build_order
from schema.permissions import IsStaff, Public


@strawberry.type
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]


async def reference_for(info: Info) -> Reference:
    """Reference data for a placement, read before its transaction opens."""
    ctx = info.context
    cache = await ctx.reference()
    channels = await cache.channels()
    return Reference(
        locations=await cache.locations(),
        pools=await cache.pools(),
        request_channel=channels.by_code(ctx.channel_code) if ctx.channel_code else None,
        channels=channels,
    )


async def payload(info: Info, order_id: int | None, errors: list[UserError]) -> OrderPayload:
    if order_id is None:
        return OrderPayload(order=None, user_errors=errors)
    read = await reads.placed_order(info.context.db, order_id, await info.context.channels())
    return OrderPayload(
        order=build_order(read, for_staff=info.context.viewer.is_staff), user_errors=errors
    )


@strawberry.type
class OrderMutation:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Place the order for a cart: prices it, reserves its stock, authorises the "
        "payment and closes the cart. The same idempotencyKey returns the same order; the same "
        "key with another request is refused (IDEMPOTENCY_KEY_REUSED).",
    )
    async def checkout_complete(
        self,
        info: Info,
        cart_id: strawberry.ID,
        idempotency_key: str,
        payment: CheckoutPaymentInput,
        expected_total: Annotated[
            Decimal | None,
            strawberry.argument(
                description="The total the shopper was shown; a different total now is "
                "PRICE_CHANGED and nothing is placed."
            ),
        ] = None,
    ) -> OrderPayload:
        ctx = info.context
        ref = await reference_for(info)
        request = CheckoutRequest(cart_id, idempotency_key, payment.token, expected_total)
        gateway = gateway_for(ctx.settings.payment_gateway)

        async def action(uow: UnitOfWork) -> int:
            return await checkout.checkout_complete(
                uow, ctx.settings, ctx.viewer, ref, request, gateway, ctx.broker()
            )

        found, errors = await perform(info, action)
        return await payload(info, found, errors)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Sell a POS cart at the associate's store: handed over now (cash and "
        "carry), or, when the cart has a delivery, shipped home or sent to another store for "
        "pickup (endless aisle). The tenders must cover the total; change comes from cash.",
    )
    async def order_create_in_store(
        self, info: Info, input: OrderCreateInStoreInput
    ) -> OrderPayload:
        ctx = info.context
        ref = await reference_for(info)
        gateway = gateway_for(ctx.settings.payment_gateway)

        async def action(uow: UnitOfWork) -> int:
            tenders = tuple(in_store.GivenTender(t.kind, t.amount, t.reference)
                            for t in input.tenders)  # fmt: skip
            return await in_store.create_in_store(
                uow, ctx.settings, ctx.viewer, ref,
                in_store.InStoreRequest(input.cart_id, input.idempotency_key, tenders),
                gateway, ctx.broker(),
            )  # fmt: skip

        found, errors = await perform(info, action)
        return await payload(info, found, errors)
