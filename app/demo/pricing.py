"""Tax settings, promotions and codes, and a few open carts for the demo retailer.

Everything here is deterministic: cart IDs come from the demo's seeded random source."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.carts.views import channel_group
from app.demo.context import DemoContext
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine, CartStatus
from app.models.catalog import Category, Price
from app.models.customer import CustomerIdentifier
from app.models.pricing import (
    ChannelTaxSetting,
    CustomerSegment,
    DiscountCode,
    Promotion,
    PromotionKind,
    PromotionTarget,
    PromotionTrigger,
    TaxRate,
)

TAX_RATES = [
    ("CA", "QC", 149_750, "GST + QST"),
    ("CA", "ON", 130_000, "HST"),
    ("CA", "BC", 120_000, "GST + PST"),
    ("CA", "", 50_000, "GST"),
    ("US", "", 0, "Collected by the marketplace"),
]


def _promotion(**fields: object) -> Promotion:
    defaults: dict[str, object] = {
        "amounts": {}, "minimum_subtotals": {}, "product_ids": [], "category_ids": [],
        "channel_ids": [], "segments": [], "priority": 100, "combinable": True,
    }  # fmt: skip
    defaults.update(fields)
    return Promotion(**defaults)


async def load(ctx: DemoContext) -> None:
    session = ctx.session
    for country, region, rate, name in TAX_RATES:
        session.add(TaxRate(country_code=country, region=region, rate_ppm=rate, name=name))
    for code, channel in ctx.channels.items():
        us = code == "marketplace-us"
        session.add(
            ChannelTaxSetting(
                channel_id=channel.id,
                prices_include_tax=False,
                default_country_code="US" if us else "CA",
                default_region="" if us else "QC",
            )
        )
    categories = {c.handle: c.id for c in (await session.execute(select(Category))).scalars().all()}
    now = utcnow()
    promotions = [
        _promotion(name="Hoodie season: 15 % off hoodies", trigger=PromotionTrigger.AUTOMATIC,
                   kind=PromotionKind.PERCENTAGE, target=PromotionTarget.CATEGORIES,
                   category_ids=[categories["hoodies"]], percentage_bp=1500, priority=10),
        _promotion(name="Socks: buy 2, get 1 free", trigger=PromotionTrigger.AUTOMATIC,
                   kind=PromotionKind.BUY_X_GET_Y, target=PromotionTarget.CATEGORIES,
                   category_ids=[categories["socks"]], buy_quantity=2, get_quantity=1,
                   percentage_bp=10_000, priority=20),
        _promotion(name="App exclusive: 10 $ off 75 $", trigger=PromotionTrigger.AUTOMATIC,
                   kind=PromotionKind.FIXED_AMOUNT, target=PromotionTarget.ORDER,
                   amounts={"CAD": 1000}, minimum_subtotals={"CAD": 7500},
                   channel_ids=[ctx.channels["app"].id], priority=50),
        _promotion(name="Welcome: 10 % off your first order", trigger=PromotionTrigger.CODE,
                   kind=PromotionKind.PERCENTAGE, target=PromotionTarget.ORDER,
                   percentage_bp=1000, priority=60, usage_limit_per_customer=1,
                   ends_at=now + timedelta(days=365)),
        _promotion(name="Loyalty night: 20 % off, alone", trigger=PromotionTrigger.CODE,
                   kind=PromotionKind.PERCENTAGE, target=PromotionTarget.ORDER,
                   percentage_bp=2000, priority=5, combinable=False,
                   segments=[CustomerSegment.LOYALTY_MEMBERS]),
    ]  # fmt: skip
    session.add_all(promotions)
    await session.flush()
    welcome, loyalty = promotions[3], promotions[4]
    session.add_all(
        [
            DiscountCode(promotion_id=welcome.id, code="WELCOME10", usage_limit=500, times_used=0),
            DiscountCode(promotion_id=loyalty.id, code="LOYAL20", usage_limit=50, times_used=0),
        ]
    )
    await _carts(ctx)
    await session.flush()


def _token(ctx: DemoContext) -> str:
    return "crt_demo_" + "".join(ctx.random.choice("abcdefghijkmnpqrstuvwxyz23456789")
                                 for _ in range(24))  # fmt: skip


async def _carts(ctx: DemoContext) -> None:
    """Camille's cart on the app (a hoodie and a t-shirt) and a guest's on the web."""
    session = ctx.session
    camille = (
        await session.execute(
            select(CustomerIdentifier.customer_id).where(
                CustomerIdentifier.value == "camille.roy@demo.omnigraph.dev"
            )
        )
    ).scalar_one()
    now = utcnow()
    # Variants in catalog order: 20 products of 4 variants per category; hoodies are the
    # second category and socks the eighth.
    hoodie, tee, socks = ctx.variants[80], ctx.variants[5], ctx.variants[560]
    open_carts = [
        ("app", camille, [(hoodie, 1), (tee, 2)]),
        ("web", None, [(socks, 3)]),
    ]
    for channel_code, customer_id, lines in open_carts:
        channel = ctx.channels[channel_code]
        cart = Cart(
            token=_token(ctx), status=CartStatus.ACTIVE, channel_id=channel.id,
            channel_group=channel_group(channel.kind), currency_code=channel.currency_code,
            customer_id=customer_id, discount_codes=[], note="", created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(cart)
        await session.flush()
        for variant, quantity in lines:
            price = (
                await session.execute(
                    select(Price.amount).where(
                        Price.variant_id == variant.id, Price.currency_code == "CAD"
                    )
                )
            ).scalar_one()
            session.add(
                CartLine(
                    cart_id=cart.id,
                    variant_id=variant.id,
                    quantity=quantity,
                    unit_price_seen=price,
                    created_at=now,
                    updated_at=now,
                )
            )
