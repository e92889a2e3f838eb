"""Reserved stock against the orders holding it, for `omnigraph inventory verify`: every
level's `reserved` must equal the units of open fulfilments allocated there."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.database import Database
from app.models.inventory import StockLevel
from app.models.order import Fulfillment, FulfillmentLine
from app.orders.lifecycle import HOLDS_STOCK


@dataclass(frozen=True, slots=True)
class ReservationDrift:
    variant_id: int
    location_id: int
    reserved: int
    allocated: int


async def reservation_drift(db: Database) -> list[ReservationDrift]:
    s, f, fl = StockLevel.__table__.c, Fulfillment.__table__.c, FulfillmentLine.__table__.c
    held = [status.value for status in HOLDS_STOCK]
    allocations = (
        select(fl.variant_id, f.location_id, func.sum(fl.quantity).label("units"))
        .select_from(FulfillmentLine.__table__.join(Fulfillment.__table__))
        .where(f.status.in_(held))
        .group_by(fl.variant_id, f.location_id)
    )
    async with db.read() as conn:
        allocated = {(r.variant_id, r.location_id): int(r.units)
                     for r in await conn.execute(allocations)}  # fmt: skip
        levels = await conn.execute(
            select(s.variant_id, s.location_id, s.reserved).where(s.reserved != 0)
        )
        found = {(r.variant_id, r.location_id): int(r.reserved) for r in levels}
    return [
        ReservationDrift(variant_id, location_id, found.get(key, 0), allocated.get(key, 0))
        for key in sorted(set(found) | set(allocated))
        for variant_id, location_id in [key]
        if found.get(key, 0) != allocated.get(key, 0)
    ]
