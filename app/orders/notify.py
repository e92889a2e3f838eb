"""Telling the world an order changed: the `order.status_changed` outbox event (webhooks,
messaging partners), the customer's timeline, and a live message for `orderStatusChanged`
once the change has committed."""

from __future__ import annotations

import logging
from typing import Any

from app.auth.viewer import Viewer
from app.customers.timeline import record_customer_event
from app.database import UnitOfWork
from app.events import outbox
from app.events.broker import Broker
from app.models.order import Order, OrderStatus
from app.orders import repository

log = logging.getLogger("omnigraph.orders")

TOPIC = "order.status_changed"
# Timeline kinds of this domain.
ORDER_STATUS_CHANGED = "ORDER_STATUS_CHANGED"
ORDER_READY_FOR_PICKUP = "ORDER_READY_FOR_PICKUP"
ORDER_PICKED_UP = "ORDER_PICKED_UP"
ORDER_CANCELLED = "ORDER_CANCELLED"

_KINDS = {
    OrderStatus.READY_FOR_PICKUP: ORDER_READY_FOR_PICKUP,
    OrderStatus.PICKED_UP: ORDER_PICKED_UP,
    OrderStatus.CANCELLED: ORDER_CANCELLED,
}


async def status_changed(
    uow: UnitOfWork,
    broker: Broker | None,
    order: Order,
    previous: OrderStatus,
    viewer: Viewer | None,
) -> None:
    fulfilments = await repository.fulfilments_of(uow.session, order.id)
    data: dict[str, Any] = {
        "orderId": order.id,
        "number": order.number,
        "status": order.status.value,
        "previousStatus": previous.value,
        "customerId": order.customer_id,
        "fulfillments": [
            {"id": f.id, "method": f.method.value, "status": f.status.value,
             "locationId": f.location_id, "pickupCode": f.pickup_code,
             "carrier": f.carrier, "trackingNumber": f.tracking_number}
            for f in fulfilments
        ],
    }  # fmt: skip
    await outbox.emit(uow.session, TOPIC, aggregate_id=order.id, data=data)
    if order.customer_id is not None:
        ready = [f for f in fulfilments if f.status is OrderStatus.READY_FOR_PICKUP]
        await record_customer_event(
            uow.session,
            order.customer_id,
            _KINDS.get(order.status, ORDER_STATUS_CHANGED),
            location_id=ready[0].location_id if ready else None,
            staff_user_id=viewer.staff_id if viewer is not None else None,
            data={"orderId": order.id, "number": order.number, "status": order.status.value,
                  "pickupCode": ready[0].pickup_code if ready else None},
        )  # fmt: skip
    if broker is None:
        return
    message = {"orderId": order.id, "status": order.status.value, "customerId": order.customer_id}

    async def publish() -> None:
        try:
            await broker.publish(TOPIC, message)
        except Exception:
            # The change is committed; a lost live message must not fail the request.
            log.exception("could not publish the status of order %s", order.id)

    uow.after_commit(publish)
