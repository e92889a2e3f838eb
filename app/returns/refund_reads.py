"""Reading refunds with the parts each paid back, for a refund payload or an order's view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.database import Database
from app.models.returns import Refund, RefundMethod, RefundPayment

RF, RP = Refund.__table__.c, RefundPayment.__table__.c


@dataclass(frozen=True, slots=True)
class RefundPartView:
    payment_id: int
    amount: int


@dataclass(slots=True)
class RefundRead:
    id: int
    order_id: int
    return_id: int | None
    method: RefundMethod
    amount: int
    shipping: int
    currency_code: str
    credit_note: str | None
    reason: str
    created_at: datetime
    parts: list[RefundPartView] = field(default_factory=list)


async def _load(db: Database, where: object) -> list[RefundRead]:
    stmt = (
        select(RF.id, RF.order_id, RF.return_id, RF.method, RF.amount, RF.shipping,
               RF.currency_code, RF.credit_note, RF.reason, RF.created_at)
        .where(where)  # type: ignore[arg-type]
        .order_by(RF.id)
    )  # fmt: skip
    async with db.read() as conn:
        found = [RefundRead(**row._mapping) for row in await conn.execute(stmt)]
        by_id = {r.id: r for r in found}
        if by_id:
            parts = (
                select(RP.refund_id, RP.payment_id, RP.amount)
                .where(RP.refund_id.in_(list(by_id)))
                .order_by(RP.id)
            )
            for row in await conn.execute(parts):
                by_id[row.refund_id].parts.append(RefundPartView(row.payment_id, row.amount))
    return found


async def refunds_by_ids(db: Database, ids: Sequence[int]) -> dict[int, RefundRead]:
    return {r.id: r for r in await _load(db, RF.id.in_(list(ids)))}


async def refunds_of_orders(db: Database, order_ids: Sequence[int]) -> dict[int, list[RefundRead]]:
    result: dict[int, list[RefundRead]] = {i: [] for i in order_ids}
    if order_ids:
        for r in await _load(db, RF.order_id.in_(list(order_ids))):
            result[r.order_id].append(r)
    return result
