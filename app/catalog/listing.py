"""The product listing index (`product_listing`): its upkeep, and the page statement over it.

One row per product, channel it is published on, and locale, with the keys the storefront's
product lists sort by. A page of a sorted list then reads `first` rows in index order, and an
`after` cursor seeks into the index, whatever the catalog's size. Every write that changes a
product's titles, handle, status, timestamps, publications or prices refreshes its rows; the
seeders (demo data, benchmark) fill it for what they insert in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    Insert,
    Select,
    String,
    Table,
    Update,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from app.catalog.views import ProductSortKey
from app.kit.sql import forget_memos
from app.models.catalog import (
    Price,
    Product,
    ProductChannel,
    ProductListing,
    ProductTranslation,
    Variant,
)
from app.models.channel import Channel

LISTING: Table = ProductListing.__table__  # type: ignore[assignment]
_L = LISTING.c
_P = Product.__table__.c
_V = Variant.__table__.c
_PR = Price.__table__.c
_CH = Channel.__table__.c
_PC = ProductChannel.__table__.c

SORT_COLUMNS: dict[ProductSortKey, ColumnElement[Any]] = {
    ProductSortKey.TITLE: _L.title,
    ProductSortKey.PRICE: _L.price,
    ProductSortKey.CREATED_AT: _L.created_at,
    ProductSortKey.UPDATED_AT: _L.updated_at,
    ProductSortKey.HANDLE: _L.handle,
}


def _price_floor(product_id: ColumnElement[Any], currency: ColumnElement[Any]) -> Any:
    """The lowest variant price in a currency (0 without one), as a correlated subquery."""
    return (
        select(func.coalesce(func.min(_PR.amount), 0))
        .select_from(Price.__table__.join(Variant.__table__, _V.id == _PR.variant_id))
        .where(_V.product_id == product_id, _PR.currency_code == currency)
        .scalar_subquery()
    )


def _rows(locales: Sequence[str]) -> Select[Any]:
    """The listing rows of every published product: each channel it is on, in each supported
    locale and each channel's default locale (a list asked for without a locale uses it)."""
    codes = union(
        *(select(literal(code, String()).label("locale")) for code in locales),
        select(_CH.default_locale.label("locale")),
    ).subquery("listed_locale")
    wanted = aliased(ProductTranslation, name="t_wanted")
    fallback = aliased(ProductTranslation, name="t_fallback")
    return (
        select(
            _PC.channel_id,
            codes.c.locale,
            _P.id,
            _P.status,
            func.coalesce(wanted.title, fallback.title, _P.handle),
            _P.handle,
            _price_floor(_P.id, _CH.currency_code),
            _P.created_at,
            _P.updated_at,
        )
        .select_from(Product.__table__)
        .join(ProductChannel.__table__, _PC.product_id == _P.id)
        .join(Channel.__table__, _CH.id == _PC.channel_id)
        .join(codes, true())
        .outerjoin(wanted, and_(wanted.product_id == _P.id, wanted.locale == codes.c.locale))
        .outerjoin(
            fallback, and_(fallback.product_id == _P.id, fallback.locale == _CH.default_locale)
        )
    )


_COLUMNS = ("channel_id", "locale", "product_id", "status", "title", "handle", "price",
            "created_at", "updated_at")  # fmt: skip


def refresh_statements(
    product_ids: Sequence[int] | None, locales: Sequence[str]
) -> tuple[Delete, Insert]:
    """Statements that rebuild the rows of these products (of every product with None)."""
    remove = delete(LISTING)
    rows = _rows(locales)
    if product_ids is not None:
        remove = remove.where(_L.product_id.in_(list(product_ids)))
        rows = rows.where(_P.id.in_(list(product_ids)))
    return remove, insert(LISTING).from_select(list(_COLUMNS), rows)


def price_statement(product_ids: Sequence[int]) -> Update:
    """The statement that recomputes the price key of these products on every channel."""
    currency = (
        select(_CH.currency_code)
        .where(_CH.id == _L.channel_id)
        .correlate(LISTING)
        .scalar_subquery()
    )
    return (
        update(LISTING)
        .where(_L.product_id.in_(list(product_ids)))
        .values(price=_price_floor(_L.product_id, currency))
    )


def listed_locales_statement() -> Select[Any]:
    return select(_L.locale).distinct()


def page_source(
    stmt: Select[Any],
    product_id: ColumnElement[Any],
    channel_id: int,
    locale: str,
    statuses: Sequence[Any],
    filters: Sequence[ColumnElement[bool]],
    sort_key: ProductSortKey,
) -> tuple[Select[Any], ColumnElement[Any], Select[Any]]:
    """A product select narrowed to one channel's list in one locale, with its sort key
    (selected as `sort_value`) and the statement that counts the whole list.

    Counting still reads every listed row of the channel (an index-only scan of the listing
    when no other filter applies); it only runs when `totalCount` is asked for.
    """
    # One status (the storefront's ACTIVE) as an equality: the index then serves the order.
    if len(statuses) == 1:
        status = _L.status == statuses[0]
    else:
        status = _L.status.in_(list(statuses))
        forget_memos(status.right)  # type: ignore[attr-defined]
    on_list = [_L.channel_id == channel_id, _L.locale == locale, status]
    key = SORT_COLUMNS[sort_key]
    page = (
        stmt.join(LISTING, _L.product_id == product_id)
        .where(*on_list, *filters)
        .add_columns(key.label("sort_value"))
    )
    # The other filters are written against the product table; without any, the listing
    # alone answers the count.
    counted = LISTING.join(Product.__table__, _P.id == _L.product_id) if filters else LISTING
    count = select(func.count()).select_from(counted).where(*on_list, *filters)
    return page, _L.product_id, count


Executor = AsyncSession | AsyncConnection


async def refresh(
    executor: Executor, product_ids: Sequence[int] | None, locales: Sequence[str]
) -> None:
    """Rebuild the listing rows of these products (every product with None), inside the
    caller's transaction, after its changes are flushed."""
    remove, rebuild = refresh_statements(product_ids, locales)
    await executor.execute(remove)
    await executor.execute(rebuild)


async def refresh_prices(executor: Executor, product_ids: Sequence[int]) -> None:
    await executor.execute(price_statement(product_ids))


async def missing_locales(executor: Executor, locales: Sequence[str]) -> list[str]:
    """Supported locales the listing has no rows in although it has rows in others: the
    setting gained a locale since the rows were written."""
    listed = set((await executor.execute(listed_locales_statement())).scalars())
    return [code for code in locales if listed and code not in listed]
