"""Starting a return: any order from any channel, handed in at any store that accepts returns
or sent by mail to a warehouse. A customer returns their own orders; staff any order (an
associate at their own store). Only units handed over or shipped can come back, less those
already in a return, and only within the window of the channel the order was placed on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.auth.access import can_act_at_location
from app.auth.viewer import Viewer
from app.customers.timeline import record_customer_event
from app.database import UnitOfWork
from app.kit.clock import utcnow
from app.models.channel import Channel
from app.models.location import Location, LocationStatus
from app.models.order import Order
from app.models.returns import Return, ReturnLine, ReturnStatus
from app.orders import repository as order_repository
from app.orders.errors import OrderForbidden, UnknownOrder
from app.returns import repository
from app.returns.errors import (
    LocationRefusesReturns,
    NoMailReturnLocation,
    NoReturnLines,
    NotReturnable,
    ReturnLocationRequired,
    ReturnWindowClosed,
)

RETURN_REQUESTED = "RETURN_REQUESTED"
MAX_REASON = 500
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class ReturnLineRequest:
    order_line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    order_id: int
    lines: tuple[ReturnLineRequest, ...]
    reason: str = ""
    location_id: int | None = None
    by_mail: bool = False


def may_return(viewer: Viewer, order: Order) -> bool:
    if viewer.is_staff:
        return True
    return order.customer_id is not None and viewer.is_customer_self(order.customer_id)


async def _destination(uow: UnitOfWork, viewer: Viewer, request: ReturnRequest) -> Location:
    if request.by_mail == (request.location_id is not None):
        raise ReturnLocationRequired(
            "Give the location the units are handed in at, or byMail: true", field="locationId"
        )
    if request.by_mail:
        found = await repository.mail_return_location(uow.session)
        if found is None:
            raise NoMailReturnLocation("No warehouse accepts returns by mail", field="byMail")
        return found
    assert request.location_id is not None
    location = await uow.session.get(Location, request.location_id)
    if location is None or not location.accepts_returns or location.status != LocationStatus.OPEN:
        raise LocationRefusesReturns("This location does not accept returns", field="locationId")
    if viewer.is_staff and not can_act_at_location(viewer, location.id):
        raise OrderForbidden("You may take returns only at your home store", field="locationId")
    return location


def _check_lines(
    request: ReturnRequest, lines: dict[int, object], returnable: dict[int, int]
) -> dict[int, int]:
    if not request.lines:
        raise NoReturnLines("Return at least one line", field="lines")
    if len(request.lines) > MAX_LINES:
        raise NoReturnLines(f"At most {MAX_LINES} lines per return", field="lines")
    wanted: dict[int, int] = {}
    for i, line in enumerate(request.lines):
        if line.order_line_id not in lines:
            raise UnknownOrder("No such line on this order", field=f"lines.{i}.lineId")
        if line.quantity < 1:
            raise NotReturnable("Return at least one unit", field=f"lines.{i}.quantity")
        wanted[line.order_line_id] = wanted.get(line.order_line_id, 0) + line.quantity
    for i, line in enumerate(request.lines):
        left = returnable.get(line.order_line_id, 0)
        if wanted[line.order_line_id] > left:
            raise NotReturnable(
                f"Only {left} unit(s) of this line can be returned (handed over or shipped, "
                "less those already returned)",
                field=f"lines.{i}.quantity",
            )
    return wanted


async def create_return(uow: UnitOfWork, viewer: Viewer, request: ReturnRequest) -> int:
    session = uow.session
    # The order row serialises returns of one order, so two cannot both take the last unit.
    order = await order_repository.lock_order(session, request.order_id)
    if order is None or not may_return(viewer, order):
        raise UnknownOrder("No such order", field="orderId")
    location = await _destination(uow, viewer, request)
    lines = await repository.order_lines(session, order.id)
    shipped, last_handover = await repository.handed_over(session, order.id)
    already = await repository.returned(session, order.id)
    returnable = {k: v - already.get(k, 0) for k, v in shipped.items()}
    wanted = _check_lines(request, dict(lines), returnable)
    channel = await session.get(Channel, order.channel_id)
    window = channel.return_window_days if channel else 0
    if last_handover is None or utcnow() > last_handover + timedelta(days=window):
        raise ReturnWindowClosed(
            f"Returns for this order closed {window} day(s) after it was handed over",
            field="orderId",
        )
    reason = request.reason.strip()[:MAX_REASON]
    now = utcnow()
    created = Return(
        number="tmp", order_id=order.id, customer_id=order.customer_id,
        status=ReturnStatus.REQUESTED, location_id=location.id, by_mail=request.by_mail,
        reason=reason, created_by_staff_id=viewer.staff_id, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(created)
    await session.flush()
    created.number = f"RT-{100000 + created.id}"
    for line_id, quantity in wanted.items():
        session.add(
            ReturnLine(return_id=created.id, order_line_id=line_id,
                       variant_id=lines[line_id].variant_id, quantity=quantity)
        )  # fmt: skip
    if order.customer_id is not None:
        await record_customer_event(
            session, order.customer_id, RETURN_REQUESTED,
            channel_code=channel.code if channel else None,
            location_id=None if request.by_mail else location.id,
            staff_user_id=viewer.staff_id,
            data={"returnId": created.id, "number": created.number, "orderId": order.id,
                  "orderNumber": order.number, "byMail": request.by_mail,
                  "units": sum(wanted.values())},
        )  # fmt: skip
    await session.flush()
    return created.id
