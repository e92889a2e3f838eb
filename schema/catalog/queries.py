from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from app.catalog import reads
from app.catalog.views import ProductSortKey
from app.errors import Invalid
from app.kit.pagination import PageRequest
from schema.catalog import loading
from schema.catalog.inputs import ProductFilter
from schema.catalog.loading import category, product_parts, products_for_ids, variant_parts
from schema.catalog.types import Category, Product, ProductVariant
from schema.context import Info
from schema.permissions import Public
from schema.relay import Connection, decode_id, register_node
from schema.selection import connection_nodes, selection_tree


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        permission_classes=[Public],
        description="Products, a page at a time, as seen on one channel.",
    )
    async def products(
        self,
        info: Info,
        channel: str | None = None,
        locale: str | None = None,
        search: str | None = None,
        filter: ProductFilter | None = None,
        sort_key: ProductSortKey = ProductSortKey.TITLE,
        reverse: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        ctx = info.context
        reference = await ctx.reference()
        chosen = await ctx.channel(channel)
        query = await reads.product_query(
            ctx.db, reference, ctx.viewer, channel=chosen, channel_named=channel is not None,
            locale=reads.locale_for(locale, chosen, ctx.settings.supported_locales),
            search=search, filter=filter.to_domain() if filter else None, sort_key=sort_key,
            reverse=reverse,
        )  # fmt: skip
        page = await reads.product_page(
            ctx.db, reference, query, PageRequest(first, after, last, before),
            product_parts(connection_nodes(selection_tree(info))), chosen,
            default_size=ctx.settings.page_size_default, max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        directory = await reference.channels()
        return Connection[Product].from_page(
            page, [loading.product(p, chosen, directory) for p in page.items]
        )

    @strawberry.field(permission_classes=[Public], description="One product by ID or handle.")
    async def product(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        handle: str | None = None,
        channel: str | None = None,
        locale: str | None = None,
    ) -> Product | None:
        if (id is None) == (handle is None):
            raise Invalid("Give either id or handle", code="INVALID_ARGUMENTS", field="id")
        ctx = info.context
        chosen = await ctx.channel(channel)
        chosen_locale = reads.locale_for(locale, chosen, ctx.settings.supported_locales)
        pk = (
            decode_id(id, "Product")
            if id is not None
            else await reads.product_id_by_handle(ctx.db, handle or "")
        )
        if pk is None:
            return None
        found = await products_for_ids(info, [pk], selection_tree(info), chosen, chosen_locale)
        return found.get(pk)

    @strawberry.field(permission_classes=[Public], description="One variant by SKU.")
    async def variant(
        self, info: Info, sku: str, channel: str | None = None
    ) -> ProductVariant | None:
        ctx = info.context
        reference = await ctx.reference()
        chosen = await ctx.channel(channel)
        found = await reads.variant_by_sku(
            ctx.db, reference, ctx.viewer, sku, variant_parts(selection_tree(info)), chosen
        )
        built = loading.variants(found, chosen, await reference.channels())
        return built[0] if built else None

    @strawberry.field(permission_classes=[Public], description="Every category.")
    async def categories(self, info: Info) -> list[Category]:
        return [category(c.id, c.handle, c.name) for c in await reads.categories(info.context.db)]


async def _product_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    channel = await info.context.channel()
    return await products_for_ids(info, ids, selection_tree(info), channel)


async def _variant_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    ctx = info.context
    reference = await ctx.reference()
    channel = await ctx.channel()
    found = await reads.variants_by_ids(
        ctx.db, reference, ctx.viewer, ids, variant_parts(selection_tree(info)), channel
    )
    return {v.pk: v for v in loading.variants(found, channel, await reference.channels())}


async def _category_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await reads.categories_by_ids(info.context.db, ids)
    return {i: category(c.id, c.handle, c.name) for i, c in found.items()}


register_node("Product", _product_nodes)
register_node("ProductVariant", _variant_nodes)
register_node("Category", _category_nodes)
