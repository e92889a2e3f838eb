from __future__ import annotations

import strawberry

from app.auth.viewer import Viewer
from app.carts import reads
from schema.carts.types import Cart, build_cart
from schema.context import Info
from schema.permissions import Public


async def customer_cart(
    info: Info, customer_id: int, channel: str | None, viewer: Viewer
) -> Cart | None:
    """A customer's cart for the channel's group, as the request's viewer may see it."""
    ctx = info.context
    chosen = await ctx.channel(channel)
    read = await reads.customer_cart(
        ctx.db, ctx.settings, viewer, customer_id, chosen, await ctx.channels()
    )
    return build_cart(read) if read is not None else None


@strawberry.type
class CartQuery:
    @strawberry.field(
        permission_classes=[Public],
        description="A cart by its ID. A merged cart's ID gives the surviving cart; someone "
        "else's cart is NOT_FOUND; an expired one is CART_EXPIRED.",
    )
    async def cart(self, info: Info, id: strawberry.ID) -> Cart | None:
        ctx = info.context
        read = await reads.cart_for(ctx.db, ctx.settings, ctx.viewer, id, await ctx.channels())
        return build_cart(read)
