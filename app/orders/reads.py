"""Reading orders, with who may see which order decided here."""

from __future__ import annotations

from collections.abc import Sequence

from app.channels.service import ChannelDirectory
from app.database import Database
from app.orders import read_repository
from app.orders.views import OrderRead


async def assemble(
    db: Database, ids: Sequence[int], channels: ChannelDirectory
) -> dict[int, OrderRead]:
    """Whole orders for a batch of ids: four statements whatever the batch size."""
    async with db.read() as conn:
        orders = await read_repository.orders_by_ids(conn, ids)
        found = list(orders)
        if not found:
            return {}
        lines = await read_repository.lines_of(conn, found)
        fulfillments = await read_repository.fulfillments_of(conn, found)
        payments = await read_repository.payments_of(conn, found)
    result = {}
    for order_id, order in orders.items():
        channel = channels.by_id(order.channel_id)
        result[order_id] = OrderRead(
            order=order,
            channel_code=channel.code if channel else "",
            lines=lines.get(order_id, []),
            fulfillments=fulfillments.get(order_id, []),
            payments=payments.get(order_id, []),
        )
    return result


async def placed_order(db: Database, order_id: int, channels: ChannelDirectory) -> OrderRead:
    """The order a mutation just placed or changed, for its payload: the caller already proved
    its right to it (its cart, its idempotency key and body, its till)."""
    return (await assemble(db, [order_id], channels))[order_id]
