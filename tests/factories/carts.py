"""A small retailer for cart and pricing tests: web, app and POS channels in CAD, one
warehouse in every pool, one pickup store, two products with two variants each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.carts.service import new_token
from app.database import Database
from app.models.cart import Cart
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind
from app.models.pricing import (
    ChannelTaxSetting,
    DiscountCode,
    Promotion,
    PromotionKind,
    PromotionTarget,
    PromotionTrigger,
    TaxRate,
)
from schema.relay import to_global_id
from tests.factories.catalog import create_category, create_product
from tests.factories.channels import create_channel, create_location
from tests.factories.inventory import set_pool, stock, variant_id


@dataclass
class World:
    channels: dict[str, int]
    warehouse: Location
    store: Location
    variants: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)
    category_id: int = 0

    def variant(self, sku: str) -> str:
        return to_global_id("ProductVariant", self.variants[sku])

    def location(self, location: Location) -> str:
        return to_global_id("Location", location.id)


async def world(db: Database, *, stock_units: int = 50) -> World:
    """Prices: TEE-0 20.00, TEE-1 20.01, MUG-0 12.00, MUG-1 12.01 (CAD). Tax: QC 14.975 %
    exclusive on every channel; ON 13 %."""
    channels = {}
    for code, kind in (
        ("web", ChannelKind.WEB),
        ("app", ChannelKind.APP),
        ("pos", ChannelKind.POS),
    ):
        channels[code] = (await create_channel(db, code=code, kind=kind)).id
    warehouse = await create_location(
        db, code="wh", kind=LocationKind.WAREHOUSE, ships=True, country_code="CA", region="QC"
    )
    store = await create_location(
        db,
        code="downtown",
        pickup=True,
        ships=True,
        country_code="CA",
        region="QC",
        name="Downtown",
    )
    category = await create_category(db, handle="mugs", name="Mugs")
    tee = await create_product(
        db, handle="tee", channel_ids=list(channels.values()), prices={"CAD": 2000}
    )
    mug = await create_product(
        db,
        handle="mug",
        channel_ids=list(channels.values()),
        category_ids=[category.id],
        prices={"CAD": 1200},
    )
    result = World(
        channels, warehouse, store, products={"tee": tee.id, "mug": mug.id}, category_id=category.id
    )
    for channel_id in channels.values():
        await set_pool(db, channel_id, [warehouse.id, store.id])
    for sku in ("TEE-0", "TEE-1", "MUG-0", "MUG-1"):
        result.variants[sku] = await variant_id(db, sku)
        if stock_units:
            await stock(db, sku, warehouse.id, stock_units)
    async with db.write() as uow:
        uow.session.add_all(
            [
                TaxRate(country_code="CA", region="QC", rate_ppm=149_750, name="GST + QST"),
                TaxRate(country_code="CA", region="ON", rate_ppm=130_000, name="HST"),
                TaxRate(country_code="CA", region="", rate_ppm=50_000, name="GST"),
            ]
            + [
                ChannelTaxSetting(
                    channel_id=c,
                    prices_include_tax=False,
                    default_country_code="CA",
                    default_region="QC",
                )
                for c in channels.values()
            ]
        )
    return result


async def promotion(
    db: Database,
    *,
    name: str = "Promo",
    kind: PromotionKind = PromotionKind.PERCENTAGE,
    target: PromotionTarget = PromotionTarget.ORDER,
    trigger: PromotionTrigger = PromotionTrigger.AUTOMATIC,
    codes: Sequence[str] = (),
    code_usage_limit: int | None = None,
    **fields: Any,
) -> int:
    defaults: dict[str, Any] = {
        "amounts": {},
        "minimum_subtotals": {},
        "product_ids": [],
        "category_ids": [],
        "channel_ids": [],
        "segments": [],
        "priority": 100,
        "combinable": True,
    }
    defaults.update(fields)
    starts: datetime | None = defaults.pop("starts_at", None)
    async with db.write() as uow:
        row = Promotion(
            name=name, kind=kind, target=target, trigger=trigger, starts_at=starts, **defaults
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.session.add_all(
            DiscountCode(promotion_id=row.id, code=c, usage_limit=code_usage_limit, times_used=0)
            for c in codes
        )
        return row.id


async def create_cart_for(db: Database, customer_id: int) -> str:
    """An empty web cart of the customer (making the web channel if needed); its ID."""
    async with db.write() as uow:
        channel = (
            await uow.session.execute(select(Channel).where(Channel.code == "web"))
        ).scalar_one_or_none()
        if channel is None:
            channel = Channel(
                code="web",
                name="Web",
                kind=ChannelKind.WEB,
                currency_code="CAD",
                default_locale="en",
            )
            uow.session.add(channel)
            await uow.session.flush()
        cart = Cart(
            token=new_token(),
            channel_id=channel.id,
            channel_group="ONLINE",
            currency_code="CAD",
            customer_id=customer_id,
            discount_codes=[],
            note="",
        )
        uow.session.add(cart)
    return cart.token
