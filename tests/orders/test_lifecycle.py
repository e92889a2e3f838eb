"""The state machine, transition by transition, and the order's roll-up."""

from __future__ import annotations

import pytest

from app.models.order import FulfillmentMethod as M
from app.models.order import OrderStatus as S
from app.orders.lifecycle import can_move, roll_up

ALLOWED = {
    (M.SHIPPING, S.PLACED, S.SHIPPED),
    (M.SHIPPING, S.PLACED, S.CANCELLED),
    (M.SHIPPING, S.SHIPPED, S.DELIVERED),
    (M.PICKUP_IN_STORE, S.AWAITING_TRANSFER, S.READY_FOR_PICKUP),
    (M.PICKUP_IN_STORE, S.AWAITING_TRANSFER, S.CANCELLED),
    (M.PICKUP_IN_STORE, S.PLACED, S.READY_FOR_PICKUP),
    (M.PICKUP_IN_STORE, S.PLACED, S.CANCELLED),
    (M.PICKUP_IN_STORE, S.READY_FOR_PICKUP, S.PICKED_UP),
    (M.PICKUP_IN_STORE, S.READY_FOR_PICKUP, S.CANCELLED),
    (M.IN_STORE_HANDOVER, S.PLACED, S.PICKED_UP),
    (M.IN_STORE_HANDOVER, S.PLACED, S.CANCELLED),
}


@pytest.mark.parametrize("method", list(M))
@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_the_declared_transitions_are_allowed(method: M, current: S, target: S) -> None:
    assert can_move(method, current, target) == ((method, current, target) in ALLOWED)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.PLACED], S.PLACED),
        ([S.CANCELLED, S.CANCELLED], S.CANCELLED),
        ([S.SHIPPED, S.PLACED], S.PARTIALLY_SHIPPED),
        ([S.SHIPPED, S.DELIVERED], S.SHIPPED),
        ([S.DELIVERED, S.CANCELLED], S.DELIVERED),
        ([S.DELIVERED, S.DELIVERED], S.DELIVERED),
        ([S.AWAITING_TRANSFER], S.AWAITING_TRANSFER),
        ([S.READY_FOR_PICKUP], S.READY_FOR_PICKUP),
        ([S.PICKED_UP, S.READY_FOR_PICKUP], S.READY_FOR_PICKUP),
        ([S.PICKED_UP, S.CANCELLED], S.PICKED_UP),
        ([S.SHIPPED, S.PICKED_UP], S.PARTIALLY_SHIPPED),
    ],
)
def test_the_order_status_rolls_up_from_its_fulfilments(statuses: list[S], expected: S) -> None:
    assert roll_up(statuses) == expected
