"""Ask the catalog read service for what a query selected and map its read models to the
GraphQL objects: plain attributes all the way down, one batch per selected relation."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import replace

import strawberry

from app.catalog import reads
from app.catalog.views import (
    ProductParts,
    ProductRead,
    VariantParts,
    VariantRead,
    VariantsRead,
    VariantView,
)
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
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

PRICE_FIELDS = frozenset({"price", "compareAtPrice", "pricesByCurrency"})
STOCK_FIELDS = frozenset({"inventory", "stockAt", "pickupAvailability"})


def variant_parts(tree: Tree) -> VariantParts:
    return VariantParts(
        prices=bool(PRICE_FIELDS & tree.keys()),
        stock=bool(STOCK_FIELDS & tree.keys()),
        product=product_parts(tree["product"]) if "product" in tree else None,
    )


def product_parts(tree: Tree) -> ProductParts:
    variants = variant_parts(tree["variants"]) if "variants" in tree else None
    if "priceRange" in tree:
        # The range is computed from the variants' prices.
        variants = replace(variants or VariantParts(), prices=True)
    return ProductParts(
        variants=variants,
        media="media" in tree,
        categories="categories" in tree,
        channels="publishedOn" in tree,
    )


def category(view_id: int, handle: str, name: str) -> Category:
    return Category(id=strawberry.ID(to_global_id("Category", view_id)), handle=handle, name=name)


def _variant(
    read: VariantRead,
    channel: ChannelView,
    directory: ChannelDirectory,
    parent: Product | None,
    parent_ref: weakref.ref[Product] | None = None,
) -> ProductVariant:
    v = read.view
    return ProductVariant(
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
        prices=read.prices,
        channels=directory,
        default_channel=channel,
        parent=parent,
        parent_ref=parent_ref,
        stock=read.stock,
    )


def product(read: ProductRead, channel: ChannelView, directory: ChannelDirectory) -> Product:
    view = read.view
    published = [directory.by_id(i) for i in read.channel_ids]
    built = Product(
        id=strawberry.ID(to_global_id("Product", view.id)),
        handle=view.handle,
        status=view.status,
        title=view.title,
        description=view.description,
        vendor=view.vendor,
        product_type=view.product_type,
        attributes=[ProductAttribute(name=a["name"], value=a["value"]) for a in view.attributes],
        created_at=view.created_at,
        updated_at=view.updated_at,
        variants=[],
        media=[Media(url=m.url, alt_text=m.alt_text, position=m.position) for m in read.media],
        categories=[category(c.id, c.handle, c.name) for c in read.categories],
        published_on=[Channel.from_view(c) for c in published if c is not None],
        pk=view.id,
        default_channel=channel,
        channel_directory=directory,
    )
    owner = weakref.ref(built)
    built.variants = [_variant(v, channel, directory, None, owner) for v in read.variants]
    return built


def variants(
    read: VariantsRead, channel: ChannelView, directory: ChannelDirectory
) -> list[ProductVariant]:
    parents = {pk: product(p, channel, directory) for pk, p in read.products.items()}
    return [_variant(v, channel, directory, parents.get(v.view.product_id)) for v in read.variants]


async def products_for_ids(
    info: Info, ids: Sequence[int], tree: Tree, channel: ChannelView, locale: str | None = None
) -> dict[int, Product]:
    """Products by primary key that this viewer may see."""
    ctx = info.context
    reference = await ctx.reference()
    found = await reads.products_by_ids(
        ctx.db, reference, ctx.viewer, ids, product_parts(tree), channel, locale
    )
    directory = await reference.channels()
    return {pk: product(p, channel, directory) for pk, p in found.items()}


async def variants_for_views(
    info: Info, views: Sequence[VariantView], tree: Tree, channel: ChannelView
) -> list[ProductVariant]:
    """Variants this viewer may see: those of visible products."""
    ctx = info.context
    reference = await ctx.reference()
    found = await reads.variants_of_views(
        ctx.db, reference, ctx.viewer, views, variant_parts(tree), channel
    )
    return variants(found, channel, await reference.channels())
