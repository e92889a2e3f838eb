"""All catalog SQL: Core selects into plain views for reads, ORM for writes."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.catalog import listing
from app.catalog.views import (
    CategoryView,
    MediaView,
    PriceView,
    ProductQuery,
    ProductSortKey,
    ProductView,
    VariantView,
)
from app.database import Database
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.kit.sql import escape_like, id_in
from app.models.catalog import (
    Category,
    Price,
    Product,
    ProductCategory,
    ProductChannel,
    ProductMedia,
    ProductStatus,
    ProductTranslation,
    Variant,
)

_P = Product.__table__.c
_V = Variant.__table__.c
_PR = Price.__table__.c


def _pairs_text(column: Any) -> Any:
    """A JSON column of name/value pairs selected as its text, for `_decode_pairs`."""
    return cast(column, Text).label(column.key)


@functools.lru_cache(maxsize=4096)
def _decode_pairs(raw: str | None) -> list[dict[str, Any]]:
    """Options and attributes repeat across a catalog (a handful of sizes and colours), so
    each distinct text is parsed once, not once per row read. The lists are shared between
    views: read models are never changed in place."""
    decoded = json.loads(raw) if raw else None
    return decoded if isinstance(decoded, list) else []


@functools.lru_cache(maxsize=64)
def _product_select(locale: str, fallback_locale: str) -> tuple[Select[Any], ColumnElement[Any]]:
    """Products with title and description in a locale, falling back to another, then handle.

    Built once per pair of locales: statements are immutable (each `.where()` makes a new
    one), and building this one per request made ~180 objects in reference cycles
    (the aliased translation tables) for the cycle collector to free."""
    joins = [(aliased(ProductTranslation, name="t_wanted"), locale)]
    # With the same locale twice the fallback join would find the same row; leaving it out
    # spares PostgreSQL a hash join over the whole catalog on every sorted page.
    if fallback_locale != locale:
        joins.append((aliased(ProductTranslation, name="t_fallback"), fallback_locale))
    title = func.coalesce(*(t.title for t, _ in joins), _P.handle)
    stmt = select(
        _P.id,
        _P.handle,
        _P.status,
        _P.vendor,
        _P.product_type,
        _pairs_text(_P.attributes),
        title.label("title"),
        func.coalesce(*(t.description for t, _ in joins), literal("")).label("description"),
        _P.created_at,
        _P.updated_at,
    ).select_from(Product.__table__)
    for translation, code in joins:
        stmt = stmt.outerjoin(
            translation, and_(translation.product_id == _P.id, translation.locale == code)
        )
    return stmt, title


def _product_view(row: Any) -> ProductView:
    return ProductView(
        id=row.id,
        handle=row.handle,
        status=row.status,
        vendor=row.vendor,
        product_type=row.product_type,
        attributes=_decode_pairs(row.attributes),
        title=row.title,
        description=row.description,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _price_floor(currency_code: str | None) -> ColumnElement[Any]:
    """The lowest variant price in a currency, for sorting by price."""
    return (
        select(func.coalesce(func.min(_PR.amount), 0))
        .select_from(Price.__table__.join(Variant.__table__, _V.id == _PR.variant_id))
        .where(_V.product_id == _P.id, _PR.currency_code == (currency_code or ""))
        .scalar_subquery()
    )


def _filters(query: ProductQuery) -> list[ColumnElement[bool]]:
    """What narrows a product list besides its channel and statuses."""
    where: list[ColumnElement[bool]] = [*query.conditions]
    if query.search:
        term = f"%{escape_like(query.search.strip().lower())}%"
        where.append(
            or_(
                exists().where(
                    ProductTranslation.product_id == _P.id,
                    func.lower(ProductTranslation.title).like(term, escape="\\"),
                ),
                exists().where(_V.product_id == _P.id, func.lower(_V.sku).like(term, escape="\\")),
                func.lower(_P.handle).like(term, escape="\\"),
            )
        )
    if query.category_ids:
        where.append(
            exists().where(
                ProductCategory.product_id == _P.id,
                ProductCategory.category_id.in_(query.category_ids),
            )
        )
    if query.price_min is not None or query.price_max is not None:
        bounds = [_V.product_id == _P.id, _PR.currency_code == (query.currency_code or "")]
        if query.price_min is not None:
            bounds.append(_PR.amount >= query.price_min)
        if query.price_max is not None:
            bounds.append(_PR.amount <= query.price_max)
        where.append(
            exists()
            .select_from(Price.__table__.join(Variant.__table__, _V.id == _PR.variant_id))
            .where(*bounds)
        )
    if query.vendor:
        where.append(_P.vendor == query.vendor)
    if query.product_type:
        where.append(_P.product_type == query.product_type)
    return where


def _sort(
    query: ProductQuery, stmt: Select[Any], title: ColumnElement[Any]
) -> tuple[Select[Any], list[SortColumn]]:
    desc = query.reverse
    expression: ColumnElement[Any]
    match query.sort_key:
        case ProductSortKey.TITLE:
            expression = title
        case ProductSortKey.CREATED_AT:
            expression = _P.created_at
        case ProductSortKey.UPDATED_AT:
            expression = _P.updated_at
        case ProductSortKey.HANDLE:
            expression = _P.handle
        case ProductSortKey.PRICE:
            expression = _price_floor(query.currency_code)
    stmt = stmt.add_columns(expression.label("sort_value"))
    order = [SortColumn(expression, "sort_value", desc), SortColumn(_P.id, "id", desc)]
    return stmt, order


async def product_page(
    db: Database, query: ProductQuery, page: PageRequest, *, default_size: int, max_size: int
) -> Page[ProductView]:
    stmt, title = _product_select(query.locale, query.fallback_locale)
    if query.channel_id is None:
        # Staff browsing the whole catalog, on no channel: sorted on the fly.
        where = [_P.status.in_(query.statuses), *_filters(query)]
        stmt, order = _sort(query, stmt.where(*where), title)
        return await paginate(db, stmt, order, page, default_size=default_size,
                              max_size=max_size, build=_product_view)  # fmt: skip
    # A channel's list reads its listing rows in index order (app/catalog/listing.py).
    stmt, tiebreak, count = listing.page_source(
        stmt, _P.id, query.channel_id, query.locale, query.statuses, _filters(query),
        query.sort_key,
    )  # fmt: skip
    order = [
        SortColumn(listing.SORT_COLUMNS[query.sort_key], "sort_value", query.reverse),
        SortColumn(tiebreak, "id", query.reverse),
    ]
    return await paginate(db, stmt, order, page, default_size=default_size, max_size=max_size,
                          build=_product_view, count_statement=count)  # fmt: skip


async def products_by_ids(
    db: Database, ids: Sequence[int], locale: str, fallback_locale: str
) -> dict[int, ProductView]:
    if not ids:
        return {}
    stmt, _ = _product_select(locale, fallback_locale)
    stmt = stmt.where(id_in(_P.id, ids, db.engine.dialect.name))
    async with db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    return {row.id: _product_view(row) for row in rows}


async def product_id_by_handle(db: Database, handle: str) -> int | None:
    async with db.read() as conn:
        return (await conn.execute(select(_P.id).where(_P.handle == handle))).scalar_one_or_none()


def _variant_view(row: Any) -> VariantView:
    # Unpacked by position (the order of _VARIANT_COLUMNS): a Row's attribute access costs
    # several times more, and this runs for every variant of a page.
    id_, product_id, sku, title, barcode, options, position, created_at, updated_at = row
    return VariantView(
        id=id_,
        product_id=product_id,
        sku=sku,
        title=title,
        barcode=barcode,
        options=_decode_pairs(options),
        position=position,
        created_at=created_at,
        updated_at=updated_at,
    )


_VARIANT_COLUMNS = (
    _V.id, _V.product_id, _V.sku, _V.title, _V.barcode, _pairs_text(_V.options), _V.position,
    _V.created_at,
    _V.updated_at,
)  # fmt: skip


async def variants_of_products(
    db: Database, product_ids: Sequence[int]
) -> dict[int, list[VariantView]]:
    grouped: dict[int, list[VariantView]] = defaultdict(list)
    if not product_ids:
        return grouped
    stmt = (
        select(*_VARIANT_COLUMNS)
        .where(id_in(_V.product_id, product_ids, db.engine.dialect.name))
        .order_by(_V.product_id, _V.position, _V.id)
    )
    async with db.read() as conn:
        for row in (await conn.execute(stmt)).all():
            view = _variant_view(row)
            grouped[view.product_id].append(view)
    return grouped


async def variants_by_ids(db: Database, ids: Sequence[int]) -> dict[int, VariantView]:
    if not ids:
        return {}
    stmt = select(*_VARIANT_COLUMNS).where(id_in(_V.id, ids, db.engine.dialect.name))
    async with db.read() as conn:
        return {row.id: _variant_view(row) for row in (await conn.execute(stmt)).all()}


async def variants_by_skus(db: Database, skus: Sequence[str]) -> dict[str, VariantView]:
    if not skus:
        return {}
    stmt = select(*_VARIANT_COLUMNS).where(_V.sku.in_(list(skus)))
    async with db.read() as conn:
        return {row.sku: _variant_view(row) for row in (await conn.execute(stmt)).all()}


async def prices_of_variants(
    db: Database, variant_ids: Sequence[int]
) -> dict[int, dict[str, PriceView]]:
    grouped: dict[int, dict[str, PriceView]] = defaultdict(dict)
    if not variant_ids:
        return grouped
    stmt = select(_PR.variant_id, _PR.currency_code, _PR.amount, _PR.compare_at_amount).where(
        id_in(_PR.variant_id, variant_ids, db.engine.dialect.name)
    )
    async with db.read() as conn:
        for variant_id, currency_code, amount, compare_at_amount in await conn.execute(stmt):
            grouped[variant_id][currency_code] = PriceView(
                variant_id, currency_code, amount, compare_at_amount
            )
    return grouped


async def media_of_products(db: Database, product_ids: Sequence[int]) -> dict[int, list[MediaView]]:
    grouped: dict[int, list[MediaView]] = defaultdict(list)
    if not product_ids:
        return grouped
    m = ProductMedia.__table__.c
    stmt = (
        select(m.id, m.product_id, m.url, m.alt_text, m.position)
        .where(id_in(m.product_id, product_ids, db.engine.dialect.name))
        .order_by(m.product_id, m.position, m.id)
    )
    async with db.read() as conn:
        for row in (await conn.execute(stmt)).all():
            grouped[row.product_id].append(
                MediaView(row.id, row.product_id, row.url, row.alt_text, row.position)
            )
    return grouped


_C = Category.__table__.c


async def categories_of_products(
    db: Database, product_ids: Sequence[int]
) -> dict[int, list[CategoryView]]:
    grouped: dict[int, list[CategoryView]] = defaultdict(list)
    if not product_ids:
        return grouped
    link = ProductCategory.__table__.c
    stmt = (
        select(link.product_id, _C.id, _C.handle, _C.name, _C.parent_id)
        .join(Category.__table__, _C.id == link.category_id)
        .where(id_in(link.product_id, product_ids, db.engine.dialect.name))
        .order_by(link.product_id, _C.position, _C.id)
    )
    async with db.read() as conn:
        for row in (await conn.execute(stmt)).all():
            grouped[row.product_id].append(
                CategoryView(row.id, row.handle, row.name, row.parent_id)
            )
    return grouped


async def channel_ids_of_products(db: Database, product_ids: Sequence[int]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    if not product_ids:
        return grouped
    link = ProductChannel.__table__.c
    stmt = (
        select(link.product_id, link.channel_id)
        .where(id_in(link.product_id, product_ids, db.engine.dialect.name))
        .order_by(link.product_id, link.channel_id)
    )
    async with db.read() as conn:
        for row in (await conn.execute(stmt)).all():
            grouped[row.product_id].append(row.channel_id)
    return grouped


async def all_categories(db: Database) -> list[CategoryView]:
    stmt = select(_C.id, _C.handle, _C.name, _C.parent_id).order_by(_C.position, _C.id)
    async with db.read() as conn:
        return [
            CategoryView(r.id, r.handle, r.name, r.parent_id) for r in (await conn.execute(stmt))
        ]


async def categories_by_ids(db: Database, ids: Sequence[int]) -> dict[int, CategoryView]:
    stmt = select(_C.id, _C.handle, _C.name, _C.parent_id).where(_C.id.in_(list(ids)))
    async with db.read() as conn:
        return {
            r.id: CategoryView(r.id, r.handle, r.name, r.parent_id)
            for r in await conn.execute(stmt)
        }


async def category_ids_by_handles(db: Database, handles: Sequence[str]) -> dict[str, int]:
    stmt = select(_C.handle, _C.id).where(_C.handle.in_(list(handles)))
    async with db.read() as conn:
        return {r.handle: r.id for r in await conn.execute(stmt)}


# Writes (ORM, inside the caller's unit of work).


async def get_product(session: AsyncSession, product_id: int) -> Product | None:
    return await session.get(Product, product_id)


async def get_variant(session: AsyncSession, variant_id: int) -> Variant | None:
    return await session.get(Variant, variant_id)


async def _taken(
    session: AsyncSession, column: Any, id_column: Any, value: str, except_id: int | None
) -> bool:
    """Whether another row already holds `value` in a unique column."""
    stmt = select(id_column).where(column == value)
    if except_id is not None:
        stmt = stmt.where(id_column != except_id)
    return (await session.execute(stmt)).first() is not None


async def handle_taken(session: AsyncSession, handle: str, except_id: int | None = None) -> bool:
    return await _taken(session, Product.handle, Product.id, handle, except_id)


async def sku_taken(session: AsyncSession, sku: str, except_id: int | None = None) -> bool:
    return await _taken(session, Variant.sku, Variant.id, sku, except_id)


async def barcode_taken(session: AsyncSession, barcode: str, except_id: int | None = None) -> bool:
    return await _taken(session, Variant.barcode, Variant.id, barcode, except_id)


async def translations_of(session: AsyncSession, product_id: int) -> dict[str, ProductTranslation]:
    rows = await session.execute(
        select(ProductTranslation).where(ProductTranslation.product_id == product_id)
    )
    return {t.locale: t for t in rows.scalars()}


async def prices_of(session: AsyncSession, variant_id: int) -> dict[str, Price]:
    rows = await session.execute(select(Price).where(Price.variant_id == variant_id))
    return {p.currency_code: p for p in rows.scalars()}


async def category_ids_for_handles(session: AsyncSession, handles: Sequence[str]) -> dict[str, int]:
    rows = await session.execute(
        select(Category.handle, Category.id).where(Category.handle.in_(list(handles)))
    )
    return {r.handle: r.id for r in rows}


async def replace_categories(
    session: AsyncSession, product_id: int, category_ids: Sequence[int]
) -> None:
    await session.execute(delete(ProductCategory).where(ProductCategory.product_id == product_id))
    session.add_all(ProductCategory(product_id=product_id, category_id=c) for c in category_ids)


async def replace_channels(
    session: AsyncSession, product_id: int, channel_ids: Sequence[int]
) -> None:
    await session.execute(delete(ProductChannel).where(ProductChannel.product_id == product_id))
    session.add_all(ProductChannel(product_id=product_id, channel_id=c) for c in channel_ids)


async def replace_media(
    session: AsyncSession, product_id: int, media: Sequence[ProductMedia]
) -> None:
    await session.execute(delete(ProductMedia).where(ProductMedia.product_id == product_id))
    session.add_all(media)


async def next_variant_position(session: AsyncSession, product_id: int) -> int:
    result = await session.execute(
        select(func.coalesce(func.max(Variant.position), -1)).where(
            Variant.product_id == product_id
        )
    )
    return int(result.scalar_one()) + 1


async def product_statuses(db: Database, ids: Sequence[int]) -> dict[int, ProductStatus]:
    if not ids:
        return {}
    stmt = select(_P.id, _P.status).where(id_in(_P.id, ids, db.engine.dialect.name))
    async with db.read() as conn:
        return {r.id: ProductStatus(r.status) for r in await conn.execute(stmt)}
