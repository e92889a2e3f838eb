"""A guest cart that the storefront guide checks out for pickup (docs/guides/storefront.md).

Its ID is fixed so the guide's operations can name it; checking it out is idempotent on the
guide's key, so running the guide again returns the same order.
"""

from __future__ import annotations

from sqlalchemy import select

from app.carts.views import channel_group
from app.demo.context import DemoContext
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine, CartStatus
from app.models.catalog import Variant
from app.pricing import repository as pricing_repository

PICKUP_GUIDE_CART = "crt_demo_pickup_guide"
GUIDE_SKU = "HOO-01003-1"


async def load(ctx: DemoContext) -> None:
    now = utcnow()
    web = ctx.channels["web"]
    variant_id = (
        await ctx.session.execute(select(Variant.id).where(Variant.sku == GUIDE_SKU))
    ).scalar_one()
    cart = Cart(
        token=PICKUP_GUIDE_CART,
        status=CartStatus.ACTIVE,
        channel_id=web.id,
        channel_group=channel_group(web.kind),
        currency_code=web.currency_code,
        email="guide.shopper@example.com",
        note="",
        discount_codes=[],
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(cart)
    await ctx.session.flush()
    facts = await pricing_repository.variant_facts(
        ctx.session, [variant_id], web.currency_code, web.id
    )
    ctx.session.add(
        CartLine(
            cart_id=cart.id,
            variant_id=variant_id,
            quantity=1,
            unit_price_seen=facts[variant_id].unit_price,
            created_at=now,
            updated_at=now,
        )
    )
    await ctx.session.flush()
