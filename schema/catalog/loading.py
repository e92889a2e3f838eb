"""Turn catalog rows into GraphQL objects, fetching each selected level in one batch.

The number of statements depends on which fields the query selects, never on how many
products or variants a page holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry

from app.catalog import repository
from app.catalog.views import PriceView, ProductView, VariantView
from app.channels.views import ChannelView
from app.models.catalog import ProductStatus as ProductStatusValue
from schema.catalog.types import (
    Category,
    Media,
    Product,
    ProductAttribute,
    ProductVariant,
    SelectedOption,
)
from schema.channels.types import Channel
from schema.context import Info
from schema.relay import to_global_id
from schema.selection import Tree

# Other domains add fields to variants (stock, say) and fill them here, a batch per level.
VariantPrefetch = Callable[[Info, list[ProductVariant], Tree, ChannelView], Awaitable[None]]
_VARIANT_PREFETCHES: list[VariantPrefetch] = []


def register_variant_prefetch(prefetch: VariantPrefetch) -> None:
    _VARIANT_PREFETCHES.append(prefetch)


def visible_statuses(info: Info) -> tuple[ProductStatusValue, ...]:
    """Staff see every product; everyone else only active ones."""
    if info.context.viewer.is_staff:
        return tuple(ProductStatusValue)
    return (ProductStatusValue.ACTIVE,)


async def _nothing() -> dict[int, Any]:
    return {}


async def build_variants(
    info: Info,
    views: Sequence[VariantView],
    tree: Tree,
    channel: ChannelView,
    parents: dict[int, Product] | None = None,
    locale: str | None = None,
) -> list[ProductVariant]:
    ctx = info.context
    directory = await ctx.channels()
    ids = [v.id for v in views]
    wants_prices = bool({"price", "compareAtPrice", "pricesByCurrency"} & tree.keys())
    prices: dict[int, dict[str, PriceView]] = (
        await repository.prices_of_variants(ctx.db, ids) if wants_prices else {}
    )
    if parents is None and "product" in tree:
        product_ids = list(dict.fromkeys(v.product_id for v in views))
        products = await repository.products_by_ids(
            ctx.db, product_ids, locale or channel.default_locale, channel.default_locale
        )
        built = await build_products(
            info, list(products.values()), tree["product"], channel, locale
        )
        parents = {p.pk: p for p in built}
    variants = [
        ProductVariant(
            id=strawberry.ID(to_global_id("ProductVariant", v.id)),
            sku=v.sku,
            title=v.title,
            barcode=v.barcode,
            selected_options=[SelectedOption(name=o["name"], value=o["value"]) for o in v.options],
            position=v.position,
            created_at=v.created_at,
            updated_at=v.updated_at,
            pk=v.id,
            product_id=v.product_id,
            prices=prices.get(v.id, {}),
            channels=directory,
            default_channel=channel,
            parent=parents.get(v.product_id) if parents else None,
        )
        for v in views
    ]
    for prefetch in _VARIANT_PREFETCHES:
        await prefetch(info, variants, tree, channel)
    return variants


async def build_products(
    info: Info,
    views: Sequence[ProductView],
    tree: Tree,
    channel: ChannelView,
    locale: str | None = None,
) -> list[Product]:
    ctx = info.context
    db = ctx.db
    directory = await ctx.channels()
    ids = [v.id for v in views]
    variant_tree = dict(tree.get("variants", {}))
    if "priceRange" in tree:
        variant_tree.setdefault("price", {})
    wants_variants = "variants" in tree or "priceRange" in tree
    variants, media, categories, channel_ids = await asyncio.gather(
        repository.variants_of_products(db, ids) if wants_variants else _nothing(),
        repository.media_of_products(db, ids) if "media" in tree else _nothing(),
        repository.categories_of_products(db, ids) if "categories" in tree else _nothing(),
        repository.channel_ids_of_products(db, ids) if "publishedOn" in tree else _nothing(),
    )
    products = []
    for view in views:
        published = [directory.by_id(i) for i in channel_ids.get(view.id, [])]
        products.append(
            Product(
                id=strawberry.ID(to_global_id("Product", view.id)),
                handle=view.handle,
                status=view.status,
                title=view.title,
                description=view.description,
                vendor=view.vendor,
                product_type=view.product_type,
                attributes=[
                    ProductAttribute(name=a["name"], value=a["value"]) for a in view.attributes
                ],
                created_at=view.created_at,
                updated_at=view.updated_at,
                variants=[],
                media=[
                    Media(url=m.url, alt_text=m.alt_text, position=m.position)
                    for m in media.get(view.id, [])
                ],
                categories=[
                    Category(
                        id=strawberry.ID(to_global_id("Category", c.id)),
                        handle=c.handle,
                        name=c.name,
                    )
                    for c in categories.get(view.id, [])
                ],
                published_on=[Channel.from_view(c) for c in published if c is not None],
                pk=view.id,
                default_channel=channel,
                channel_directory=directory,
            )
        )
    if wants_variants:
        by_id = {p.pk: p for p in products}
        all_variants = [v for pid in ids for v in variants.get(pid, [])]
        built = await build_variants(info, all_variants, variant_tree, channel, by_id, locale)
        for variant in built:
            by_id[variant.product_id].variants.append(variant)
    return products


async def products_for_ids(
    info: Info, ids: Sequence[int], tree: Tree, channel: ChannelView, locale: str | None = None
) -> dict[int, Product]:
    """Products by primary key that this viewer may see."""
    views = await repository.products_by_ids(
        info.context.db, ids, locale or channel.default_locale, channel.default_locale
    )
    allowed = visible_statuses(info)
    visible = [views[i] for i in ids if i in views and views[i].status in allowed]
    return {p.pk: p for p in await build_products(info, visible, tree, channel, locale)}


async def variants_for_views(
    info: Info, views: Sequence[VariantView], tree: Tree, channel: ChannelView
) -> list[ProductVariant]:
    """Variants this viewer may see: those of visible products."""
    if not views:
        return []
    product_ids = list(dict.fromkeys(v.product_id for v in views))
    statuses = await repository.product_statuses(info.context.db, product_ids)
    allowed = visible_statuses(info)
    visible = [v for v in views if statuses.get(v.product_id) in allowed]
    return await build_variants(info, visible, tree, channel)
