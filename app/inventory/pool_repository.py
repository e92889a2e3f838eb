"""Channel stock pool SQL: which locations a channel sells from, and availability over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.inventory.tables import CL, POOL, L, S, V
from app.inventory.views import (
    ChannelPool,
    InventoryLevelView,
)
from app.kit.clock import utcnow
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.models.catalog import Product, ProductChannel, ProductStatus, Variant
from app.models.channel import Channel
from app.models.inventory import (
    ChannelLocation,
    ChannelStockPool,
    StockLevel,
)
from app.models.location import Location, LocationStatus


def _sellable() -> ColumnElement[int]:
    """Per-row availability floored at zero."""
    raw = S.on_hand - S.reserved - S.safety_stock
    return case((raw > 0, raw), else_=0)


async def all_pools(db: Database) -> dict[int, ChannelPool]:
    """Every channel's pool in one statement; a channel with no locations sells nothing."""
    ch = Channel.__table__.c
    stmt = (
        select(ch.id, POOL.buffer, CL.location_id)
        .select_from(Channel.__table__)
        .outerjoin(ChannelStockPool.__table__, POOL.channel_id == ch.id)
        .outerjoin(ChannelLocation.__table__, CL.channel_id == ch.id)
    )
    buffers: dict[int, int] = {}
    members: dict[int, set[int]] = defaultdict(set)
    async with db.read() as conn:
        for row in await conn.execute(stmt):
            buffers[row.id] = row.buffer or 0
            if row.location_id is not None:
                members[row.id].add(row.location_id)
    return {c: ChannelPool(c, frozenset(members[c]), buffers[c]) for c in buffers}


async def pool_of(db: Database, channel_id: int) -> ChannelPool:
    async with db.read() as conn:
        buffer = (
            await conn.execute(select(POOL.buffer).where(POOL.channel_id == channel_id))
        ).scalar_one_or_none()
        locations = (
            await conn.execute(select(CL.location_id).where(CL.channel_id == channel_id))
        ).scalars()
        return ChannelPool(channel_id, frozenset(locations), buffer or 0)


def _pool_join(channel_id: int) -> Any:
    return StockLevel.__table__.join(
        ChannelLocation.__table__,
        and_(CL.location_id == S.location_id, CL.channel_id == channel_id),
    ).join(Location.__table__, L.id == S.location_id)


async def inventory_level_page(
    db: Database,
    page: PageRequest,
    pool: ChannelPool,
    *,
    updated_since: datetime | None,
    default_size: int,
    max_size: int,
) -> Page[InventoryLevelView]:
    """Every SKU of the channel's active, published products, with stock summed over its pool.

    SKUs without stock in the pool are listed at zero, so a full sync sees the whole
    assortment; with `updated_since`, only SKUs whose stock (or the SKU itself) changed since,
    or all of them when the pool's configuration changed since.
    """
    open_sellable = case((L.status == LocationStatus.OPEN.value, _sellable()), else_=0)
    changed = func.coalesce(func.max(S.updated_at), V.updated_at)
    stmt: Select[Any] = (
        select(
            V.id.label("id"),
            V.sku,
            func.coalesce(func.sum(S.on_hand), 0).label("on_hand"),
            func.coalesce(func.sum(S.reserved), 0).label("reserved"),
            func.coalesce(func.sum(open_sellable), 0).label("sellable"),
            changed.label("updated_at"),
        )
        .select_from(Variant.__table__.outerjoin(_pool_join(pool.channel_id), S.variant_id == V.id))
        .where(
            exists().where(
                ProductChannel.product_id == V.product_id,
                ProductChannel.channel_id == pool.channel_id,
            ),
            exists().where(Product.id == V.product_id, Product.status == ProductStatus.ACTIVE),
        )
        .group_by(V.id, V.sku, V.updated_at)
    )
    if updated_since is not None and not await pool_changed_since(db, pool, updated_since):
        stmt = stmt.having(changed >= updated_since)

    def build(row: Any) -> InventoryLevelView:
        return InventoryLevelView(
            variant_id=row.id,
            sku=row.sku,
            on_hand=int(row.on_hand),
            reserved=int(row.reserved),
            available=max(0, int(row.sellable) - pool.buffer),
            updated_at=row.updated_at,
        )

    return await paginate(
        db, stmt, [SortColumn(V.id, "id")], page,
        default_size=default_size, max_size=max_size, build=build,
    )  # fmt: skip


def product_in_stock(pool: ChannelPool, product_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Some variant of the product has more available units in the pool than its buffer."""
    stmt = (
        select(S.variant_id)
        .select_from(_pool_join(pool.channel_id).join(Variant.__table__, V.id == S.variant_id))
        .where(
            V.product_id == product_id,
            L.status == LocationStatus.OPEN.value,
            S.on_hand - S.reserved - S.safety_stock > 0,
        )
        .group_by(S.variant_id)
        .having(func.sum(_sellable()) > pool.buffer)
    )
    return exists(stmt)


async def replace_pool(
    session: AsyncSession, channel_id: int, location_ids: Sequence[int], buffer: int
) -> None:
    await session.execute(delete(ChannelLocation).where(ChannelLocation.channel_id == channel_id))
    session.add_all(ChannelLocation(channel_id=channel_id, location_id=i) for i in location_ids)
    pool = await session.get(ChannelStockPool, channel_id)
    if pool is None:
        session.add(ChannelStockPool(channel_id=channel_id, buffer=buffer, changed_at=utcnow()))
    else:
        pool.buffer, pool.changed_at = buffer, utcnow()
    await session.flush()


async def pool_changed_since(db: Database, pool: ChannelPool, since: datetime) -> bool:
    """Whether the pool itself (members, buffer, a member's opening status) changed since."""
    member_changed = select(L.id).where(L.id.in_(list(pool.location_ids)), L.updated_at >= since)
    async with db.read() as conn:
        changed = await conn.execute(
            select(
                exists().where(POOL.channel_id == pool.channel_id, POOL.changed_at >= since)
                | exists(member_changed)
            )
        )
        return bool(changed.scalar())
