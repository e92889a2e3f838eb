"""Return SQL in the caller's unit of work: what an order handed over, what was returned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.location import Location, LocationKind, LocationStatus
from app.models.order import Fulfillment, FulfillmentLine, OrderLine, OrderStatus
from app.models.returns import Refund, RefundPayment, Return, ReturnLine, ReturnStatus

# Fulfilments whose units reached the customer (or left with a carrier): those can come back.
HANDED_OVER = (OrderStatus.PICKED_UP, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


async def order_lines(session: AsyncSession, order_id: int) -> dict[int, OrderLine]:
    stmt = select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
    return {line.id: line for line in (await session.execute(stmt)).scalars()}


async def handed_over(
    session: AsyncSession, order_id: int
) -> tuple[dict[int, int], datetime | None]:
    """Units per order line handed over or shipped, and when the last of them was (the
    latest handover, shipment or delivery), from which the return window runs."""
    f, fl = Fulfillment.__table__.c, FulfillmentLine.__table__.c
    stmt = (
        select(fl.order_line_id, func.sum(fl.quantity).label("units"))
        .select_from(FulfillmentLine.__table__.join(Fulfillment.__table__))
        .where(f.order_id == order_id, f.status.in_([s.value for s in HANDED_OVER]))
        .group_by(fl.order_line_id)
    )
    units = {int(r.order_line_id): int(r.units) for r in await session.execute(stmt)}
    last = select(func.max(f.updated_at)).where(
        f.order_id == order_id, f.status.in_([s.value for s in HANDED_OVER])
    )
    return units, (await session.execute(last)).scalar_one_or_none()


async def returned(session: AsyncSession, order_id: int) -> dict[int, int]:
    """Units per order line already in a return: those asked for while it is on its way,
    those that actually came back once it is received."""
    r, rl = Return.__table__.c, ReturnLine.__table__.c
    units = case(
        (r.status == ReturnStatus.RECEIVED.value, rl.restocked + rl.damaged), else_=rl.quantity
    )
    stmt = (
        select(rl.order_line_id, func.sum(units).label("units"))
        .select_from(ReturnLine.__table__.join(Return.__table__))
        .where(r.order_id == order_id)
        .group_by(rl.order_line_id)
    )
    return {int(row.order_line_id): int(row.units) for row in await session.execute(stmt)}


async def mail_return_location(session: AsyncSession) -> Location | None:
    """The warehouse parcels are sent back to: the preferred open one that accepts returns."""
    stmt = (
        select(Location)
        .where(
            Location.kind == LocationKind.WAREHOUSE,
            Location.accepts_returns.is_(True),
            Location.status == LocationStatus.OPEN,
        )
        .order_by(Location.priority, Location.id)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_return(session: AsyncSession, return_id: int) -> Return | None:
    stmt = select(Return).where(Return.id == return_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def lines_of(session: AsyncSession, return_id: int) -> list[ReturnLine]:
    stmt = select(ReturnLine).where(ReturnLine.return_id == return_id).order_by(ReturnLine.id)
    return list((await session.execute(stmt)).scalars())


async def received_before(session: AsyncSession, order_id: int, return_id: int) -> dict[int, int]:
    """Units per order line received in this order's returns before `return_id`."""
    r, rl = Return.__table__.c, ReturnLine.__table__.c
    stmt = (
        select(rl.order_line_id, func.sum(rl.restocked + rl.damaged).label("units"))
        .select_from(ReturnLine.__table__.join(Return.__table__))
        .where(
            r.order_id == order_id,
            r.status == ReturnStatus.RECEIVED.value,
            r.id < return_id,
        )
        .group_by(rl.order_line_id)
    )
    return {int(row.order_line_id): int(row.units) for row in await session.execute(stmt)}


async def refund_by_key(session: AsyncSession, key: str) -> Refund | None:
    return (
        await session.execute(select(Refund).where(Refund.idempotency_key == key))
    ).scalar_one_or_none()


async def refunds_of_order(session: AsyncSession, order_id: int) -> list[Refund]:
    stmt = select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)
    return list((await session.execute(stmt)).scalars())


async def refunded_per_payment(session: AsyncSession, order_id: int) -> dict[int, int]:
    rp, rf = RefundPayment.__table__.c, Refund.__table__.c
    stmt = (
        select(rp.payment_id, func.sum(rp.amount).label("amount"))
        .select_from(RefundPayment.__table__.join(Refund.__table__))
        .where(rf.order_id == order_id)
        .group_by(rp.payment_id)
    )
    return {int(row.payment_id): int(row.amount) for row in await session.execute(stmt)}
