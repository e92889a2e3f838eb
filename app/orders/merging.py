"""When staff merge two profiles of one person, the source's orders move to the survivor, so
the single view shows every order whatever profile placed it."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.customers.merge import MergeContext, register_merge_hook
from app.models.order import Order


async def move_customer_orders(session: AsyncSession, merge: MergeContext) -> None:
    await session.execute(
        update(Order)
        .where(Order.customer_id == merge.source_id)
        .values(customer_id=merge.target_id)
        .execution_options(synchronize_session=False)
    )


register_merge_hook("orders", move_customer_orders)
