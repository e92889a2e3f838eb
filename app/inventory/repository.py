"""Stock level and ledger SQL. Quantities only ever change through the guarded UPDATEs in
`shift` and `set_on_hand`, so the check and the write are one atomic statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.inventory.tables import LEVEL_COLUMNS, M, S, V
from app.inventory.views import (
    LedgerDrift,
    MovementView,
    StockLevelView,
)
from app.kit.clock import utcnow
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.kit.sql import id_in
from app.models.catalog import Variant
from app.models.inventory import (
    InventoryMovement,
    MovementKind,
    StockLevel,
)


def _level(row: Any) -> StockLevelView:
    """A level from a row of LEVEL_COLUMNS, unpacked by position (far cheaper per row than
    attribute access, and listings build hundreds)."""
    variant_id, location_id, on_hand, reserved, safety_stock, incoming, updated_at = row
    return StockLevelView(
        variant_id=variant_id,
        location_id=location_id,
        on_hand=on_hand,
        reserved=reserved,
        safety_stock=safety_stock,
        incoming=incoming,
        updated_at=updated_at,
    )


async def levels_of_variants(
    db: Database, variant_ids: Sequence[int]
) -> dict[int, dict[int, StockLevelView]]:
    grouped: dict[int, dict[int, StockLevelView]] = defaultdict(dict)
    if not variant_ids:
        return grouped
    stmt = select(*LEVEL_COLUMNS).where(id_in(S.variant_id, variant_ids, db.engine.dialect.name))
    async with db.read() as conn:
        for row in (await conn.execute(stmt)).all():
            level = _level(row)
            grouped[level.variant_id][level.location_id] = level
    return grouped


def _movement_select() -> Select[Any]:
    return select(
        M.id, M.variant_id, V.sku, M.location_id, M.kind, M.quantity, M.on_hand_after,
        M.reason, M.actor_staff_id, M.reference_type, M.reference_id, M.transfer_id,
        M.created_at,
    ).join(Variant.__table__, V.id == M.variant_id)  # fmt: skip


def _movement(row: Any) -> MovementView:
    return MovementView(
        id=row.id, variant_id=row.variant_id, sku=row.sku, location_id=row.location_id,
        kind=MovementKind(row.kind), quantity=row.quantity, on_hand_after=row.on_hand_after,
        reason=row.reason, actor_staff_id=row.actor_staff_id, reference_type=row.reference_type,
        reference_id=row.reference_id, transfer_id=row.transfer_id, created_at=row.created_at,
    )  # fmt: skip


async def movement_page(
    db: Database,
    page: PageRequest,
    *,
    variant_id: int | None,
    location_id: int | None,
    default_size: int,
    max_size: int,
) -> Page[MovementView]:
    """Movements newest first; the indexes on (variant|location, created_at, id) serve both."""
    stmt = _movement_select()
    if variant_id is not None:
        stmt = stmt.where(M.variant_id == variant_id)
    if location_id is not None:
        stmt = stmt.where(M.location_id == location_id)
    order = [
        SortColumn(M.created_at, "created_at", descending=True),
        SortColumn(M.id, "id", descending=True),
    ]
    return await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size, build=_movement
    )


async def movements_by_ids(db: Database, ids: Sequence[int]) -> dict[int, MovementView]:
    if not ids:
        return {}
    stmt = _movement_select().where(id_in(M.id, ids, db.engine.dialect.name))
    async with db.read() as conn:
        return {row.id: _movement(row) for row in await conn.execute(stmt)}


async def ledger_drift(db: Database) -> list[LedgerDrift]:
    """Stock levels whose on-hand differs from the sum of their movements."""
    sums = (
        select(M.variant_id, M.location_id, func.sum(M.quantity).label("total"))
        .group_by(M.variant_id, M.location_id)
        .subquery()
    )
    total = func.coalesce(sums.c.total, 0)
    with_level = (
        select(S.variant_id, S.location_id, S.on_hand, total.label("total"))
        .outerjoin(
            sums, and_(sums.c.variant_id == S.variant_id, sums.c.location_id == S.location_id)
        )
        .where(S.on_hand != total)
    )
    without_level = select(sums.c.variant_id, sums.c.location_id, sums.c.total).where(
        sums.c.total != 0,
        ~exists().where(S.variant_id == sums.c.variant_id, S.location_id == sums.c.location_id),
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


async def variant_ids_by_sku(session: AsyncSession, skus: Iterable[str]) -> dict[str, int]:
    rows = await session.execute(select(V.sku, V.id).where(V.sku.in_(list(skus))))
    return {r.sku: r.id for r in rows}


async def skus_of_variants(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    rows = await session.execute(select(V.id, V.sku).where(V.id.in_(list(ids))))
    return {r.id: r.sku for r in rows}


async def ensure_levels(session: AsyncSession, pairs: Iterable[tuple[int, int]]) -> None:
    """Create missing (variant, location) levels at zero; existing ones are left alone."""
    values = [
        {"variant_id": v, "location_id": loc, "on_hand": 0, "reserved": 0, "safety_stock": 0,
         "incoming": 0, "updated_at": utcnow()}
        # Inserted in the same (location, variant) order every writer locks rows in.
        for v, loc in sorted(set(pairs), key=lambda pair: (pair[1], pair[0]))
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
    new_on_hand = S.on_hand + on_hand
    new_reserved = S.reserved + reserved
    guards = [new_reserved >= 0, new_on_hand >= new_reserved, S.incoming + incoming >= 0]
    if within_available:
        guards.append(new_on_hand - new_reserved - S.safety_stock >= 0)
    stmt = (
        update(StockLevel)
        .where(S.variant_id == variant_id, S.location_id == location_id, *guards)
        .values(
            on_hand=new_on_hand,
            reserved=new_reserved,
            incoming=S.incoming + incoming,
            updated_at=utcnow(),
        )
        .returning(*LEVEL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


async def level_for_update(
    session: AsyncSession, variant_id: int, location_id: int
) -> StockLevelView | None:
    stmt = (
        select(*LEVEL_COLUMNS)
        .where(S.variant_id == variant_id, S.location_id == location_id)
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
            S.variant_id == variant_id,
            S.location_id == location_id,
            S.on_hand == previous,
            S.reserved <= quantity,
        )
        .values(on_hand=quantity, updated_at=utcnow())
        .returning(*LEVEL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(stmt)).first()
    return _level(row) if row is not None else None


async def set_safety_stock(
    session: AsyncSession, variant_id: int, location_id: int, quantity: int
) -> StockLevelView | None:
    stmt = (
        update(StockLevel)
        .where(S.variant_id == variant_id, S.location_id == location_id)
        .values(safety_stock=quantity, updated_at=utcnow())
        .returning(*LEVEL_COLUMNS)
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


async def variant_id_of_sku(db: Database, sku: str) -> int | None:
    async with db.read() as conn:
        found = await conn.execute(select(V.id).where(V.sku == sku))
        return found.scalar_one_or_none()
