from __future__ import annotations

from decimal import Decimal

import strawberry

from app.catalog.service import MediaInput, PriceInput, ProductInput, TranslationInput, VariantInput
from app.catalog.views import ProductListFilter
from app.models.catalog import ProductStatus


@strawberry.input
class ProductFilter:
    category_handles: list[str] | None = None
    price_min: Decimal | None = strawberry.field(
        default=None, description="In the channel's currency."
    )
    price_max: Decimal | None = None
    vendor: str | None = None
    product_type: str | None = None
    status: list[ProductStatus] | None = strawberry.field(
        default=None, description="Staff only; others always see active products."
    )
    in_stock: bool | None = strawberry.field(
        default=None,
        description="True: only products with a variant available on the channel; "
        "false: only those with none.",
    )

    def to_domain(self) -> ProductListFilter:
        return ProductListFilter(
            category_handles=self.category_handles,
            price_min=self.price_min,
            price_max=self.price_max,
            vendor=self.vendor,
            product_type=self.product_type,
            statuses=self.status,
            in_stock=self.in_stock,
        )


@strawberry.input
class NameValueInput:
    name: str
    value: str


@strawberry.input
class TranslationInputType:
    locale: str
    title: str
    description: str = ""


@strawberry.input
class MediaInputType:
    url: str
    alt_text: str = ""


@strawberry.input
class PriceInputType:
    currency_code: str
    amount: Decimal
    compare_at_amount: Decimal | None = None

    def to_domain(self) -> PriceInput:
        return PriceInput(self.currency_code, self.amount, self.compare_at_amount)


def _pairs(items: list[NameValueInput] | None) -> list[tuple[str, str]] | None:
    return None if items is None else [(i.name, i.value) for i in items]


@strawberry.input(name="ProductInput")
class ProductInputType:
    handle: str | None = None
    status: ProductStatus | None = None
    vendor: str | None = None
    product_type: str | None = None
    attributes: list[NameValueInput] | None = None
    translations: list[TranslationInputType] | None = None
    category_handles: list[str] | None = None
    channel_codes: list[str] | None = strawberry.field(
        default=None, description="Channels to publish on; replaces the current set."
    )
    media: list[MediaInputType] | None = None

    def to_domain(self) -> ProductInput:
        return ProductInput(
            handle=self.handle,
            status=self.status,
            vendor=self.vendor,
            product_type=self.product_type,
            attributes=_pairs(self.attributes),
            translations=None
            if self.translations is None
            else [TranslationInput(t.locale, t.title, t.description) for t in self.translations],
            category_handles=self.category_handles,
            channel_codes=self.channel_codes,
            media=None
            if self.media is None
            else [MediaInput(m.url, m.alt_text) for m in self.media],
        )


@strawberry.input(name="ProductVariantInput")
class ProductVariantInputType:
    sku: str | None = None
    title: str | None = None
    barcode: str | None = None
    options: list[NameValueInput] | None = None
    prices: list[PriceInputType] | None = None

    def to_domain(self) -> VariantInput:
        return VariantInput(
            sku=self.sku,
            title=self.title,
            barcode=self.barcode,
            options=_pairs(self.options),
            prices=None if self.prices is None else [p.to_domain() for p in self.prices],
        )
