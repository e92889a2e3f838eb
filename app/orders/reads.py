"""Reading orders, with who may see which order decided here: the order's customer, and
staff (administrators and operations everywhere, a store associate the orders that touch
their store). Nobody else learns that an order exists."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.auth.access import ALL_LOCATIONS_ROLES
from app.auth.viewer import Viewer
from app.channels.service import ChannelDirectory
from app.customers.errors import InvalidIdentifier
from app.customers.identity import normalise_phone
from app.database import Database
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.models.order import OrderStatus
from app.models.staff import StaffRole
from app.orders import read_repository
from app.orders.read_repository import ORD, OrderSearch
from app.orders.views import OrderRead


@dataclass(frozen=True, slots=True)
class OrderFilter:
    channel: str | None = None
    status: OrderStatus | None = None
    location_id: int | None = None
    customer_id: int | None = None
    placed_after: datetime | None = None
    search: str | None = None


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


def can_see(viewer: Viewer, read: OrderRead) -> bool:
    customer_id = read.order.customer_id
    if customer_id is not None and viewer.is_customer_self(customer_id):
        return True
    if viewer.has_role(*ALL_LOCATIONS_ROLES):
        return True
    return viewer.has_role(StaffRole.STORE_ASSOCIATE) and any(
        f.location_id == viewer.home_location_id for f in read.fulfillments
    )


async def visible_orders(
    db: Database, viewer: Viewer, ids: Sequence[int], channels: ChannelDirectory
) -> dict[int, OrderRead]:
    """The orders among `ids` the viewer may see; the others are simply absent."""
    if not (viewer.is_customer or viewer.is_staff):
        return {}
    found = await assemble(db, ids, channels)
    return {i: r for i, r in found.items() if can_see(viewer, r)}


def _search(text: str, default_region: str) -> OrderSearch:
    text = text.strip()
    identifiers = {text.upper().replace(" ", "").replace("-", ""), text.lower()}
    with contextlib.suppress(InvalidIdentifier):
        identifiers.add(normalise_phone(text, default_region))
    return OrderSearch(text, frozenset(identifiers))


async def orders_page(
    db: Database,
    viewer: Viewer,
    channels: ChannelDirectory,
    filter: OrderFilter,
    page: PageRequest,
    *,
    default_region: str,
    default_size: int,
    max_size: int,
) -> Page[OrderRead]:
    """Orders newest first. A customer sees their own only; a store associate those with a
    fulfilment at their store; administrators and operations every order."""
    customer_id = filter.customer_id
    location_id = filter.location_id
    if viewer.is_customer:
        customer_id = viewer.customer_id
    elif viewer.has_role(StaffRole.STORE_ASSOCIATE):
        if location_id is not None and location_id != viewer.home_location_id:
            return Page([], [], False, False, _zero)
        location_id = viewer.home_location_id
    elif not viewer.has_role(*ALL_LOCATIONS_ROLES):
        return Page([], [], False, False, _zero)
    channel_id = None
    if filter.channel is not None:
        channel_id = channels.by_code(filter.channel, "filter.channel").id
    stmt = read_repository.visible_ids_statement(
        customer_id=customer_id,
        location_id=location_id,
        channel_id=channel_id,
        status=filter.status.value if filter.status else None,
        placed_after=filter.placed_after,
        search=_search(filter.search, default_region) if filter.search else None,
    )
    order = [
        SortColumn(ORD.created_at, "created_at", descending=True),
        SortColumn(ORD.id, "id", descending=True),
    ]
    ids = await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size,
        build=lambda row: int(row.id),
    )  # fmt: skip
    reads = await assemble(db, ids.items, channels)
    return Page(
        [reads[i] for i in ids.items], ids.cursors, ids.has_next_page, ids.has_previous_page,
        ids.count,
    )  # fmt: skip


async def _zero() -> int:
    return 0
