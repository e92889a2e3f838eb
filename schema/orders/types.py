"""Order types: built from `app.orders.views.OrderRead` with plain attributes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.models.order import FulfillmentMethod, OrderStatus, PaymentStatus
from app.orders.views import FulfillmentView, OrderRead, PaymentView
from schema.catalog.types import Money, _money
from schema.context import Info
from schema.relay import Node, decode_id, to_global_id

if TYPE_CHECKING:
    from schema.returns.refunds import Refund
    from schema.returns.types import Return

OrderStatusEnum = strawberry.enum(OrderStatus, name="OrderStatus")
FulfillmentMethodEnum = strawberry.enum(FulfillmentMethod, name="FulfillmentMethod")
PaymentStatusEnum = strawberry.enum(PaymentStatus, name="PaymentStatus")


@strawberry.type
class OrderLine:
    id: strawberry.ID
    sku: str
    merchandise_id: strawberry.ID = strawberry.field(description="The ProductVariant ID.")
    quantity: int
    unit_price: Money = strawberry.field(description="The price snapshot taken at checkout.")
    subtotal: Money
    discount: Money
    tax: Money
    total: Money


@strawberry.type
class FulfillmentLine:
    line_id: strawberry.ID = strawberry.field(description="The OrderLine ID.")
    sku: str
    quantity: int


@strawberry.type
class Fulfillment:
    id: strawberry.ID
    method: FulfillmentMethodEnum  # type: ignore[valid-type]
    status: OrderStatusEnum  # type: ignore[valid-type]
    location_id: strawberry.ID = strawberry.field(
        description="The Location the units leave from (the pickup store for a pickup)."
    )
    transfer_id: strawberry.ID | None = strawberry.field(
        description="The InventoryTransfer a pickup waits for, when its store lacked stock."
    )
    pickup_code: str | None = strawberry.field(
        description="Set when a pickup is ready; the customer shows it at the store."
    )
    carrier: str | None
    tracking_number: str | None
    lines: list[FulfillmentLine]
    updated_at: datetime


@strawberry.type
class Payment:
    id: strawberry.ID
    gateway: str
    tender: str
    status: PaymentStatusEnum  # type: ignore[valid-type]
    amount: Money
    change: Money | None = strawberry.field(description="Cash given back at the till.")
    card_last4: str | None


@strawberry.type
class OrderDiscount:
    promotion: str
    code: str | None
    amount: Money


@strawberry.type
class OrderCost:
    subtotal: Money
    discounts: list[OrderDiscount]
    shipping: Money
    tax: Money
    tax_included: bool
    total: Money


@strawberry.type
class OrderAddress:
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country_code: str | None


@strawberry.type
class RoutingUnits:
    merchandise_id: strawberry.ID
    sku: str
    available: int


@strawberry.type
class RoutingCandidate:
    location_id: strawberry.ID
    location_code: str
    distance_km: float | None
    available: list[RoutingUnits]
    rule: str = strawberry.field(description="The routing rule that looked at this location.")
    taken: bool
    reason: str


@strawberry.type(description="What routing considered for an order, and why it chose.")
class RoutingDecision:
    method: str
    rule: str | None = strawberry.field(description="The rule that settled the route.")
    candidates: list[RoutingCandidate]


def _decision(raw: dict[str, Any], skus: dict[int, str]) -> RoutingDecision:
    return RoutingDecision(
        method=str(raw.get("method", "")),
        rule=raw.get("rule"),
        candidates=[
            RoutingCandidate(
                location_id=strawberry.ID(to_global_id("Location", int(c["locationId"]))),
                location_code=str(c["locationCode"]),
                distance_km=c.get("distanceKm"),
                available=[
                    RoutingUnits(
                        merchandise_id=strawberry.ID(to_global_id("ProductVariant", int(v))),
                        sku=skus.get(int(v), ""),
                        available=int(n),
                    )
                    for v, n in c.get("available", {}).items()
                ],
                rule=str(c["rule"]),
                taken=bool(c["taken"]),
                reason=str(c["reason"]),
            )
            for c in raw.get("candidates", [])
        ],
    )


@strawberry.type(description="A placed order, whatever the channel it came through.")
class Order(Node):
    number: str
    status: OrderStatusEnum  # type: ignore[valid-type]
    channel: str = strawberry.field(description="The code of the channel it was placed on.")
    customer_id: strawberry.ID | None
    email: str | None
    lines: list[OrderLine]
    cost: OrderCost
    shipping_address: OrderAddress | None
    pickup_location_id: strawberry.ID | None
    fulfillments: list[Fulfillment]
    payments: list[Payment]
    routing_decision: RoutingDecision | None = strawberry.field(
        description="For staff: the locations routing considered, their distance and "
        "availability, and the rule that took or passed over each."
    )
    created_at: datetime
    updated_at: datetime

    # Returns and refunds of the order (schema/returns).
    @strawberry.field(description="Returns of the order, newest first.")
    async def returns(
        self, info: Info
    ) -> list[Annotated[Return, strawberry.lazy("schema.returns.types")]]:
        from schema.returns.views import order_returns

        return await order_returns(info, decode_id(self.id, "Order"))

    @strawberry.field(description="Refunds against the order, oldest first.")
    async def refunds(
        self, info: Info
    ) -> list[Annotated[Refund, strawberry.lazy("schema.returns.refunds")]]:
        from schema.returns.views import order_refunds

        return await order_refunds(info, decode_id(self.id, "Order"))

    @strawberry.field(description="The order's total less every refund.")
    async def net_total(self, info: Info) -> Money:
        from schema.returns.views import order_net_total

        return await order_net_total(info, decode_id(self.id, "Order"), self.cost.total)


def _fulfillment(view: FulfillmentView, skus: dict[int, str]) -> Fulfillment:
    return Fulfillment(
        id=strawberry.ID(to_global_id("Fulfillment", view.id)),
        method=view.method,
        status=view.status,
        location_id=strawberry.ID(to_global_id("Location", view.location_id)),
        transfer_id=strawberry.ID(to_global_id("InventoryTransfer", view.transfer_id))
        if view.transfer_id
        else None,
        pickup_code=view.pickup_code,
        carrier=view.carrier,
        tracking_number=view.tracking_number,
        lines=[
            FulfillmentLine(
                line_id=strawberry.ID(to_global_id("OrderLine", ln.order_line_id)),
                sku=skus.get(ln.variant_id, ""),
                quantity=ln.quantity,
            )
            for ln in view.lines
        ],
        updated_at=view.updated_at,
    )


def _payment(view: PaymentView) -> Payment:
    return Payment(
        id=strawberry.ID(to_global_id("Payment", view.id)),
        gateway=view.gateway,
        tender=view.tender,
        status=view.status,
        amount=_money(view.amount, view.currency_code),
        change=_money(view.tendered - view.amount, view.currency_code)
        if view.tendered is not None
        else None,
        card_last4=view.card_last4,
    )


def build_order(read: OrderRead, *, for_staff: bool = False) -> Order:
    o = read.order
    cur = o.currency_code
    skus = {ln.variant_id: ln.sku for ln in read.lines}
    address = o.shipping_address
    return Order(
        id=strawberry.ID(to_global_id("Order", o.id)),
        number=o.number,
        status=o.status,
        channel=read.channel_code,
        customer_id=strawberry.ID(to_global_id("Customer", o.customer_id))
        if o.customer_id
        else None,
        email=o.email,
        lines=[
            OrderLine(
                id=strawberry.ID(to_global_id("OrderLine", ln.id)),
                sku=ln.sku,
                merchandise_id=strawberry.ID(to_global_id("ProductVariant", ln.variant_id)),
                quantity=ln.quantity,
                unit_price=_money(ln.unit_price, cur),
                subtotal=_money(ln.subtotal, cur),
                discount=_money(ln.discount, cur),
                tax=_money(ln.tax, cur),
                total=_money(ln.total, cur),
            )
            for ln in read.lines
        ],
        cost=OrderCost(
            subtotal=_money(o.subtotal, cur),
            discounts=[
                OrderDiscount(
                    promotion=str(d.get("promotion", "")),
                    code=d.get("code"),
                    amount=_money(int(d.get("amount", 0)), cur),
                )
                for d in o.discounts
            ],
            shipping=_money(o.shipping_total, cur),
            tax=_money(o.tax_total, cur),
            tax_included=o.prices_include_tax,
            total=_money(o.total, cur),
        ),
        shipping_address=OrderAddress(
            line1=address.get("line1"),
            line2=address.get("line2"),
            city=address.get("city"),
            region=address.get("region"),
            postal_code=address.get("postalCode"),
            country_code=address.get("countryCode"),
        )
        if address
        else None,
        pickup_location_id=strawberry.ID(to_global_id("Location", o.pickup_location_id))
        if o.pickup_location_id
        else None,
        fulfillments=[_fulfillment(f, skus) for f in read.fulfillments],
        payments=[_payment(p) for p in read.payments],
        routing_decision=_decision(o.routing_decision, skus)
        if for_staff and o.routing_decision
        else None,
        created_at=o.created_at,
        updated_at=o.updated_at,
    )
