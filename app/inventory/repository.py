"""All inventory SQL. Quantities only ever change through the guarded UPDATEs in `shift` and
`set_on_hand`, so the check and the write are one atomic statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.inventory.views import (
    ChannelPool,
    InventoryLevelView,
    LedgerDrift,
    MovementView,
    StockLevelView,
    TransferLineView,
    TransferView,
)
from app.kit.clock import utcnow
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.kit.sql import id_in
from app.models.catalog import Product, ProductChannel, ProductStatus, Variant
from app.models.channel import Channel
from app.models.inventory import (
    ChannelLocation,
    ChannelStockPool,
    InventoryMovement,
    InventoryTransfer,
    InventoryTransferLine,
    MovementKind,
    StockLevel,
    TransferStatus,
)
from app.models.location import Location, LocationStatus

_S = StockLevel.__table__.c
_M = InventoryMovement.__table__.c
_V = Variant.__table__.c
_L = Location.__table__.c
_CL = ChannelLocation.__table__.c
_POOL = ChannelStockPool.__table__.c
_TL = InventoryTransferLine.__table__.c
_T = InventoryTransfer.__table__.c

_LEVEL_COLUMNS = (
    _S.variant_id, _S.location_id, _S.on_hand, _S.reserved, _S.safety_stock, _S.incoming,
    _S.updated_at,
)  # fmt: skip


def _level(row: Any) -> StockLevelView:
    return StockLevelView(
        variant_id=row.variant_id,
        location_id=row.location_id,
        on_hand=row.on_hand,
        reserved=row.reserved,
        safety_stock=row.safety_stock,
        incoming=row.incoming,
        updated_at=row.updated_at,
    )


def _sellable() -> ColumnElement[int]:
    """Per-row availability floored at zero."""
    raw = _S.on_hand - _S.reserved - _S.safety_stock
    return case((raw > 0, raw), else_=0)


# Reads --------------------------------------------------------------------------------------


async def levels_of_variants(
    db: Database, variant_ids: Sequence[int]
) -> dict[int, dict[int, StockLevelView]]:
    grouped: dict[int, dict[int, StockLevelView]] = defaultdict(dict)
    if not variant_ids:
        return grouped
    stmt = select(*_LEVEL_COLUMNS).where(id_in(_S.variant_id, variant_ids, db.engine.dialect.name))
    async with db.read() as conn:
        for row in await conn.execute(stmt):
            grouped[row.variant_id][row.location_id] = _level(row)
    return grouped


async def all_pools(db: Database) -> dict[int, ChannelPool]:
    """Every channel's pool in one statement; a channel with no locations sells nothing."""
    ch = Channel.__table__.c
    stmt = (
        select(ch.id, _POOL.buffer, _CL.location_id)
        .select_from(Channel.__table__)
        .outerjoin(ChannelStockPool.__table__, _POOL.channel_id == ch.id)
        .outerjoin(ChannelLocation.__table__, _CL.channel_id == ch.id)
    )
    buffers: dict[int, int] = {}
    members: dict[int, set[int]] = defaultdict(set)
    async with db.read() as conn:
        for row in await conn.execute(stmt):
            buffers[row.id] = row.buffer or 0
            if row.location_id is not None:
                members[row.id].add(row.location_id)
    return {c: ChannelPool(c, frozenset(members[c]), buffers[c]) for c in buffers}


async def movement_page(
    db: Database,
    page: PageRequest,
    *,
    variant_id: int | None,
    location_id: int | None,
    default_size: int,
    max_size: int,
) -> Page[MovementView]:
    stmt = select(
        _M.id, _M.variant_id, _V.sku, _M.location_id, _M.kind, _M.quantity, _M.on_hand_after,
        _M.reason, _M.actor_staff_id, _M.reference_type, _M.reference_id, _M.transfer_id,
        _M.created_at,
    ).join(Variant.__table__, _V.id == _M.variant_id)  # fmt: skip
    if variant_id is not None:
        stmt = stmt.where(_M.variant_id == variant_id)
    if location_id is not None:
        stmt = stmt.where(_M.location_id == location_id)
    order = [
        SortColumn(_M.created_at, "created_at", descending=True),
        SortColumn(_M.id, "id", descending=True),
    ]

    def build(row: Any) -> MovementView:
        return MovementView(
            id=row.id, variant_id=row.variant_id, sku=row.sku, location_id=row.location_id,
            kind=MovementKind(row.kind), quantity=row.quantity, on_hand_after=row.on_hand_after,
            reason=row.reason, actor_staff_id=row.actor_staff_id,
            reference_type=row.reference_type, reference_id=row.reference_id,
            transfer_id=row.transfer_id, created_at=row.created_at,
        )  # fmt: skip

    return await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size, build=build
    )


def _pool_join(channel_id: int) -> Any:
    return StockLevel.__table__.join(
        ChannelLocation.__table__,
        and_(_CL.location_id == _S.location_id, _CL.channel_id == channel_id),
    ).join(Location.__table__, _L.id == _S.location_id)


async def inventory_level_page(
    db: Database,
    page: PageRequest,
    pool: ChannelPool,
    *,
    updated_since: datetime | None,
    default_size: int,
    max_size: int,
) -> Page[InventoryLevelView]:
    """Per SKU of the channel's active, published products: stock summed over its pool."""
    open_sellable = case((_L.status == LocationStatus.OPEN.value, _sellable()), else_=0)
    stmt: Select[Any] = (
        select(
            _V.id.label("id"),
            _V.sku,
            func.sum(_S.on_hand).label("on_hand"),
            func.sum(_S.reserved).label("reserved"),
            func.sum(open_sellable).label("sellable"),
            func.max(_S.updated_at).label("updated_at"),
        )
        .select_from(_pool_join(pool.channel_id).join(Variant.__table__, _V.id == _S.variant_id))
        .where(
            exists().where(
                ProductChannel.product_id == _V.product_id,
                ProductChannel.channel_id == pool.channel_id,
            ),
            exists().where(Product.id == _V.product_id, Product.status == ProductStatus.ACTIVE),
        )
        .group_by(_V.id, _V.sku)
    )
    if updated_since is not None:
        stmt = stmt.having(func.max(_S.updated_at) >= updated_since)

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
        db, stmt, [SortColumn(_V.id, "id")], page,
        default_size=default_size, max_size=max_size, build=build,
    )  # fmt: skip


def product_in_stock(pool: ChannelPool, product_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Some variant of the product has more available units in the pool than its buffer."""
    stmt = (
        select(_S.variant_id)
        .select_from(_pool_join(pool.channel_id).join(Variant.__table__, _V.id == _S.variant_id))
        .where(
            _V.product_id == product_id,
            _L.status == LocationStatus.OPEN.value,
            _S.on_hand - _S.reserved - _S.safety_stock > 0,
        )
        .group_by(_S.variant_id)
        .having(func.sum(_sellable()) > pool.buffer)
    )
    return exists(stmt)


async def pool_of(db: Database, channel_id: int) -> ChannelPool:
    async with db.read() as conn:
        buffer = (
            await conn.execute(select(_POOL.buffer).where(_POOL.channel_id == channel_id))
        ).scalar_one_or_none()
        locations = (
            await conn.execute(select(_CL.location_id).where(_CL.channel_id == channel_id))
        ).scalars()
        return ChannelPool(channel_id, frozenset(locations), buffer or 0)


def _transfer(r: Any) -> TransferView:
    return TransferView(
        r.id, r.from_location_id, r.to_location_id, TransferStatus(r.status), r.reference,
        r.created_by_id, r.created_at, r.received_at,
    )  # fmt: skip


async def transfers_by_ids(db: Database, ids: Sequence[int]) -> dict[int, TransferView]:
    if not ids:
        return {}
    dialect = db.engine.dialect.name
    transfers = select(
        _T.id, _T.from_location_id, _T.to_location_id, _T.status, _T.reference,
        _T.created_by_id, _T.created_at, _T.received_at,
    ).where(id_in(_T.id, ids, dialect))  # fmt: skip
    lines = (
        select(_TL.transfer_id, _TL.variant_id, _V.sku, _TL.quantity_sent, _TL.quantity_received)
        .join(Variant.__table__, _V.id == _TL.variant_id)
        .where(id_in(_TL.transfer_id, ids, dialect))
        .order_by(_TL.transfer_id, _TL.id)
    )
    async with db.read() as conn:
        found = {r.id: _transfer(r) for r in await conn.execute(transfers)}
        for r in await conn.execute(lines):
            found[r.transfer_id].lines.append(
                TransferLineView(r.variant_id, r.sku, r.quantity_sent, r.quantity_received)
            )
    return found


async def ledger_drift(db: Database) -> list[LedgerDrift]:
    """Stock levels whose on-hand differs from the sum of their movements."""
    sums = (
        select(_M.variant_id, _M.location_id, func.sum(_M.quantity).label("total"))
        .group_by(_M.variant_id, _M.location_id)
        .subquery()
    )
    total = func.coalesce(sums.c.total, 0)
    with_level = (
        select(_S.variant_id, _S.location_id, _S.on_hand, total.label("total"))
        .outerjoin(
            sums, and_(sums.c.variant_id == _S.variant_id, sums.c.location_id == _S.location_id)
        )
        .where(_S.on_hand != total)
    )
    without_level = select(sums.c.variant_id, sums.c.location_id, sums.c.total).where(
        sums.c.total != 0,
        ~exists().where(_S.variant_id == sums.c.variant_id, _S.location_id == sums.c.location_id),
    )
    async with db.read() as conn:
        drift = [
            LedgerDrift(r.variant_id, r.location_id, r.on_hand, int(r.total))
            for r in await conn.execute(with_level)
        ]
        drift += [
            LedgerDrift(r.variant_id, r.location_id, 0, int(r.total))
            for r in await conn.execute(without_level)
        ]
    return drift


async def count_levels(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(StockLevel))).scalar_one())


# Writes (inside a unit of work) -------------------------------------------------------------


async def variant_ids_by_sku(session: AsyncSession, skus: Iterable[str]) -> dict[str, int]:
    rows = await session.execute(select(_V.sku, _V.id).where(_V.sku.in_(list(skus))))
    return {r.sku: r.id for r in rows}


async def skus_of_variants(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    rows = await session.execute(select(_V.id, _V.sku).where(_V.id.in_(list(ids))))
    return {r.id: r.sku for r in rows}


async def ensure_levels(session: AsyncSession, pairs: Iterable[tuple[int, int]]) -> None:
    """Create missing (variant, location) levels at zero; existing ones are left alone."""
    values = [
        {"variant_id": v, "location_id": loc, "on_hand": 0, "reserved": 0, "safety_stock": 0,
         "incoming": 0, "updated_at": utcnow()}
        for v, loc in dict.fromkeys(pairs)
    ]  # fmt: skip
    if not values:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(StockLevel).values(values)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["variant_id", "location_id"]))


async def shift(
    session: AsyncSession,
    variant_id: int,
    location_id: int,
    *,
    on_hand: int = 0,
    reserved: int = 0,
    incoming: int = 0,
    within_available: bool = False,
) -> StockLevelView | None:
    """Add the given deltas in one guarded UPDATE; None when the guard refused (or no row).

    The guard keeps reserved within on-hand and everything non-negative; with
    `within_available` the result must also leave safety stock untouched, which is what
    promising units to an order needs.
    """
    new_on_hand = _S.on_hand + on_hand
    new_reserved = _S.reserved + reserved
    guards = [new_reserved >= 0, new_on_hand >= new_reserved, _S.incoming + incoming >= 0]
    if within_available:
        guards.append(new_on_hand - new_reserved - _S.safety_stock >= 0)
    stmt = (
        update(StockLevel)
        .where(_S.variant_id == variant_id, _S.location_id == location_id, *guards)
        .values(
            on_hand=new_on_hand,
            reserved=new_reserved,
            incoming=_S.incoming + incoming,
            updated_at=utcnow(),
        )
        .returning(*_LEVEL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


async def level_for_update(
    session: AsyncSession, variant_id: int, location_id: int
) -> StockLevelView | None:
    stmt = (
        select(*_LEVEL_COLUMNS)
        .where(_S.variant_id == variant_id, _S.location_id == location_id)
        .with_for_update()
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


async def set_on_hand(
    session: AsyncSession, variant_id: int, location_id: int, quantity: int, previous: int
) -> StockLevelView | None:
    """Set on-hand to a counted quantity, only if it still is `previous`."""
    stmt = (
        update(StockLevel)
        .where(
            _S.variant_id == variant_id,
            _S.location_id == location_id,
            _S.on_hand == previous,
            _S.reserved <= quantity,
        )
        .values(on_hand=quantity, updated_at=utcnow())
        .returning(*_LEVEL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


async def set_safety_stock(
    session: AsyncSession, variant_id: int, location_id: int, quantity: int
) -> StockLevelView | None:
    stmt = (
        update(StockLevel)
        .where(_S.variant_id == variant_id, _S.location_id == location_id)
        .values(safety_stock=quantity, updated_at=utcnow())
        .returning(*_LEVEL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


def add_movement(
    session: AsyncSession,
    level: StockLevelView,
    kind: MovementKind,
    quantity: int,
    *,
    reason: str = "",
    actor_staff_id: int | None = None,
    reference_type: str | None = None,
    reference_id: str | None = None,
    transfer_id: int | None = None,
) -> None:
    session.add(
        InventoryMovement(
            variant_id=level.variant_id,
            location_id=level.location_id,
            kind=kind,
            quantity=quantity,
            on_hand_after=level.on_hand,
            reason=reason,
            actor_staff_id=actor_staff_id,
            reference_type=reference_type,
            reference_id=reference_id,
            transfer_id=transfer_id,
            created_at=level.updated_at,
        )
    )


async def transfer_for_update(session: AsyncSession, transfer_id: int) -> InventoryTransfer | None:
    stmt = select(InventoryTransfer).where(InventoryTransfer.id == transfer_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def transfer_lines(session: AsyncSession, transfer_id: int) -> list[InventoryTransferLine]:
    stmt = (
        select(InventoryTransferLine)
        .where(InventoryTransferLine.transfer_id == transfer_id)
        .order_by(InventoryTransferLine.id)
    )
    return list((await session.execute(stmt)).scalars())


async def replace_pool(
    session: AsyncSession, channel_id: int, location_ids: Sequence[int], buffer: int
) -> None:
    await session.execute(delete(ChannelLocation).where(ChannelLocation.channel_id == channel_id))
    session.add_all(ChannelLocation(channel_id=channel_id, location_id=i) for i in location_ids)
    pool = await session.get(ChannelStockPool, channel_id)
    if pool is None:
        session.add(ChannelStockPool(channel_id=channel_id, buffer=buffer))
    else:
        pool.buffer = buffer
    await session.flush()
