"""Every domain event a webhook can subscribe to: its name, the aggregate that orders it, and
what it means. Payloads are documented in docs/partners.md.

A domain emits an event with one call in its write service, inside the unit of work:

    await outbox.emit(uow.session, "order.created", aggregate_id=order.id, data={...})

The event then exists if and only if the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    # Events of one aggregate (one order, one stock level) reach an endpoint in order.
    aggregate_type: str
    description: str


EVENT_TYPES: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType("inventory.changed", "StockLevel",
                  "A stock level changed: receipt, adjustment, count, reservation, transfer."),
        EventType("customer.created", "Customer",
                  "A customer registered online or was created as a guest in store."),
        EventType("customer.merged", "Customer",
                  "A customer profile was merged into another (the aggregate is the survivor)."),
        EventType("cart.abandoned", "Cart",
                  "A cart with lines saw no activity for the abandonment window."),
        EventType("order.created", "Order",
                  "An order was placed: checkout, in store, or imported from a marketplace."),
        EventType("order.status_changed", "Order",
                  "An order or one of its fulfilments changed status."),
        EventType("return.received", "Order",
                  "Returned items were received at a location (restocked or not)."),
        EventType("refund.created", "Order", "A refund was issued against an order's payment."),
    )
}  # fmt: skip

ALL_EVENTS = "*"
