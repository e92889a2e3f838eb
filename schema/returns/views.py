"""Returns and refunds where they are read: on an order (with its net total) and on a
customer (`me.returns`). The order or customer object was already checked for the viewer."""

from __future__ import annotations

from app.auth.viewer import Viewer
from app.kit.money import to_minor
from app.returns import reads, refund_reads
from schema.catalog.types import Money, _money
from schema.context import Info
from schema.returns.refunds import Refund, build_refund
from schema.returns.types import Return, build_return


async def order_returns(info: Info, order_id: int) -> list[Return]:
    found = await reads.returns_of_orders(info.context.db, [order_id])
    return [build_return(r) for r in found[order_id]]


async def order_refunds(info: Info, order_id: int) -> list[Refund]:
    found = await refund_reads.refunds_of_orders(info.context.db, [order_id])
    return [build_refund(r) for r in found[order_id]]


async def order_net_total(info: Info, order_id: int, total: Money) -> Money:
    """What the customer paid for the order and kept paid: its total less every refund."""
    found = await refund_reads.refunds_of_orders(info.context.db, [order_id])
    refunded = sum(r.amount for r in found[order_id])
    return _money(to_minor(total.amount, total.currency_code) - refunded, total.currency_code)


async def customer_returns(info: Info, customer_id: int, viewer: Viewer) -> list[Return]:
    found = await reads.returns_of_customer(info.context.db, viewer, customer_id)
    return [build_return(r) for r in found]
