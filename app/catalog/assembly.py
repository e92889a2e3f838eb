"""Fetch the parts of products and variants a read asked for, one batch per relation.

The number of statements depends on which parts are asked for, never on how many products
or variants a page holds. Stock comes from the inventory domain, asked explicitly here for
the same batch of variants.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from app.catalog import repository
from app.catalog.views import (
    PriceView,
    ProductParts,
    ProductRead,
    ProductView,
    VariantParts,
    VariantRead,
    VariantsRead,
    VariantView,
)
from app.channels.views import ChannelView
from app.database import Database
from app.inventory import catalog_stock
from app.reference.cache import ReferenceCache


async def _nothing() -> dict[int, Any]:
    return {}


async def products_with(
    db: Database,
    reference: ReferenceCache,
    views: Sequence[ProductView],
    parts: ProductParts,
    channel: ChannelView,
    locale: str | None = None,
) -> list[ProductRead]:
    ids = [v.id for v in views]
    variants, media, categories, channel_ids = await asyncio.gather(
        repository.variants_of_products(db, ids) if parts.variants is not None else _nothing(),
        repository.media_of_products(db, ids) if parts.media else _nothing(),
        repository.categories_of_products(db, ids) if parts.categories else _nothing(),
        repository.channel_ids_of_products(db, ids) if parts.channels else _nothing(),
    )
    products = [
        ProductRead(
            view=v,
            media=media.get(v.id, []),
            categories=categories.get(v.id, []),
            channel_ids=channel_ids.get(v.id, []),
        )
        for v in views
    ]
    if parts.variants is not None:
        by_id = {p.view.id: p for p in products}
        below = [v for pid in ids for v in variants.get(pid, [])]
        # Their product is the one being read: it is not fetched again.
        read = await variants_with(
            db, reference, below, parts.variants, channel, locale, with_products=False
        )
        for variant in read.variants:
            by_id[variant.view.product_id].variants.append(variant)
    return products


async def variants_with(
    db: Database,
    reference: ReferenceCache,
    views: Sequence[VariantView],
    parts: VariantParts,
    channel: ChannelView,
    locale: str | None = None,
    *,
    with_products: bool = True,
) -> VariantsRead:
    ids = [v.id for v in views]
    prices: dict[int, dict[str, PriceView]] = (
        await repository.prices_of_variants(db, ids) if parts.prices else {}
    )
    products: dict[int, ProductRead] = {}
    if with_products and parts.product is not None:
        product_ids = list(dict.fromkeys(v.product_id for v in views))
        found = await repository.products_by_ids(
            db, product_ids, locale or channel.default_locale, channel.default_locale
        )
        built = await products_with(
            db, reference, list(found.values()), parts.product, channel, locale
        )
        products = {p.view.id: p for p in built}
    stock = await catalog_stock.stock_of_variants(db, reference, ids) if parts.stock else {}
    return VariantsRead(
        [VariantRead(v, prices.get(v.id, {}), stock.get(v.id)) for v in views], products
    )
