"""Writing a new order: rows with their price snapshot, routed fulfilments with their stock
reserved, the payment, the outbox event and the customer's timeline, all in the caller's
unit of work. Checkout, the POS and marketplace import all place orders through here."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.customers.timeline import record_customer_event
from app.database import UnitOfWork
from app.events import outbox
from app.events.broker import Broker
from app.inventory import reservations, transfers
from app.inventory.errors import InsufficientStock
from app.inventory.rules import StockLine
from app.kit.clock import utcnow
from app.models.order import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentMethod,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from app.orders.errors import InvalidIdempotencyKey, OutOfStock
from app.orders.routing import Route
from app.payments.gateway import Authorization

ORDER_PLACED = "ORDER_PLACED"
MAX_KEY = 200


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise InvalidIdempotencyKey(
            f"An idempotency key is 1 to {MAX_KEY} characters", field="idempotencyKey"
        )
    return key


def digest(payload: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry from a different request."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PricedLine:
    variant_id: int
    sku: str
    quantity: int
    unit_price: int
    subtotal: int
    discount: int
    tax: int
    total: int


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    discount: int
    shipping: int
    tax: int
    total: int
    prices_include_tax: bool
    discounts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewOrder:
    channel_id: int
    channel_code: str
    currency_code: str
    customer_id: int | None
    email: str | None
    lines: Sequence[PricedLine]
    totals: Totals
    method: FulfillmentMethod
    route: Route
    shipping_address: dict[str, Any] | None = None
    pickup_location_id: int | None = None
    cart_id: int | None = None
    idempotency_key: str | None = None
    request_digest: str | None = None
    location_id: int | None = None
    staff_user_id: int | None = None


TRANSFER_RULE = "pickup_transfer_from_nearest"


async def send_to_store(
    uow: UnitOfWork, broker: Broker | None, route: Route, store_id: int, skus: dict[int, str]
) -> int:
    """A pickup routed from elsewhere: the units leave the source now (only unreserved ones
    can) and travel to the store, where receiving them reserves them for this order."""
    (allocation,) = route.allocations
    try:
        return await transfers.create_transfer(
            uow, None, broker,
            from_location_id=allocation.location_id, to_location_id=store_id,
            lines=[StockLine(skus[v], q) for v, q in sorted(allocation.lines.items())],
            reference="pickup order",
        )  # fmt: skip
    except InsufficientStock as error:
        raise OutOfStock("Not enough stock to fill this order", field="lines") from error


async def reserve_route(uow: UnitOfWork, broker: Broker | None, route: Route) -> None:
    """Hold every allocated unit; rows are taken in (location, variant) order, the order every
    stock writer uses, so concurrent checkouts queue instead of deadlocking."""
    steps = sorted(
        (a.location_id, variant_id, quantity)
        for a in route.allocations
        for variant_id, quantity in a.lines.items()
    )
    for location_id, variant_id, quantity in steps:
        try:
            await reservations.reserve(
                uow, broker, variant_id=variant_id, location_id=location_id, quantity=quantity
            )
        except InsufficientStock as error:
            raise OutOfStock("Not enough stock to fill this order", field="lines") from error


async def write_order(uow: UnitOfWork, new: NewOrder, transfer_id: int | None = None) -> Order:
    """The order, its lines and one fulfilment per allocation (stock already reserved), or
    one pickup fulfilment at the store waiting for `transfer_id`."""
    session = uow.session
    waiting = transfer_id is not None and new.pickup_location_id is not None
    fulfilment_status = OrderStatus.AWAITING_TRANSFER if waiting else OrderStatus.PLACED
    now = utcnow()
    order = Order(
        number="tmp-" + secrets.token_hex(6),
        status=fulfilment_status,
        channel_id=new.channel_id,
        customer_id=new.customer_id,
        cart_id=new.cart_id,
        email=new.email,
        currency_code=new.currency_code,
        subtotal=new.totals.subtotal,
        discount_total=new.totals.discount,
        shipping_total=new.totals.shipping,
        tax_total=new.totals.tax,
        prices_include_tax=new.totals.prices_include_tax,
        total=new.totals.total,
        discounts=new.totals.discounts,
        shipping_address=new.shipping_address,
        pickup_location_id=new.pickup_location_id,
        routing_decision=new.route.as_json(),
        idempotency_key=new.idempotency_key,
        request_digest=new.request_digest,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    await session.flush()
    # Numbers follow the row id: short, readable at a till, and searchable.
    order.number = f"OG-{100000 + order.id}"
    rows = {}
    for line in new.lines:
        row = OrderLine(
            order_id=order.id,
            variant_id=line.variant_id,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            subtotal=line.subtotal,
            discount=line.discount,
            tax=line.tax,
            total=line.total,
        )
        session.add(row)
        rows[line.variant_id] = row
    await session.flush()
    for allocation in new.route.allocations:
        fulfilment = Fulfillment(
            order_id=order.id,
            method=new.method,
            status=fulfilment_status,
            location_id=new.pickup_location_id if waiting else allocation.location_id,
            transfer_id=transfer_id if waiting else None,
            created_at=now,
            updated_at=now,
        )
        session.add(fulfilment)
        await session.flush()
        session.add_all(
            FulfillmentLine(
                fulfillment_id=fulfilment.id,
                order_line_id=rows[variant_id].id,
                variant_id=variant_id,
                quantity=quantity,
            )
            for variant_id, quantity in sorted(allocation.lines.items())
        )
    await session.flush()
    return order


def add_payment(
    uow: UnitOfWork, order: Order, gateway: str, tender: str, authorization: Authorization
) -> Payment:
    payment = Payment(
        order_id=order.id,
        gateway=gateway,
        tender=tender,
        status=PaymentStatus.AUTHORIZED,
        amount=authorization.amount,
        currency_code=authorization.currency_code,
        reference=authorization.reference,
        card_last4=authorization.card_last4,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    uow.session.add(payment)
    return payment


async def announce(uow: UnitOfWork, order: Order, new: NewOrder) -> None:
    """The `order.created` event and the customer's timeline, in the order's transaction."""
    data = {
        "orderId": order.id,
        "number": order.number,
        "channel": new.channel_code,
        "status": order.status.value,
        "total": order.total,
        "currencyCode": order.currency_code,
        "customerId": order.customer_id,
    }
    await outbox.emit(uow.session, "order.created", aggregate_id=order.id, data=data)
    if order.customer_id is not None:
        await record_customer_event(
            uow.session,
            order.customer_id,
            ORDER_PLACED,
            channel_code=new.channel_code,
            location_id=new.location_id,
            staff_user_id=new.staff_user_id,
            data={"orderId": order.id, "number": order.number, "total": order.total,
                  "currencyCode": order.currency_code},
        )  # fmt: skip
