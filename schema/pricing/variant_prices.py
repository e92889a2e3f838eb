"""`ProductVariant.pricing`: the engine's price for product pages, batched per request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from strawberry.dataloader import DataLoader

from app.channels.views import ChannelView
from app.kit.clock import utcnow
from app.pricing.service import ListingPrice, listing_prices
from schema.context import Info
from schema.pricing.types import VariantPricing, money


class PricedVariant(Protocol):
    pk: int


def _loader(info: Info, channel: ChannelView) -> DataLoader[int, ListingPrice | None]:
    name = f"pricing.listing.{channel.id}"
    loader: DataLoader[int, ListingPrice | None] | None = info.context.extras.get(name)
    if loader is None:

        async def load(ids: Sequence[int]) -> list[ListingPrice | None]:
            found = await listing_prices(
                info.context.db,
                channel_id=channel.id,
                currency_code=channel.currency_code,
                variant_ids=list(ids),
                at=utcnow(),
            )
            return [found.get(i) for i in ids]

        loader = info.context.extras[name] = DataLoader(load)
    return loader


async def variant_pricing(
    info: Info, variant: PricedVariant, channel: str | None
) -> VariantPricing | None:
    chosen = await info.context.channel(channel)
    found = await _loader(info, chosen).load(variant.pk)
    if found is None:
        return None
    return VariantPricing(
        price=money(found.price, found.currency_code),
        compare_at_price=(
            money(found.compare_at_price, found.currency_code)
            if found.compare_at_price is not None
            else None
        ),
        promotions=found.promotions,
    )
