"""Catalog reads with their visibility rules.

Staff see products in every status; everyone else sees active ones only, and their variants
only through such products. Only staff may ask for other statuses. Staff listing products
without naming a channel see the whole catalog; everyone else sees what the channel sells.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.auth.viewer import Viewer
from app.catalog import repository
from app.catalog.assembly import products_with, variants_with
from app.catalog.service import check_locale
from app.catalog.views import (
    CategoryView,
    ProductListFilter,
    ProductParts,
    ProductQuery,
    ProductRead,
    ProductSortKey,
    VariantParts,
    VariantsRead,
    VariantView,
)
from app.channels.views import ChannelView
from app.database import Database
from app.errors import Forbidden, Invalid
from app.inventory import catalog_stock
from app.kit.money import to_minor
from app.kit.pagination import Page, PageRequest
from app.models.catalog import Product as ProductModel
from app.models.catalog import ProductStatus
from app.reference.cache import ReferenceCache


def visible_statuses(viewer: Viewer) -> tuple[ProductStatus, ...]:
    """Staff see every product; everyone else only active ones."""
    if viewer.is_staff:
        return tuple(ProductStatus)
    return (ProductStatus.ACTIVE,)


def locale_for(locale: str | None, channel: ChannelView, supported: Sequence[str]) -> str:
    """The locale asked for, else the channel's own."""
    if locale is None:
        return channel.default_locale
    return check_locale(locale, supported)


async def product_query(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    *,
    channel: ChannelView,
    channel_named: bool,
    locale: str,
    search: str | None = None,
    filter: ProductListFilter | None = None,
    sort_key: ProductSortKey = ProductSortKey.TITLE,
    reverse: bool = False,
) -> ProductQuery:
    """What a product list may show to this viewer, narrowed by the caller's filter."""
    query = ProductQuery(
        locale=locale,
        fallback_locale=channel.default_locale,
        channel_id=channel.id if channel_named or not viewer.is_staff else None,
        currency_code=channel.currency_code,
        statuses=visible_statuses(viewer),
        search=search.strip() or None if search else None,
        sort_key=sort_key,
        reverse=reverse,
    )
    if filter is None:
        return query
    if filter.statuses is not None:
        if not viewer.is_staff:
            raise Forbidden("Only staff may filter by status", field="filter.status")
        query.statuses = tuple(filter.statuses)
    if filter.category_handles:
        found = await repository.category_ids_by_handles(db, filter.category_handles)
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
    if filter.in_stock is not None:
        query.conditions.append(
            await catalog_stock.in_stock_condition(
                reference, channel.id, filter.in_stock, ProductModel.__table__.c.id
            )
        )
    return query


async def product_page(
    db: Database,
    reference: ReferenceCache,
    query: ProductQuery,
    page: PageRequest,
    parts: ProductParts,
    channel: ChannelView,
    *,
    default_size: int,
    max_size: int,
) -> Page[ProductRead]:
    """One page of a list built by `product_query` (which applied the viewer's rules)."""
    found = await repository.product_page(
        db, query, page, default_size=default_size, max_size=max_size
    )
    items = await products_with(db, reference, found.items, parts, channel, query.locale)
    return Page(
        items=items,
        cursors=found.cursors,
        has_next_page=found.has_next_page,
        has_previous_page=found.has_previous_page,
        count=found.count,
    )


async def products_by_ids(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    ids: Sequence[int],
    parts: ProductParts,
    channel: ChannelView,
    locale: str | None = None,
) -> dict[int, ProductRead]:
    """Products by id that this viewer may see; the others are left out."""
    views = await repository.products_by_ids(
        db, ids, locale or channel.default_locale, channel.default_locale
    )
    allowed = visible_statuses(viewer)
    visible = [views[i] for i in ids if i in views and views[i].status in allowed]
    built = await products_with(db, reference, visible, parts, channel, locale)
    return {p.view.id: p for p in built}


async def product_id_by_handle(db: Database, handle: str) -> int | None:
    return await repository.product_id_by_handle(db, handle)


async def _visible_variants(
    db: Database, viewer: Viewer, views: Sequence[VariantView]
) -> list[VariantView]:
    if not views:
        return []
    product_ids = list(dict.fromkeys(v.product_id for v in views))
    statuses = await repository.product_statuses(db, product_ids)
    allowed = visible_statuses(viewer)
    return [v for v in views if statuses.get(v.product_id) in allowed]


async def variants_of_views(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    views: Sequence[VariantView],
    parts: VariantParts,
    channel: ChannelView,
) -> VariantsRead:
    """The variants among `views` this viewer may see (those of visible products)."""
    visible = await _visible_variants(db, viewer, views)
    if not visible:
        return VariantsRead([])
    return await variants_with(db, reference, visible, parts, channel)


async def variant_by_sku(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    sku: str,
    parts: VariantParts,
    channel: ChannelView,
) -> VariantsRead:
    views = await repository.variants_by_skus(db, [sku])
    return await variants_of_views(db, reference, viewer, list(views.values()), parts, channel)


async def variants_by_ids(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    ids: Sequence[int],
    parts: VariantParts,
    channel: ChannelView,
) -> VariantsRead:
    views = await repository.variants_by_ids(db, ids)
    return await variants_of_views(db, reference, viewer, list(views.values()), parts, channel)


async def variant_views(db: Database, viewer: Viewer, ids: Sequence[int]) -> dict[int, VariantView]:
    """Bare variants by id that this viewer may see, for batching loaders."""
    found = await repository.variants_by_ids(db, ids)
    return {v.id: v for v in await _visible_variants(db, viewer, list(found.values()))}


async def categories(db: Database) -> list[CategoryView]:
    """Categories are public."""
    return await repository.all_categories(db)


async def categories_by_ids(db: Database, ids: Sequence[int]) -> dict[int, CategoryView]:
    return await repository.categories_by_ids(db, ids)
