"""Selling at a till: cash and carry (the goods leave with the customer), or endless aisle
(the store lacks the item: it is shipped home, or sent to another store for pickup). The
associate fills a POS cart for a recognised customer or a walk-in; its delivery says which:
none is a handover at the associate's store."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.auth.viewer import Viewer
from app.carts import repository as cart_repository
from app.carts import service as carts
from app.carts.reads import shipping_terms, tax_rule_for
from app.config import Settings
from app.database import UnitOfWork
from app.errors import Invalid
from app.events.broker import Broker
from app.kit.clock import utcnow
from app.kit.money import to_minor
from app.locations.views import LocationView
from app.models.cart import DeliveryMethod
from app.models.channel import ChannelKind
from app.models.order import FulfillmentMethod
from app.orders import placing, repository
from app.orders.checkout import (
    Reference,
    check_delivery,
    open_cart,
    plan,
    priced_lines,
)
from app.orders.errors import EmptyCart, OutOfStock
from app.orders.fulfilment import hand_over_now
from app.orders.tenders import Tender, TenderKind, check_tenders, take_tenders
from app.payments.gateway import PaymentGateway
from app.pricing import repository as pricing_repository
from app.pricing.redemption import redeem_codes
from app.pricing.service import CartLineInput, price_cart_lines


@dataclass(frozen=True, slots=True)
class GivenTender:
    """A tender as typed at the till, before the cart's currency is known."""

    kind: TenderKind
    amount: Decimal
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class InStoreRequest:
    cart_token: str
    idempotency_key: str
    tenders: tuple[GivenTender, ...]

    def in_minor_units(self, currency_code: str) -> list[Tender]:
        return [
            Tender(t.kind, to_minor(t.amount, currency_code, f"tenders.{i}.amount"), t.reference)
            for i, t in enumerate(self.tenders)
        ]

    def digest(self) -> str:
        tenders = [[t.kind.value, str(t.amount), t.reference or ""] for t in self.tenders]
        return placing.digest({"op": "orderCreateInStore", "cartId": self.cart_token.strip(),
                               "tenders": tenders})  # fmt: skip


async def create_in_store(
    uow: UnitOfWork,
    settings: Settings,
    viewer: Viewer,
    ref: Reference,
    request: InStoreRequest,
    gateway: PaymentGateway,
    broker: Broker | None = None,
) -> int:
    session = uow.session
    key = placing.check_key(request.idempotency_key)
    opened = await open_cart(uow, settings, viewer, ref, request, key)
    if isinstance(opened, int):
        return opened
    cart = opened
    till = viewer.home_location_id
    if till is None or till not in ref.locations:
        raise Invalid("Selling at a till needs a staff account with a home store",
                      code="HOME_STORE_REQUIRED", field="cartId")  # fmt: skip
    channel = ref.channels.by_id(cart.channel_id)
    if channel is None or channel.kind is not ChannelKind.POS:
        raise Invalid("Only a POS cart is sold at a till", code="NOT_A_POS_CART", field="cartId")
    cart_lines = list((await cart_repository.lines_for_change(session, cart.id)).values())
    if not cart_lines:
        raise EmptyCart("The cart is empty", field="cartId")
    view = carts.view_of(cart)
    store = ref.locations[till]
    target: LocationView | None = store
    if cart.delivery_method is None:
        method = FulfillmentMethod.IN_STORE_HANDOVER
        tax = await pricing_repository.tax_rule(
            session, cart.channel_id, store.country_code, store.region
        )
    else:
        method, pickup = check_delivery(cart, ref)
        target = pickup if cart.delivery_method is DeliveryMethod.PICKUP else None
        tax = await tax_rule_for(session, view, target)
    pricing = await price_cart_lines(
        session, channel_id=cart.channel_id, currency_code=cart.currency_code,
        customer_id=cart.customer_id,
        lines=[CartLineInput(ln.variant_id, ln.variant_id, ln.quantity) for ln in cart_lines],
        codes=cart.discount_codes, tax=tax, shipping=shipping_terms(settings, view), at=utcnow(),
    )  # fmt: skip
    priced = pricing.priced
    tenders = request.in_minor_units(cart.currency_code)
    change = check_tenders(tenders, priced.total)
    quantities = {ln.variant_id: ln.quantity for ln in cart_lines}
    decided = await plan(
        uow, settings, ref, channel=channel, method=method, lines=quantities,
        pickup_location_id=target.id if target else None, address=cart.shipping_address,
    )  # fmt: skip
    if not decided.filled:
        message = (
            "Not in stock at this store: order it for delivery or pickup elsewhere"
            if method is FulfillmentMethod.IN_STORE_HANDOVER
            else "Not enough stock to fill this order"
        )
        raise OutOfStock(message, field="cartId")
    new = placing.NewOrder(
        channel_id=channel.id, channel_code=channel.code, currency_code=cart.currency_code,
        customer_id=cart.customer_id, email=cart.email,
        lines=priced_lines(pricing, quantities),
        totals=placing.Totals(
            priced.subtotal, priced.discount_total, priced.shipping or 0, priced.tax,
            priced.total, priced.prices_include_tax,
            [{"promotion": d.promotion.name, "code": d.promotion.code, "amount": d.amount}
             for d in priced.discounts],
        ),
        method=method, route=decided,
        shipping_address=cart.shipping_address if method is FulfillmentMethod.SHIPPING else None,
        pickup_location_id=target.id if method is FulfillmentMethod.PICKUP_IN_STORE and target
        else None,
        cart_id=cart.id, idempotency_key=key, request_digest=request.digest(),
        location_id=till, staff_user_id=viewer.staff_id,
    )  # fmt: skip
    transfer_id = None
    if decided.rule == placing.TRANSFER_RULE and new.pickup_location_id is not None:
        skus = {line.variant_id: line.sku for line in new.lines}
        transfer_id = await placing.send_to_store(
            uow, broker, decided, new.pickup_location_id, skus
        )
    else:
        await placing.reserve_route(uow, broker, decided)
    order = await placing.write_order(uow, new, transfer_id)
    await redeem_codes(
        uow, cart_id=cart.id, customer_id=cart.customer_id,
        codes=[c.code for c in pricing.codes if c.applicable],
    )  # fmt: skip
    carts.complete_cart(cart)
    await placing.announce(uow, order, new)
    await take_tenders(uow, gateway, order, tenders, change, key)
    await session.flush()
    if method is FulfillmentMethod.IN_STORE_HANDOVER:
        (fulfilment,) = await repository.fulfilments_of(session, order.id)
        await hand_over_now(uow, broker, gateway, order, fulfilment)
    return order.id
