"""Order reads: whole orders (lines, fulfilments, payments) for a batch of ids, one statement
per relation whatever the batch size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models.customer import CustomerIdentifier
from app.models.order import Fulfillment, FulfillmentLine, Order, OrderLine, Payment
from app.orders.views import (
    FulfillmentLineView,
    FulfillmentView,
    OrderLineView,
    OrderView,
    PaymentView,
)

ORD, OL, F, FL, P = (
    Order.__table__.c,
    OrderLine.__table__.c,
    Fulfillment.__table__.c,
    FulfillmentLine.__table__.c,
    Payment.__table__.c,
)


@dataclass(frozen=True, slots=True)
class OrderSearch:
    """What staff typed: an order number, an email, a pickup code, or an identifier (phone,
    loyalty card) already normalised to the forms customers are stored under."""

    text: str
    identifiers: frozenset[str]


ORDER_COLUMNS = [getattr(ORD, name) for name in OrderView.__dataclass_fields__]


async def orders_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, OrderView]:
    if not ids:
        return {}
    rows = await conn.execute(select(*ORDER_COLUMNS).where(ORD.id.in_(list(ids))))
    return {r.id: OrderView(**r._mapping) for r in rows}


async def lines_of(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[OrderLineView]]:
    result: dict[int, list[OrderLineView]] = defaultdict(list)
    columns = [getattr(OL, name) for name in OrderLineView.__dataclass_fields__]
    stmt = select(*columns).where(OL.order_id.in_(list(ids))).order_by(OL.id)
    for r in await conn.execute(stmt):
        result[r.order_id].append(OrderLineView(**r._mapping))
    return result


async def fulfillments_of(
    conn: AsyncConnection, ids: Sequence[int]
) -> dict[int, list[FulfillmentView]]:
    result: dict[int, list[FulfillmentView]] = defaultdict(list)
    names = [n for n in FulfillmentView.__dataclass_fields__ if n != "lines"]
    stmt = select(*[getattr(F, n) for n in names]).where(F.order_id.in_(list(ids))).order_by(F.id)
    by_id = {}
    for r in await conn.execute(stmt):
        view = FulfillmentView(**r._mapping)
        by_id[view.id] = view
        result[view.order_id].append(view)
    if by_id:
        stmt_lines = (
            select(FL.fulfillment_id, FL.order_line_id, FL.variant_id, FL.quantity)
            .where(FL.fulfillment_id.in_(list(by_id)))
            .order_by(FL.id)
        )
        for r in await conn.execute(stmt_lines):
            by_id[r.fulfillment_id].lines.append(
                FulfillmentLineView(r.order_line_id, r.variant_id, r.quantity)
            )
    return result


async def payments_of(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[PaymentView]]:
    result: dict[int, list[PaymentView]] = defaultdict(list)
    columns = [getattr(P, name) for name in PaymentView.__dataclass_fields__]
    stmt = select(*columns).where(P.order_id.in_(list(ids))).order_by(P.id)
    for r in await conn.execute(stmt):
        result[r.order_id].append(PaymentView(**r._mapping))
    return result


def visible_ids_statement(
    *,
    customer_id: int | None,
    location_id: int | None,
    channel_id: int | None,
    status: str | None,
    placed_after: datetime | None,
    search: OrderSearch | None,
) -> Select[Any]:
    """Ids and sort keys of the orders matching every given condition."""
    stmt = select(ORD.id, ORD.created_at)
    if customer_id is not None:
        stmt = stmt.where(ORD.customer_id == customer_id)
    if location_id is not None:
        at = select(F.id).where(F.order_id == ORD.id, F.location_id == location_id)
        stmt = stmt.where(exists(at))
    if channel_id is not None:
        stmt = stmt.where(ORD.channel_id == channel_id)
    if status is not None:
        stmt = stmt.where(ORD.status == status)
    if placed_after is not None:
        stmt = stmt.where(ORD.created_at > placed_after)
    if search is not None:
        ident = CustomerIdentifier.__table__.c
        terms = [ORD.number == search.text.upper(), ORD.email == search.text.lower()]
        terms.append(exists(select(F.id).where(F.order_id == ORD.id,
                                               F.pickup_code == search.text)))  # fmt: skip
        if search.identifiers:
            terms.append(
                exists(
                    select(ident.id).where(
                        ident.customer_id == ORD.customer_id,
                        ident.value.in_(list(search.identifiers)),
                    )
                )
            )
        stmt = stmt.where(or_(*terms))
    return stmt
