"""Reading returns. Whoever may see the order sees its returns: its customer, and staff
(an associate also the returns handed in at their store)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.auth.access import ALL_LOCATIONS_ROLES
from app.auth.viewer import Viewer
from app.database import Database
from app.models.order import Order, OrderLine
from app.models.returns import Return, ReturnLine
from app.returns.views import ReturnLineView, ReturnRead

R, RL, ORD, OL = (
    Return.__table__.c,
    ReturnLine.__table__.c,
    Order.__table__.c,
    OrderLine.__table__.c,
)


async def _load(db: Database, where: object, order_by_newest: bool = True) -> list[ReturnRead]:
    stmt = (
        select(R.id, R.number, R.order_id, ORD.number.label("order_number"), R.customer_id,
               R.status, R.location_id, R.by_mail, R.reason, R.created_at, R.received_at)
        .select_from(Return.__table__.join(Order.__table__))
        .where(where)  # type: ignore[arg-type]
        .order_by(R.created_at.desc(), R.id.desc())
    )  # fmt: skip
    async with db.read() as conn:
        found = [ReturnRead(**row._mapping) for row in await conn.execute(stmt)]
        if not found:
            return []
        by_id = {r.id: r for r in found}
        lines = (
            select(RL.id, RL.return_id, RL.order_line_id, RL.variant_id, OL.sku, RL.quantity,
                   RL.restocked, RL.damaged)
            .select_from(ReturnLine.__table__.join(OrderLine.__table__))
            .where(RL.return_id.in_(list(by_id)))
            .order_by(RL.id)
        )  # fmt: skip
        for row in await conn.execute(lines):
            by_id[row.return_id].lines.append(ReturnLineView(**row._mapping))
    return found


async def returns_by_ids(db: Database, ids: Sequence[int]) -> dict[int, ReturnRead]:
    """Returns a mutation just wrote, for its payload: the caller proved its right to them."""
    return {r.id: r for r in await _load(db, R.id.in_(list(ids)))}


async def returns_of_orders(db: Database, order_ids: Sequence[int]) -> dict[int, list[ReturnRead]]:
    """The returns of orders the viewer was already allowed to see, newest first."""
    result: dict[int, list[ReturnRead]] = {i: [] for i in order_ids}
    if order_ids:
        for r in await _load(db, R.order_id.in_(list(order_ids))):
            result[r.order_id].append(r)
    return result


async def returns_of_customer(db: Database, viewer: Viewer, customer_id: int) -> list[ReturnRead]:
    """A customer's returns across channels, for them or for staff."""
    if not (viewer.is_customer_self(customer_id) or viewer.is_staff):
        return []
    return await _load(db, R.customer_id == customer_id)


def can_see(viewer: Viewer, read: ReturnRead) -> bool:
    if read.customer_id is not None and viewer.is_customer_self(read.customer_id):
        return True
    if viewer.has_role(*ALL_LOCATIONS_ROLES):
        return True
    return viewer.is_staff and viewer.home_location_id == read.location_id
