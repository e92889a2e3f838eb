"""Cart mutations: each is one unit of work with the cart row locked; the payload is the cart
read back after commit, priced by the engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from app.carts import details, merging, reads, service
from app.database import UnitOfWork
from app.models.cart import Cart as CartRow
from schema.carts.inputs import (
    CartBuyerIdentityInput,
    CartDeliveryMethodInput,
    CartInput,
    CartLineInput,
    CartLineUpdateInput,
)
from schema.carts.types import Cart, build_cart
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import Public
from schema.relay import decode_id

Change = Callable[[UnitOfWork, CartRow], Awaitable[CartRow | None]]


@strawberry.type
class CartPayload:
    cart: Cart | None
    user_errors: list[UserError]


async def _payload(info: Info, cart_id: int | None, errors: list[UserError]) -> CartPayload:
    if cart_id is None:
        return CartPayload(cart=None, user_errors=errors)
    ctx = info.context
    read = await reads.cart_by_id_for(
        ctx.db, ctx.settings, ctx.viewer, cart_id, await ctx.channels()
    )
    return CartPayload(cart=build_cart(read), user_errors=errors)


async def _change(info: Info, cart_id: str, change: Change) -> CartPayload:
    ctx = info.context
    # Loaded before the transaction: a request holding a write must not wait for a second
    # pooled connection, or writers queued on one cart's lock could starve the pool.
    directory = await ctx.channels()

    async def action(uow: UnitOfWork) -> int:
        request_channel = directory.by_code(ctx.channel_code) if ctx.channel_code else None
        cart = await service.open_for_change(
            uow.session, ctx.settings, ctx.viewer, cart_id, request_channel
        )
        survivor = await change(uow, cart)
        return (survivor or cart).id

    found, errors = await perform(info, action)
    return await _payload(info, found, errors)


@strawberry.type
class CartMutation:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Start a cart. A signed-in customer (or staff serving one) gets their one "
        "cart for the channel's group, with these lines added.",
    )
    async def cart_create(self, info: Info, input: CartInput) -> CartPayload:
        ctx = info.context
        directory = await ctx.channels()

        async def action(uow: UnitOfWork) -> int:
            channel = directory.by_code(input.channel, "channel")
            cart = await service.create_cart(
                uow.session,
                ctx.settings,
                ctx.viewer,
                service.CartCreate(
                    channel=channel,
                    lines=[line.to_domain(i) for i, line in enumerate(input.lines)],
                    buyer=input.buyer_identity.to_domain() if input.buyer_identity else None,
                    discount_codes=input.discount_codes,
                    currency_code=input.currency_code,
                    note=input.note,
                ),
            )
            return cart.id

        found, errors = await perform(info, action)
        return await _payload(info, found, errors)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Add lines; a variant already in the cart gains the quantity.",
    )
    async def cart_lines_add(
        self, info: Info, cart_id: strawberry.ID, lines: list[CartLineInput]
    ) -> CartPayload:
        ctx = info.context

        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            wanted = [line.to_domain(i) for i, line in enumerate(lines)]
            await service.add_lines(uow.session, ctx.settings, cart, wanted)

        return await _change(info, cart_id, change)

    @strawberry.mutation(permission_classes=[Public], description="Set quantities; 0 removes.")
    async def cart_lines_update(
        self, info: Info, cart_id: strawberry.ID, lines: list[CartLineUpdateInput]
    ) -> CartPayload:
        ctx = info.context

        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            updates = [line.to_domain(i) for i, line in enumerate(lines)]
            await service.update_lines(uow.session, ctx.settings, cart, updates)

        return await _change(info, cart_id, change)

    @strawberry.mutation(permission_classes=[Public])
    async def cart_lines_remove(
        self, info: Info, cart_id: strawberry.ID, line_ids: list[strawberry.ID]
    ) -> CartPayload:
        settings = info.context.settings

        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            ids = [decode_id(i, "CartLine", f"lineIds.{n}") for n, i in enumerate(line_ids)]
            await service.remove_lines(uow.session, settings, cart, ids)

        return await _change(info, cart_id, change)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Set who buys. A signed-in customer (or staff naming one) claims a guest "
        "cart; it merges into the cart they already have, which the payload returns.",
    )
    async def cart_buyer_identity_update(
        self, info: Info, cart_id: strawberry.ID, buyer_identity: CartBuyerIdentityInput
    ) -> CartPayload:
        ctx = info.context

        async def change(uow: UnitOfWork, cart: CartRow) -> CartRow:
            return await merging.update_buyer_identity(
                uow.session, ctx.settings, ctx.viewer, cart, buyer_identity.to_domain()
            )

        return await _change(info, cart_id, change)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Replace the cart's discount codes; each must exist, be valid now and "
        "have uses left.",
    )
    async def cart_discount_codes_update(
        self, info: Info, cart_id: strawberry.ID, discount_codes: list[str]
    ) -> CartPayload:
        ctx = info.context

        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            await details.set_discount_codes(uow.session, ctx.settings, cart, discount_codes)

        return await _change(info, cart_id, change)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Ship to an address, or pick up at a store that offers pickup.",
    )
    async def cart_delivery_method_update(
        self, info: Info, cart_id: strawberry.ID, input: CartDeliveryMethodInput
    ) -> CartPayload:
        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            location = (
                decode_id(input.pickup_location_id, "Location", "pickupLocationId")
                if input.pickup_location_id
                else None
            )
            address = input.address.to_domain() if input.address else None
            await details.set_delivery(uow.session, cart, input.method, address, location)

        return await _change(info, cart_id, change)

    @strawberry.mutation(permission_classes=[Public])
    async def cart_note_update(self, info: Info, cart_id: strawberry.ID, note: str) -> CartPayload:
        async def change(uow: UnitOfWork, cart: CartRow) -> None:
            await details.set_note(uow.session, cart, note)

        return await _change(info, cart_id, change)
