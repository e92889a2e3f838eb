"""Importing a marketplace's order: once per (channel, external id), at the marketplace's
prices, with the buyer recognised where an identifier matches, and the stock reserved from the
marketplace channel's own pool, exactly as a checkout would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.config import Settings
from app.customers.identity import IdentifierInput, recognise_customer
from app.database import UnitOfWork
from app.errors import Forbidden, Invalid
from app.events.broker import Broker
from app.inventory import repository as inventory_repository
from app.inventory.errors import UnknownSku
from app.kit.clock import utcnow
from app.models.channel import ChannelKind
from app.models.customer import IdentifierKind
from app.models.order import FulfillmentMethod, Payment, PaymentStatus
from app.orders import placing, repository
from app.orders.checkout import Reference, plan
from app.orders.errors import IdempotencyKeyReused, OutOfStock

MAX_LINES = 200


@dataclass(frozen=True, slots=True)
class ImportLine:
    sku: str
    quantity: int
    unit_price: int
    discount: int = 0
    tax: int = 0


@dataclass(frozen=True, slots=True)
class ImportBuyer:
    email: str | None = None
    phone: str | None = None
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True, slots=True)
class ImportPayment:
    reference: str
    amount: int


@dataclass(frozen=True, slots=True)
class MarketplaceOrder:
    channel: str
    external_id: str
    lines: Sequence[ImportLine]
    buyer: ImportBuyer
    shipping_address: dict[str, Any]
    payment: ImportPayment
    shipping: int = 0
    prices_include_tax: bool = False

    def digest(self) -> str:
        return placing.digest({
            "op": "marketplaceOrderImport", "channel": self.channel,
            "externalId": self.external_id,
            "lines": [[ln.sku, ln.quantity, ln.unit_price, ln.discount, ln.tax]
                      for ln in self.lines],
            "buyer": [self.buyer.email, self.buyer.phone],
            "address": self.shipping_address, "payment": [self.payment.reference,
                                                          self.payment.amount],
            "shipping": self.shipping,
        })  # fmt: skip


def _check_lines(lines: Sequence[ImportLine]) -> None:
    if not lines or len(lines) > MAX_LINES:
        raise Invalid(f"An order has 1 to {MAX_LINES} lines", code="INVALID_LINES", field="lines")
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.quantity < 1:
            raise Invalid("A quantity is at least 1", code="INVALID_QUANTITY",
                          field=f"lines.{i}.quantity")  # fmt: skip
        if line.unit_price < 0 or line.discount < 0 or line.tax < 0:
            raise Invalid("Amounts cannot be negative", code="INVALID_AMOUNT",
                          field=f"lines.{i}.unitPrice")  # fmt: skip
        if line.sku in seen:
            raise Invalid(f"{line.sku} is given twice", code="INVALID_LINES",
                          field=f"lines.{i}.sku")  # fmt: skip
        seen.add(line.sku)


async def import_order(
    uow: UnitOfWork,
    settings: Settings,
    ref: Reference,
    data: MarketplaceOrder,
    broker: Broker | None,
    *,
    default_region: str,
) -> int:
    """The order for a marketplace order; the same import again returns the same order."""
    session = uow.session
    channel = ref.channels.by_code(data.channel, "channel")
    if channel.kind is not ChannelKind.MARKETPLACE:
        raise Forbidden(f"'{channel.code}' is not a marketplace channel", field="channel")
    key = placing.check_key(f"marketplace:{channel.code}:{data.external_id.strip()}")
    existing = await repository.order_by_key(session, key)
    if existing is not None:
        if existing.request_digest != data.digest():
            raise IdempotencyKeyReused(
                "This marketplace order was imported with other content", field="externalId"
            )
        return existing.id
    _check_lines(data.lines)
    skus = [ln.sku.strip() for ln in data.lines]
    ids = await inventory_repository.variant_ids_by_sku(session, skus)
    for i, sku in enumerate(skus):
        if sku not in ids:
            raise UnknownSku(f"No variant has SKU {sku}", field=f"lines.{i}.sku")
    priced = [
        placing.PricedLine(
            variant_id=ids[sku], sku=sku, quantity=ln.quantity, unit_price=ln.unit_price,
            subtotal=ln.unit_price * ln.quantity, discount=ln.discount, tax=ln.tax,
            total=ln.unit_price * ln.quantity - ln.discount,
        )
        for sku, ln in zip(skus, data.lines, strict=True)
    ]  # fmt: skip
    subtotal = sum(p.subtotal for p in priced)
    discount = sum(p.discount for p in priced)
    tax = sum(p.tax for p in priced)
    total = subtotal - discount + data.shipping + (0 if data.prices_include_tax else tax)
    if data.payment.amount != total:
        raise Invalid(
            f"The payment ({data.payment.amount}) differs from the order's total ({total})",
            code="PAYMENT_INSUFFICIENT", field="payment.amount",
        )  # fmt: skip
    identifiers = []
    if data.buyer.email:
        identifiers.append(IdentifierInput(IdentifierKind.EMAIL, data.buyer.email))
    if data.buyer.phone:
        identifiers.append(IdentifierInput(IdentifierKind.PHONE, data.buyer.phone))
    customer_id = None
    if identifiers:
        recognition = await recognise_customer(
            session, identifiers, default_region=default_region, channel_code=channel.code,
            first_name=data.buyer.first_name, last_name=data.buyer.last_name,
        )  # fmt: skip
        customer_id = recognition.customer_id
    lines = {p.variant_id: p.quantity for p in priced}
    decided = await plan(
        uow, settings, ref, channel=channel, method=FulfillmentMethod.SHIPPING,
        lines=lines, pickup_location_id=None, address=data.shipping_address,
    )  # fmt: skip
    if not decided.filled:
        raise OutOfStock("The marketplace channel's pool cannot fill this order", field="lines")
    new = placing.NewOrder(
        channel_id=channel.id, channel_code=channel.code, currency_code=channel.currency_code,
        customer_id=customer_id, email=(data.buyer.email or "").strip().lower() or None,
        lines=priced,
        totals=placing.Totals(subtotal, discount, data.shipping, tax, total,
                              data.prices_include_tax),
        method=FulfillmentMethod.SHIPPING, route=decided,
        shipping_address=data.shipping_address, idempotency_key=key,
        request_digest=data.digest(),
    )  # fmt: skip
    await placing.reserve_route(uow, broker, decided)
    order = await placing.write_order(uow, new)
    if total > 0:
        session.add(
            Payment(
                order_id=order.id, gateway=f"marketplace:{channel.code}", tender="MARKETPLACE",
                status=PaymentStatus.CAPTURED, amount=total, currency_code=order.currency_code,
                reference=data.payment.reference.strip()[:100] or data.external_id,
                created_at=utcnow(), updated_at=utcnow(),
            )
        )  # fmt: skip
    await placing.announce(uow, order, new)
    await session.flush()
    return order.id
