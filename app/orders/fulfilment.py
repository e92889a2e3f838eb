"""Moving fulfilments through the state machine: ready for pickup, picked up, shipped,
delivered, and cancelling an order. Each change locks the order row first, writes the stock
side (SALE movements or released reservations) and the payment side, and announces the new
status in the same transaction."""

from __future__ import annotations

import secrets

from app.auth.access import can_act_at_location
from app.auth.viewer import Viewer
from app.database import UnitOfWork
from app.events.broker import Broker
from app.inventory import reservations, transfers
from app.inventory.errors import InsufficientStock
from app.kit.clock import utcnow
from app.models.order import Fulfillment, FulfillmentMethod, Order, OrderStatus, PaymentStatus
from app.orders import lifecycle, repository
from app.orders.errors import (
    IllegalTransition,
    OrderForbidden,
    OutOfStock,
    PickupIdentityRequired,
    UnknownOrder,
    WrongPickupCode,
)
from app.orders.notify import status_changed
from app.payments.gateway import PaymentGateway

S = OrderStatus


async def _open(uow: UnitOfWork, viewer: Viewer, fulfilment_id: int) -> tuple[Order, Fulfillment]:
    """The fulfilment with its order locked, if the viewer works where it leaves from."""
    found = await repository.fulfilment(uow.session, fulfilment_id)
    if found is None:
        raise UnknownOrder("No such fulfilment", field="fulfillmentId")
    order = await repository.lock_order(uow.session, found.order_id)
    await uow.session.refresh(found)
    if order is None:  # pragma: no cover - fulfilments are deleted with their order
        raise UnknownOrder("No such fulfilment", field="fulfillmentId")
    if not can_act_at_location(viewer, found.location_id):
        raise OrderForbidden(
            "Only staff of the fulfilment's location may change it", field="fulfillmentId"
        )
    return order, found


def _move(fulfilment: Fulfillment, target: OrderStatus) -> OrderStatus:
    current = fulfilment.status
    if not lifecycle.can_move(fulfilment.method, current, target):
        raise IllegalTransition(
            f"A {fulfilment.method.value.lower()} fulfilment cannot go from "
            f"{current.value} to {target.value}",
            field="fulfillmentId",
        )
    fulfilment.status = target
    fulfilment.updated_at = utcnow()
    return current


async def _settle_order(
    uow: UnitOfWork, broker: Broker | None, order: Order, viewer: Viewer | None
) -> None:
    """Roll the order's status up from its fulfilments and announce a change."""
    fulfilments = await repository.fulfilments_of(uow.session, order.id)
    previous = order.status
    order.status = lifecycle.roll_up(f.status for f in fulfilments)
    order.updated_at = utcnow()
    await uow.session.flush()
    await status_changed(uow, broker, order, previous, viewer)


async def _hand_over(
    uow: UnitOfWork, broker: Broker | None, gateway: PaymentGateway, order: Order, f: Fulfillment
) -> None:
    """Units leave the building: SALE movements clear their reservation; the payment is
    captured with the first units that leave."""
    for line in await repository.lines_of_fulfilment(uow.session, f.id):
        await reservations.fulfil(
            uow, broker, variant_id=line.variant_id, location_id=f.location_id,
            quantity=line.quantity, order_reference=order.number,
        )  # fmt: skip
    for payment in await repository.payments_of(uow.session, order.id):
        if payment.status is PaymentStatus.AUTHORIZED:
            await gateway.capture(payment.reference, payment.amount)
            payment.status = PaymentStatus.CAPTURED
            payment.updated_at = utcnow()


def new_pickup_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


async def mark_ready(
    uow: UnitOfWork, broker: Broker | None, viewer: Viewer, fulfilment_id: int
) -> int:
    order, f = await _open(uow, viewer, fulfilment_id)
    if f.status is S.AWAITING_TRANSFER:
        raise IllegalTransition(
            "The units are still on their way; receive the transfer first", field="fulfillmentId"
        )
    _move(f, S.READY_FOR_PICKUP)
    f.pickup_code = new_pickup_code()
    await _settle_order(uow, broker, order, viewer)
    return order.id


async def confirm_pickup(
    uow: UnitOfWork,
    broker: Broker | None,
    gateway: PaymentGateway,
    viewer: Viewer,
    fulfilment_id: int,
    *,
    pickup_code: str | None,
    customer_id: int | None,
) -> int:
    """Hand a ready pickup over: the code from the notification, or the customer's identity
    checked at the store (the associate found them by phone, email or loyalty card)."""
    order, f = await _open(uow, viewer, fulfilment_id)
    if pickup_code is None and customer_id is None:
        raise PickupIdentityRequired(
            "Give the pickup code or the customer collecting", field="pickupCode"
        )
    if pickup_code is not None and (
        f.pickup_code is None or not secrets.compare_digest(pickup_code.strip(), f.pickup_code)
    ):
        raise WrongPickupCode("That is not this order's pickup code", field="pickupCode")
    if pickup_code is None and (order.customer_id is None or customer_id != order.customer_id):
        raise WrongPickupCode("This customer did not place the order", field="customerId")
    _move(f, S.PICKED_UP)
    await _hand_over(uow, broker, gateway, order, f)
    await _settle_order(uow, broker, order, viewer)
    return order.id


async def ship(
    uow: UnitOfWork,
    broker: Broker | None,
    gateway: PaymentGateway,
    viewer: Viewer,
    fulfilment_id: int,
    *,
    carrier: str,
    tracking_number: str,
) -> int:
    order, f = await _open(uow, viewer, fulfilment_id)
    _move(f, S.SHIPPED)
    f.carrier = carrier.strip()[:100] or None
    f.tracking_number = tracking_number.strip()[:100] or None
    await _hand_over(uow, broker, gateway, order, f)
    await _settle_order(uow, broker, order, viewer)
    return order.id


async def mark_delivered(
    uow: UnitOfWork, broker: Broker | None, viewer: Viewer, fulfilment_id: int
) -> int:
    order, f = await _open(uow, viewer, fulfilment_id)
    _move(f, S.DELIVERED)
    await _settle_order(uow, broker, order, viewer)
    return order.id


async def hand_over_now(
    uow: UnitOfWork, broker: Broker | None, gateway: PaymentGateway, order: Order, f: Fulfillment
) -> None:
    """Cash and carry: the goods leave the till with the customer as the order is placed."""
    _move(f, S.PICKED_UP)
    await _hand_over(uow, broker, gateway, order, f)
    await _settle_order(uow, broker, order, None)


async def cancel(
    uow: UnitOfWork, broker: Broker | None, gateway: PaymentGateway, viewer: Viewer, order_id: int
) -> int:
    """Cancel an order nothing of which has left: reservations are released, an authorised
    payment voided (a captured one refunded). A customer may cancel their own order."""
    order = await repository.lock_order(uow.session, order_id)
    if order is None or not _may_cancel(viewer, order):
        raise UnknownOrder("No such order", field="orderId")
    fulfilments = await repository.fulfilments_of(uow.session, order.id)
    if viewer.is_staff and not all(can_act_at_location(viewer, f.location_id) for f in fulfilments):
        raise OrderForbidden("Only staff of the order's locations may cancel it", field="orderId")
    for f in fulfilments:
        held = f.status in lifecycle.HOLDS_STOCK
        _move(f, S.CANCELLED)
        if held:
            for line in await repository.lines_of_fulfilment(uow.session, f.id):
                await reservations.release(
                    uow, broker, variant_id=line.variant_id, location_id=f.location_id,
                    quantity=line.quantity,
                )  # fmt: skip
    for payment in await repository.payments_of(uow.session, order.id):
        if payment.status is PaymentStatus.AUTHORIZED:
            await gateway.void(payment.reference)
            payment.status = PaymentStatus.VOIDED
        elif payment.status is PaymentStatus.CAPTURED:
            await gateway.refund(payment.reference, payment.amount)
            payment.status = PaymentStatus.REFUNDED
        payment.updated_at = utcnow()
    await _settle_order(uow, broker, order, viewer)
    return order.id


def _may_cancel(viewer: Viewer, order: Order) -> bool:
    if viewer.is_staff:
        return True
    return order.customer_id is not None and viewer.is_customer_self(order.customer_id)


async def on_transfer_received(
    uow: UnitOfWork, broker: Broker | None, transfer_id: int, location_id: int,
    received: dict[int, int],
) -> None:  # fmt: skip
    """Units a pickup was waiting for arrived: reserve them for it at once (before anyone
    else can sell them) and tell the customer it is ready."""
    if not await repository.transfer_received(uow.session, transfer_id):
        return
    for f in await repository.waiting_on_transfer(uow.session, transfer_id):
        if f.location_id != location_id or f.method is not FulfillmentMethod.PICKUP_IN_STORE:
            continue
        order = await repository.lock_order(uow.session, f.order_id)
        if order is None:  # pragma: no cover - fulfilments are deleted with their order
            continue
        for line in await repository.lines_of_fulfilment(uow.session, f.id):
            try:
                await reservations.reserve(
                    uow, broker, variant_id=line.variant_id, location_id=location_id,
                    quantity=line.quantity,
                )  # fmt: skip
            except InsufficientStock as error:  # pragma: no cover - the units just arrived
                raise OutOfStock("The transferred units are gone", field="transferId") from error
        _move(f, S.READY_FOR_PICKUP)
        f.pickup_code = new_pickup_code()
        await _settle_order(uow, broker, order, None)


transfers.register_receive_hook("orders", on_transfer_received)
