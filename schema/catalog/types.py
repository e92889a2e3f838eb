"""Catalog GraphQL types. Scalar fields are plain attributes filled when the tree is loaded."""

from __future__ import annotations

import weakref
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.catalog.views import PriceView, ProductSortKey
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.inventory.views import VariantStock
from app.models.catalog import ProductStatus
from schema.channels.types import Channel
from schema.inventory import variant_stock
from schema.inventory.inputs import GeoPointInput
from schema.inventory.types import PickupAvailability, StockLevel, VariantInventory
from schema.relay import Node

if TYPE_CHECKING:
    from schema.pricing.types import VariantPricing

# The domain enums are the GraphQL enums; registering them once is enough.
strawberry.enum(ProductStatus)
strawberry.enum(ProductSortKey)


@strawberry.type(description="An amount of money in one currency.")
class Money:
    amount: Decimal
    currency_code: str


@strawberry.type
class SelectedOption:
    name: str
    value: str


@strawberry.type
class ProductAttribute:
    name: str
    value: str


@strawberry.type
class Media:
    url: str
    alt_text: str
    position: int


@strawberry.type
class Category(Node):
    handle: str
    name: str


@strawberry.type
class PriceRange:
    min_variant_price: Money
    max_variant_price: Money


def _money(amount: int, currency_code: str) -> Money:
    return Money(
        amount=PriceView(0, currency_code, amount, None).amount_decimal, currency_code=currency_code
    )


@strawberry.type(description="A sellable version of a product: one SKU.")
class ProductVariant(Node):
    sku: str
    title: str
    barcode: str | None
    selected_options: list[SelectedOption]
    position: int
    created_at: datetime
    updated_at: datetime
    pk: strawberry.Private[int]
    product_id: strawberry.Private[int]
    prices: strawberry.Private[dict[str, PriceView]]
    channels: strawberry.Private[ChannelDirectory]
    default_channel: strawberry.Private[ChannelView]
    parent: strawberry.Private[Product | None] = None
    # A variant listed under its own product points back to it weakly: a strong pointer would
    # make every product and its variants a reference cycle that only the collector frees.
    parent_ref: strawberry.Private[weakref.ref[Product] | None] = None
    # Fetched with the variant when a stock field is selected.
    stock: strawberry.Private[VariantStock | None] = None

    def _price(self, channel: str | None) -> PriceView | None:
        chosen = self.channels.by_code(channel) if channel else self.default_channel
        return self.prices.get(chosen.currency_code)

    @strawberry.field(
        description="The price in the channel's currency (the request's channel "
        "when none is named)."
    )
    def price(self, channel: str | None = None) -> Money | None:
        price = self._price(channel)
        return _money(price.amount, price.currency_code) if price else None

    @strawberry.field(description="The earlier price shown struck through, if any.")
    def compare_at_price(self, channel: str | None = None) -> Money | None:
        price = self._price(channel)
        if price is None or price.compare_at_amount is None:
            return None
        return _money(price.compare_at_amount, price.currency_code)

    # The price engine's price (automatic promotions applied); see docs/carts.md.
    @strawberry.field(
        description="What one unit costs in a guest's cart on the channel: the price engine's "
        "price with automatic promotions (`price` stays the base price)."
    )
    async def pricing(
        self, info: strawberry.Info, channel: str | None = None
    ) -> Annotated[VariantPricing, strawberry.lazy("schema.pricing.types")] | None:
        from schema.pricing.variant_prices import variant_pricing

        return await variant_pricing(info, self, channel)

    @strawberry.field(description="Prices in every currency.")
    def prices_by_currency(self) -> list[Money]:
        return [_money(p.amount, p.currency_code) for p in self.prices.values()]

    @strawberry.field(
        description="Stock over the channel's pool (the request's channel when none is named)."
    )
    def inventory(self, channel: str | None = None) -> VariantInventory:
        return variant_stock.inventory(self, channel)

    @strawberry.field(description="Stock at one location; null for an unknown location.")
    def stock_at(self, location_id: strawberry.ID) -> StockLevel | None:
        return variant_stock.stock_at(self, location_id)

    @strawberry.field(description="Open pickup stores near a point, nearest first.")
    def pickup_availability(
        self,
        near: GeoPointInput,
        radius_km: float = 25.0,
        first: int = 10,
        in_stock_only: bool = False,
    ) -> list[PickupAvailability]:
        return variant_stock.pickup_availability(
            self, near.to_domain(), radius_km, first, in_stock_only
        )

    @strawberry.field
    def product(self) -> Product:
        parent = self.parent or (self.parent_ref() if self.parent_ref is not None else None)
        if parent is None:  # pragma: no cover - loaders always attach it when selected
            raise LookupError("variant loaded without its product")
        return parent


@strawberry.type(description="A product with its variants, in one locale.")
class Product(Node):
    handle: str
    status: ProductStatus
    title: str
    description: str
    vendor: str
    product_type: str
    attributes: list[ProductAttribute]
    created_at: datetime
    updated_at: datetime
    variants: list[ProductVariant]
    media: list[Media]
    categories: list[Category]
    published_on: list[Channel] = strawberry.field(
        description="The channels the product is published on."
    )
    pk: strawberry.Private[int]
    default_channel: strawberry.Private[ChannelView]
    channel_directory: strawberry.Private[ChannelDirectory]

    @strawberry.field(description="Lowest and highest variant price in the channel's currency.")
    def price_range(self, channel: str | None = None) -> PriceRange | None:
        chosen = self.channel_directory.by_code(channel) if channel else self.default_channel
        amounts = [
            p.amount for v in self.variants if (p := v.prices.get(chosen.currency_code)) is not None
        ]
        if not amounts:
            return None
        return PriceRange(
            min_variant_price=_money(min(amounts), chosen.currency_code),
            max_variant_price=_money(max(amounts), chosen.currency_code),
        )
