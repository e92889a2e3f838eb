"""Receiving a return where it was handed in: restocked units are sellable there at once
(a RETURN_RESTOCK movement, inventoryChanged pushed); damaged units are recorded and stay out
of stock. A return is received once: the return row is locked, so of two associates receiving
it at the same moment one succeeds and the other is told it is done. A retry under the key
that received it changes nothing and answers the same."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.access import can_act_at_location
from app.auth.viewer import Viewer
from app.customers.timeline import record_customer_event
from app.database import UnitOfWork
from app.events import outbox
from app.events.broker import Broker
from app.inventory import reservations
from app.kit.clock import utcnow
from app.models.order import Order
from app.models.returns import ReturnDisposition, ReturnStatus
from app.orders import placing
from app.orders.errors import OrderForbidden
from app.returns import repository
from app.returns.errors import (
    NoReturnLines,
    NotReturnable,
    ReturnAlreadyReceived,
    UnknownReturn,
)

RETURN_RECEIVED = "RETURN_RECEIVED"


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    order_line_id: int
    quantity: int
    disposition: ReturnDisposition


@dataclass(frozen=True, slots=True)
class ReceiveRequest:
    return_id: int
    idempotency_key: str
    lines: tuple[ReceivedLine, ...]


async def receive_return(
    uow: UnitOfWork, broker: Broker | None, viewer: Viewer, request: ReceiveRequest
) -> int:
    session = uow.session
    key = placing.check_key(request.idempotency_key)
    found = await repository.lock_return(session, request.return_id)
    if found is None or not viewer.is_staff:
        raise UnknownReturn("No such return", field="returnId")
    if not can_act_at_location(viewer, found.location_id):
        raise OrderForbidden(
            "Only staff of the location the return goes to may receive it", field="returnId"
        )
    if found.status is ReturnStatus.RECEIVED:
        if found.receive_key == key:
            return found.id
        raise ReturnAlreadyReceived("This return was already received", field="returnId")
    if not request.lines:
        raise NoReturnLines("Say what was received", field="lines")
    lines = {ln.order_line_id: ln for ln in await repository.lines_of(session, found.id)}
    for i, given in enumerate(request.lines):
        line = lines.get(given.order_line_id)
        if line is None:
            raise NotReturnable("This line is not part of the return", field=f"lines.{i}.lineId")
        if given.quantity < 1:
            raise NotReturnable("Receive at least one unit", field=f"lines.{i}.quantity")
        if given.disposition is ReturnDisposition.RESTOCK:
            line.restocked += given.quantity
        else:
            line.damaged += given.quantity
        if line.restocked + line.damaged > line.quantity:
            raise NotReturnable(
                f"Only {line.quantity} unit(s) of this line are in the return",
                field=f"lines.{i}.quantity",
            )
    order = await session.get(Order, found.order_id)
    assert order is not None  # returns are deleted with their order
    for line in lines.values():
        if line.restocked:
            await reservations.restock_return(
                uow, broker, variant_id=line.variant_id, location_id=found.location_id,
                quantity=line.restocked, return_reference=found.number,
            )  # fmt: skip
    now = utcnow()
    found.status = ReturnStatus.RECEIVED
    found.receive_key = key
    found.received_by_staff_id = viewer.staff_id
    found.received_at = now
    found.updated_at = now
    data = {
        "returnId": found.id, "number": found.number, "orderId": order.id,
        "orderNumber": order.number, "locationId": found.location_id,
        "lines": [{"orderLineId": ln.order_line_id, "restocked": ln.restocked,
                   "damaged": ln.damaged} for ln in lines.values()],
    }  # fmt: skip
    await outbox.emit(session, "return.received", aggregate_id=order.id, data=data)
    if order.customer_id is not None:
        await record_customer_event(
            session, order.customer_id, RETURN_RECEIVED, location_id=found.location_id,
            staff_user_id=viewer.staff_id, data=data,
        )  # fmt: skip
    await session.flush()
    return found.id
