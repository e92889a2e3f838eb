"""Demo returns: Camille's web order, shipped from the Laval distribution centre and
delivered, brought back to the downtown store (one unit restocked, one damaged) and partly
refunded to her card. Written through the return and refund services, stock through the
reservation rules, so the ledger and the counters agree."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.auth.viewer import Viewer, ViewerKind
from app.database import UnitOfWork
from app.demo.context import DemoContext
from app.inventory import reservations
from app.kit.clock import utcnow
from app.models.catalog import Price
from app.models.customer import CustomerIdentifier, IdentifierKind
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
from app.models.returns import ReturnDisposition
from app.models.staff import StaffRole
from app.payments.gateway import gateway_for
from app.returns import create, receive, refunds

SYSTEM = Viewer(kind=ViewerKind.STAFF, role=StaffRole.ADMIN)
CAMILLE = "camille.roy@demo.omnigraph.dev"
TAX_PPM = 149_750  # GST + QST, prices exclusive
SHIPPING = 995
DISCOUNT_PERCENT = 10


def _tax(amount: int) -> int:
    return (amount * TAX_PPM + 500_000) // 1_000_000


async def _delivered_web_order(ctx: DemoContext, uow: UnitOfWork, customer_id: int) -> Order:
    """Two units of one variant and one of another, 10 % off the order, shipped to Montréal."""
    session = uow.session
    chosen = [(ctx.variants[40], 2), (ctx.variants[41], 1)]
    prices = {
        row.variant_id: row.amount
        for row in await session.execute(
            select(Price.variant_id, Price.amount).where(
                Price.variant_id.in_([v.id for v, _ in chosen]), Price.currency_code == "CAD"
            )
        )
    }
    subtotals = [prices[v.id] * q for v, q in chosen]
    discount_total = sum(subtotals) * DISCOUNT_PERCENT // 100
    # The order discount allocated over the lines in proportion, the last taking the rest.
    discounts = [s * discount_total // sum(subtotals) for s in subtotals[:-1]]
    discounts.append(discount_total - sum(discounts))
    totals = [s - d for s, d in zip(subtotals, discounts, strict=True)]
    taxes = [_tax(t) for t in totals]
    tax_total = sum(taxes) + _tax(SHIPPING)
    now = utcnow()
    placed, delivered = now - timedelta(days=6), now - timedelta(days=3)
    web, laval = ctx.channels["web"], ctx.locations["wh-laval"]
    order = Order(
        number="tmp-demo-return", status=OrderStatus.DELIVERED, channel_id=web.id,
        customer_id=customer_id, email=CAMILLE, currency_code="CAD", subtotal=sum(subtotals),
        discount_total=discount_total, shipping_total=SHIPPING, tax_total=tax_total,
        prices_include_tax=False, total=sum(totals) + SHIPPING + tax_total,
        discounts=[{"promotion": "Welcome 10 %", "code": "WELCOME10", "amount": discount_total}],
        shipping_address={"line1": "300 rue Saint-Paul O", "city": "Montréal", "region": "QC",
                          "postalCode": "H2Y 2A3", "countryCode": "CA"},
        routing_decision={}, created_at=placed, updated_at=delivered,
    )  # fmt: skip
    session.add(order)
    await session.flush()
    order.number = f"OG-{100000 + order.id}"
    fulfilment = Fulfillment(
        order_id=order.id, method=FulfillmentMethod.SHIPPING, status=OrderStatus.DELIVERED,
        location_id=laval.id, carrier="Purolator", tracking_number="PUR-DEMO-0001",
        created_at=placed, updated_at=delivered,
    )  # fmt: skip
    session.add(fulfilment)
    await session.flush()
    for (variant, quantity), subtotal, discount, total, tax in zip(
        chosen, subtotals, discounts, totals, taxes, strict=True
    ):
        line = OrderLine(
            order_id=order.id, variant_id=variant.id, sku=variant.sku, quantity=quantity,
            unit_price=prices[variant.id], subtotal=subtotal, discount=discount, tax=tax,
            total=total,
        )  # fmt: skip
        session.add(line)
        await session.flush()
        session.add(FulfillmentLine(fulfillment_id=fulfilment.id, order_line_id=line.id,
                                    variant_id=variant.id, quantity=quantity))  # fmt: skip
        await reservations.reserve(
            uow, None, variant_id=variant.id, location_id=laval.id, quantity=quantity
        )
        await reservations.fulfil(
            uow, None, variant_id=variant.id, location_id=laval.id, quantity=quantity,
            order_reference=order.number,
        )  # fmt: skip
    session.add(
        Payment(
            order_id=order.id, gateway="test", tender="CARD", status=PaymentStatus.CAPTURED,
            amount=order.total, currency_code="CAD", reference="auth_demo_return_0001",
            card_last4="4242", created_at=placed, updated_at=delivered,
        )
    )  # fmt: skip
    await session.flush()
    return order


async def load(ctx: DemoContext) -> None:
    session = ctx.session
    uow = UnitOfWork(session)
    customer_id = (
        await session.execute(
            select(CustomerIdentifier.customer_id).where(
                CustomerIdentifier.kind == IdentifierKind.EMAIL,
                CustomerIdentifier.value == CAMILLE,
            )
        )
    ).scalar_one()
    order = await _delivered_web_order(ctx, uow, customer_id)
    lines = list(
        (await session.execute(select(OrderLine).where(OrderLine.order_id == order.id)))
        .scalars()
    )  # fmt: skip
    pair = next(ln for ln in lines if ln.quantity == 2)
    return_id = await create.create_return(
        uow, SYSTEM,
        create.ReturnRequest(
            order_id=order.id, lines=(create.ReturnLineRequest(pair.id, 2),),
            reason="Wrong size", location_id=ctx.locations["st-downtown"].id,
        ),
    )  # fmt: skip
    await receive.receive_return(
        uow, None, SYSTEM,
        receive.ReceiveRequest(return_id, "demo-return-receive-1", (
            receive.ReceivedLine(pair.id, 1, ReturnDisposition.RESTOCK),
            receive.ReceivedLine(pair.id, 1, ReturnDisposition.DAMAGED),
        )),
    )  # fmt: skip
    # A partial refund: the damaged unit is being looked at, the other is paid back.
    one_unit = (pair.total + pair.tax) // 2
    await refunds.create_refund(
        uow, gateway_for("test"), SYSTEM,
        refunds.RefundRequest(return_id, "demo-refund-1", amount=Decimal(one_unit) / 100,
                              reason="Restocked unit"),
    )  # fmt: skip
    await session.flush()
