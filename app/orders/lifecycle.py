"""The order state machine: which status a fulfilment may move to, per method, and how an
order's status rolls up from its fulfilments. Pure, so every transition is unit-tested."""

from __future__ import annotations

from collections.abc import Iterable

from app.models.order import FulfillmentMethod, OrderStatus

S = OrderStatus

TRANSITIONS: dict[FulfillmentMethod, dict[OrderStatus, frozenset[OrderStatus]]] = {
    FulfillmentMethod.SHIPPING: {
        S.PLACED: frozenset({S.SHIPPED, S.CANCELLED}),
        S.SHIPPED: frozenset({S.DELIVERED}),
    },
    FulfillmentMethod.PICKUP_IN_STORE: {
        S.AWAITING_TRANSFER: frozenset({S.READY_FOR_PICKUP, S.CANCELLED}),
        S.PLACED: frozenset({S.READY_FOR_PICKUP, S.CANCELLED}),
        S.READY_FOR_PICKUP: frozenset({S.PICKED_UP, S.CANCELLED}),
    },
    FulfillmentMethod.IN_STORE_HANDOVER: {
        S.PLACED: frozenset({S.PICKED_UP, S.CANCELLED}),
    },
}

# Units of a fulfilment in these statuses are reserved at its location.
HOLDS_STOCK = frozenset({S.PLACED, S.READY_FOR_PICKUP})
# Nothing can happen to a fulfilment any more.
FINAL = frozenset({S.PICKED_UP, S.DELIVERED, S.CANCELLED})


def can_move(method: FulfillmentMethod, current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[method].get(current, frozenset())


def roll_up(statuses: Iterable[OrderStatus]) -> OrderStatus:
    """An order's status from its fulfilments'. Cancelled ones count only when all are."""
    found = list(statuses)
    live = [s for s in found if s is not S.CANCELLED]
    if not live:
        return S.CANCELLED
    gone = {S.SHIPPED, S.DELIVERED}
    if all(s is S.DELIVERED for s in live):
        return S.DELIVERED
    if all(s in gone for s in live):
        return S.SHIPPED
    if any(s in gone for s in live):
        return S.PARTIALLY_SHIPPED
    if all(s is S.PICKED_UP for s in live):
        return S.PICKED_UP
    if any(s is S.AWAITING_TRANSFER for s in live):
        return S.AWAITING_TRANSFER
    if all(s in (S.READY_FOR_PICKUP, S.PICKED_UP) for s in live):
        return S.READY_FOR_PICKUP
    return S.PLACED
