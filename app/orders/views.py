"""Read models of orders: slotted rows, read with SQLAlchemy Core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.models.order import FulfillmentMethod, OrderStatus, PaymentStatus


@dataclass(frozen=True, slots=True)
class OrderLineView:
    id: int
    order_id: int
    variant_id: int
    sku: str
    quantity: int
    unit_price: int
    subtotal: int
    discount: int
    tax: int
    total: int


@dataclass(frozen=True, slots=True)
class FulfillmentLineView:
    order_line_id: int
    variant_id: int
    quantity: int


@dataclass(slots=True)
class FulfillmentView:
    id: int
    order_id: int
    method: FulfillmentMethod
    status: OrderStatus
    location_id: int
    transfer_id: int | None
    pickup_code: str | None
    carrier: str | None
    tracking_number: str | None
    created_at: datetime
    updated_at: datetime
    lines: list[FulfillmentLineView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    order_id: int
    gateway: str
    tender: str
    status: PaymentStatus
    amount: int
    tendered: int | None
    currency_code: str
    card_last4: str | None


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    number: str
    status: OrderStatus
    channel_id: int
    customer_id: int | None
    email: str | None
    currency_code: str
    subtotal: int
    discount_total: int
    shipping_total: int
    tax_total: int
    prices_include_tax: bool
    total: int
    discounts: list[dict[str, Any]]
    shipping_address: dict[str, Any] | None
    pickup_location_id: int | None
    routing_decision: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class OrderRead:
    """An order with everything its readers are shown."""

    order: OrderView
    channel_code: str
    lines: list[OrderLineView]
    fulfillments: list[FulfillmentView]
    payments: list[PaymentView]
