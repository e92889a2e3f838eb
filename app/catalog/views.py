"""Light read models: plain rows for the read path, no ORM state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement

from app.inventory.views import VariantStock
from app.kit.money import to_decimal
from app.models.catalog import ProductStatus


@dataclass(slots=True)
class ProductView:
    id: int
    handle: str
    status: ProductStatus
    vendor: str
    product_type: str
    attributes: list[dict[str, Any]]
    title: str
    description: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class VariantView:
    id: int
    product_id: int
    sku: str
    title: str
    barcode: str | None
    options: list[dict[str, str]]
    position: int
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class PriceView:
    variant_id: int
    currency_code: str
    amount: int
    compare_at_amount: int | None

    @property
    def amount_decimal(self) -> Decimal:
        return to_decimal(self.amount, self.currency_code)


@dataclass(slots=True)
class MediaView:
    id: int
    product_id: int
    url: str
    alt_text: str
    position: int


@dataclass(slots=True)
class CategoryView:
    id: int
    handle: str
    name: str
    parent_id: int | None


class ProductSortKey(StrEnum):
    TITLE = "TITLE"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    PRICE = "PRICE"
    HANDLE = "HANDLE"


@dataclass(slots=True)
class ProductQuery:
    """What a product list asks for; `conditions` lets other domains narrow it (stock, say)."""

    locale: str
    fallback_locale: str
    channel_id: int | None = None
    currency_code: str | None = None
    statuses: tuple[ProductStatus, ...] = (ProductStatus.ACTIVE,)
    search: str | None = None
    category_ids: tuple[int, ...] = ()
    price_min: int | None = None
    price_max: int | None = None
    vendor: str | None = None
    product_type: str | None = None
    sort_key: ProductSortKey = ProductSortKey.TITLE
    reverse: bool = False
    conditions: list[ColumnElement[bool]] = field(default_factory=list)


@dataclass(slots=True)
class ProductListFilter:
    """What a product list may be narrowed by; prices are in the channel's currency."""

    category_handles: list[str] | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    vendor: str | None = None
    product_type: str | None = None
    statuses: list[ProductStatus] | None = None
    in_stock: bool | None = None


@dataclass(frozen=True, slots=True)
class VariantParts:
    """Which relations of variants a read should fetch (each costs a statement per batch)."""

    prices: bool = False
    stock: bool = False
    product: ProductParts | None = None


@dataclass(frozen=True, slots=True)
class ProductParts:
    """Which relations of products a read should fetch; `variants` None fetches none."""

    variants: VariantParts | None = None
    media: bool = False
    categories: bool = False
    channels: bool = False


@dataclass(slots=True)
class VariantRead:
    view: VariantView
    # By currency code; empty unless prices were asked for.
    prices: dict[str, PriceView]
    stock: VariantStock | None = None


@dataclass(slots=True)
class ProductRead:
    view: ProductView
    variants: list[VariantRead] = field(default_factory=list)
    media: list[MediaView] = field(default_factory=list)
    categories: list[CategoryView] = field(default_factory=list)
    channel_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class VariantsRead:
    """Variants read on their own, with their products when those were asked for."""

    variants: list[VariantRead]
    products: dict[int, ProductRead] = field(default_factory=dict)
