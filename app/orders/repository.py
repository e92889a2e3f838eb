"""Order SQL: writes through the ORM in the caller's unit of work, stock snapshots for routing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models.inventory import InventoryTransfer, StockLevel, TransferStatus
from app.models.order import Fulfillment, FulfillmentLine, Order, OrderStatus, Payment

S = StockLevel.__table__.c

# Fulfilments whose lines still hold reserved units.
OPEN_STATUSES = (
    OrderStatus.PLACED,
    OrderStatus.AWAITING_TRANSFER,
    OrderStatus.READY_FOR_PICKUP,
)


async def order_by_key(session: AsyncSession, key: str) -> Order | None:
    stmt = select(Order).where(Order.idempotency_key == key)
    return (await session.execute(stmt)).scalar_one_or_none()


async def available_at(
    session: AsyncSession | AsyncConnection, variant_ids: Sequence[int], location_ids: Sequence[int]
) -> dict[int, dict[int, int]]:
    """location -> variant -> units that can still be promised (never below zero)."""
    result: dict[int, dict[int, int]] = defaultdict(dict)
    if not variant_ids or not location_ids:
        return result
    stmt = select(S.variant_id, S.location_id, S.on_hand, S.reserved, S.safety_stock).where(
        S.variant_id.in_(list(variant_ids)), S.location_id.in_(list(location_ids))
    )
    for row in await session.execute(stmt):
        result[row.location_id][row.variant_id] = max(
            0, row.on_hand - row.reserved - row.safety_stock
        )
    return result


async def open_allocations(session: AsyncSession) -> dict[tuple[int, int], int]:
    """(variant, location) -> units held by fulfilments not yet handed over or cancelled;
    stock waiting on a transfer is reserved only once it has arrived."""
    f, fl = Fulfillment.__table__.c, FulfillmentLine.__table__.c
    stmt = (
        select(fl.variant_id, f.location_id, func.sum(fl.quantity).label("units"))
        .select_from(FulfillmentLine.__table__.join(Fulfillment.__table__))
        .where(f.status.in_([OrderStatus.PLACED.value, OrderStatus.READY_FOR_PICKUP.value]))
        .group_by(fl.variant_id, f.location_id)
    )
    return {(r.variant_id, r.location_id): int(r.units) for r in await session.execute(stmt)}


async def lock_order(session: AsyncSession, order_id: int) -> Order | None:
    """The order row serialises every change to it and its fulfilments."""
    stmt = select(Order).where(Order.id == order_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def fulfilment(session: AsyncSession, fulfilment_id: int) -> Fulfillment | None:
    return await session.get(Fulfillment, fulfilment_id)


async def fulfilments_of(session: AsyncSession, order_id: int) -> list[Fulfillment]:
    stmt = select(Fulfillment).where(Fulfillment.order_id == order_id).order_by(Fulfillment.id)
    return list((await session.execute(stmt)).scalars())


async def lines_of_fulfilment(session: AsyncSession, fulfilment_id: int) -> list[FulfillmentLine]:
    stmt = (
        select(FulfillmentLine)
        .where(FulfillmentLine.fulfillment_id == fulfilment_id)
        .order_by(FulfillmentLine.variant_id)
    )
    return list((await session.execute(stmt)).scalars())


async def payments_of(session: AsyncSession, order_id: int) -> list[Payment]:
    stmt = select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)
    return list((await session.execute(stmt)).scalars())


async def waiting_on_transfer(session: AsyncSession, transfer_id: int) -> list[Fulfillment]:
    stmt = (
        select(Fulfillment)
        .where(
            Fulfillment.transfer_id == transfer_id,
            Fulfillment.status == OrderStatus.AWAITING_TRANSFER,
        )
        .order_by(Fulfillment.id)
    )
    return list((await session.execute(stmt)).scalars())


async def transfer_received(session: AsyncSession, transfer_id: int) -> bool:
    stmt = select(InventoryTransfer.status).where(InventoryTransfer.id == transfer_id)
    status = (await session.execute(stmt)).scalar_one_or_none()
    return status is TransferStatus.RECEIVED
