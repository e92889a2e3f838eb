from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry

from app.catalog import repository
from app.catalog.service import check_locale
from app.catalog.views import ProductQuery, ProductSortKey
from app.channels.views import ChannelView
from app.errors import Forbidden, Invalid
from app.kit.money import to_minor
from app.kit.pagination import PageRequest
from schema.catalog.inputs import ProductFilter
from schema.catalog.loading import (
    build_products,
    products_for_ids,
    variants_for_views,
    visible_statuses,
)
from schema.catalog.types import Category, Product, ProductVariant
from schema.context import Info
from schema.permissions import Public
from schema.relay import Connection, decode_id, register_node, to_global_id
from schema.selection import connection_nodes, selection_tree


def _locale(info: Info, locale: str | None, channel: ChannelView) -> str:
    if locale is None:
        return channel.default_locale
    return check_locale(locale, info.context.settings.supported_locales)


async def _product_query(
    info: Info,
    channel: ChannelView,
    channel_given: bool,
    locale: str,
    search: str | None,
    filter: ProductFilter | None,
    sort_key: ProductSortKey,
    reverse: bool,
) -> ProductQuery:
    statuses = visible_statuses(info)
    query = ProductQuery(
        locale=locale,
        fallback_locale=channel.default_locale,
        # Staff browsing without naming a channel see the whole catalog.
        channel_id=channel.id if channel_given or not info.context.viewer.is_staff else None,
        currency_code=channel.currency_code,
        statuses=statuses,
        search=search.strip() or None if search else None,
        sort_key=sort_key,
        reverse=reverse,
    )
    if filter is None:
        return query
    if filter.status is not None:
        if not info.context.viewer.is_staff:
            raise Forbidden("Only staff may filter by status", field="filter.status")
        query.statuses = tuple(filter.status)
    if filter.category_handles:
        found = await repository.category_ids_by_handles(info.context.db, filter.category_handles)
        # Unknown categories match nothing rather than everything.
        query.category_ids = tuple(found.values()) or (-1,)
    for name in ("price_min", "price_max"):
        value = getattr(filter, name)
        if value is not None:
            if value < 0:
                raise Invalid("Prices cannot be negative", field=f"filter.{name}")
            setattr(query, name, to_minor(value, channel.currency_code, field=f"filter.{name}"))
    query.vendor = filter.vendor
    query.product_type = filter.product_type
    for extend in PRODUCT_FILTER_EXTENSIONS:
        await extend(info, filter, query, channel)
    return query


# Other domains narrow product lists with their own filter fields (stock, say): each gets
# the filter input and adds conditions to the query.
ProductFilterExtension = Callable[[Info, ProductFilter, ProductQuery, ChannelView], Awaitable[None]]
PRODUCT_FILTER_EXTENSIONS: list[ProductFilterExtension] = []


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
        chosen = await ctx.channel(channel)
        chosen_locale = _locale(info, locale, chosen)
        query = await _product_query(
            info, chosen, channel is not None, chosen_locale, search, filter, sort_key, reverse
        )
        page = await repository.product_page(
            ctx.db,
            query,
            PageRequest(first, after, last, before),
            default_size=ctx.settings.page_size_default,
            max_size=ctx.settings.page_size_max,
        )
        tree = connection_nodes(selection_tree(info))
        nodes = await build_products(info, page.items, tree, chosen, chosen_locale)
        return Connection[Product].from_page(page, nodes)

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
        chosen = await info.context.channel(channel)
        chosen_locale = _locale(info, locale, chosen)
        pk = (
            decode_id(id, "Product")
            if id is not None
            else await repository.product_id_by_handle(info.context.db, handle or "")
        )
        if pk is None:
            return None
        found = await products_for_ids(info, [pk], selection_tree(info), chosen, chosen_locale)
        return found.get(pk)

    @strawberry.field(permission_classes=[Public], description="One variant by SKU.")
    async def variant(
        self, info: Info, sku: str, channel: str | None = None
    ) -> ProductVariant | None:
        chosen = await info.context.channel(channel)
        views = await repository.variants_by_skus(info.context.db, [sku])
        built = await variants_for_views(info, list(views.values()), selection_tree(info), chosen)
        return built[0] if built else None

    @strawberry.field(permission_classes=[Public], description="Every category.")
    async def categories(self, info: Info) -> list[Category]:
        return [
            Category(id=strawberry.ID(to_global_id("Category", c.id)), handle=c.handle, name=c.name)
            for c in await repository.all_categories(info.context.db)
        ]


async def _product_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    channel = await info.context.channel()
    return await products_for_ids(info, ids, selection_tree(info), channel)


async def _variant_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    channel = await info.context.channel()
    views = await repository.variants_by_ids(info.context.db, ids)
    built = await variants_for_views(info, list(views.values()), selection_tree(info), channel)
    return {v.pk: v for v in built}


async def _category_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await repository.categories_by_ids(info.context.db, ids)
    return {
        i: Category(id=strawberry.ID(to_global_id("Category", c.id)), handle=c.handle, name=c.name)
        for i, c in found.items()
    }


register_node("Product", _product_nodes)
register_node("ProductVariant", _variant_nodes)
register_node("Category", _category_nodes)
