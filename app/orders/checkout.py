"""Checkout: a web or app cart becomes an order, once per idempotency key.

One unit of work locks the cart, prices it with the engine (the cart's own price, so the
order's snapshot is what the shopper saw), routes and reserves its units, redeems its codes,
authorises the payment and closes the cart. Any failure rolls all of it back: no order, no
reservation, no code used, and the payment is authorised last, so a refused card costs
nothing and a refused order never holds money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from app.auth.viewer import Viewer
from app.carts import repository as cart_repository
from app.carts import service as carts
from app.carts.errors import CartNotActive
from app.carts.reads import shipping_terms, tax_rule_for
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.config import Settings
from app.database import UnitOfWork
from app.events.broker import Broker
from app.inventory.views import ChannelPool
from app.kit.clock import utcnow
from app.locations.views import GeoPoint, LocationView
from app.models.cart import Cart, DeliveryMethod
from app.models.location import LocationKind
from app.models.order import FulfillmentMethod, Order
from app.orders import placing, repository
from app.orders.errors import (
    DeliveryRequired,
    EmptyCart,
    IdempotencyKeyReused,
    OutOfStock,
    PickupNotAvailable,
    PriceChanged,
    ShippingAddressRequired,
    VariantUnavailable,
)
from app.orders.routing import Route, RouteRequest, route
from app.payments.gateway import PaymentGateway
from app.pricing.redemption import redeem_codes
from app.pricing.service import CartLineInput, CartPricing, price_cart_lines


@dataclass(frozen=True, slots=True)
class Reference:
    """Reference data read before the transaction opens (a request holding locks must not
    wait for a second pooled connection)."""

    locations: dict[int, LocationView]
    pools: dict[int, ChannelPool]
    request_channel: ChannelView | None
    channels: ChannelDirectory


class KeyedRequest(Protocol):
    """A request placing an order from a cart under an idempotency key."""

    @property
    def cart_token(self) -> str: ...

    @property
    def idempotency_key(self) -> str: ...

    def digest(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    cart_token: str
    idempotency_key: str
    payment_token: str
    expected_total: Decimal | None = None

    def digest(self) -> str:
        return placing.digest({
            "op": "checkoutComplete",
            "cartId": self.cart_token.strip(),
            "payment": self.payment_token.strip(),
            "expectedTotal": None if self.expected_total is None else str(self.expected_total),
        })  # fmt: skip


def replay(order: Order, request: KeyedRequest, viewer: Viewer) -> int:
    """A retry gets the order its key placed; another body under the same key is refused."""
    same_owner = order.customer_id is None or viewer.is_customer_self(order.customer_id)
    if order.request_digest != request.digest() or not (same_owner or viewer.is_staff):
        raise IdempotencyKeyReused(
            "This idempotency key was used for another request", field="idempotencyKey"
        )
    return order.id


async def open_cart(
    uow: UnitOfWork,
    settings: Settings,
    viewer: Viewer,
    ref: Reference,
    request: KeyedRequest,
    key: str,
) -> Cart | int:
    """The locked cart to place an order from, or the order this request's (checked) key
    already placed: before this request, or while it waited for the cart's lock."""
    existing = await repository.order_by_key(uow.session, key)
    if existing is not None:
        return replay(existing, request, viewer)
    try:
        return await carts.open_for_change(
            uow.session, settings, viewer, request.cart_token, ref.request_channel
        )
    except CartNotActive:
        existing = await repository.order_by_key(uow.session, key)
        if existing is not None:
            return replay(existing, request, viewer)
        raise


def _point(address: dict[str, object] | None) -> GeoPoint | None:
    if not address:
        return None
    lat, lon = address.get("latitude"), address.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return GeoPoint(float(lat), float(lon))
    return None


async def plan(
    uow: UnitOfWork,
    settings: Settings,
    ref: Reference,
    *,
    channel: ChannelView,
    method: FulfillmentMethod,
    lines: dict[int, int],
    pickup_location_id: int | None,
    address: dict[str, object] | None,
) -> Route:
    """What routing decides for these lines now, from the channel's pool."""
    pool = ref.pools.get(channel.id)
    members = set(pool.location_ids) if pool else set()
    # The pickup store (or till) counts with its own shelves, in the pool or not.
    if pickup_location_id is not None:
        members.add(pickup_location_id)
    units = await repository.available_at(uow.session, list(lines), sorted(members))
    store = ref.locations.get(pickup_location_id) if pickup_location_id else None
    preference = settings.routing_preference.get(channel.code)
    request = RouteRequest(
        method=method,
        lines=lines,
        pool=[(ref.locations[m], units.get(m, {})) for m in sorted(members) if m in ref.locations],
        destination=_point(address),
        pickup_location=store,
        prefer_kind=LocationKind(preference)
        if preference is not None and preference in LocationKind.__members__
        else None,
    )
    return route(request)


def check_delivery(cart: Cart, ref: Reference) -> tuple[FulfillmentMethod, LocationView | None]:
    if cart.delivery_method is None:
        raise DeliveryRequired("Choose shipping or pickup first", field="cartId")
    if cart.delivery_method is DeliveryMethod.SHIPPING:
        if not cart.shipping_address:
            raise ShippingAddressRequired("Shipping needs an address", field="cartId")
        return FulfillmentMethod.SHIPPING, None
    store = ref.locations.get(cart.pickup_location_id or 0)
    if store is None or not store.pickup or not store.is_open:
        raise PickupNotAvailable("The chosen store does not offer pickup now", field="cartId")
    return FulfillmentMethod.PICKUP_IN_STORE, store


def priced_lines(pricing: CartPricing, quantities: dict[int, int]) -> list[placing.PricedLine]:
    result = []
    for line in pricing.priced.lines:
        fact = pricing.facts.get(line.key)
        if fact is None or line.unit_price is None:
            raise VariantUnavailable("A product in the cart is no longer sold", field="cartId")
        result.append(
            placing.PricedLine(
                variant_id=line.key,
                sku=fact.sku,
                quantity=quantities[line.key],
                unit_price=line.unit_price,
                subtotal=line.subtotal,
                discount=line.discount,
                tax=line.tax,
                total=line.total,
            )
        )
    return result


async def checkout_complete(
    uow: UnitOfWork,
    settings: Settings,
    viewer: Viewer,
    ref: Reference,
    request: CheckoutRequest,
    gateway: PaymentGateway,
    broker: Broker | None = None,
) -> int:
    """Place the order for a cart; returns the order's id (the same one on every retry)."""
    session = uow.session
    key = placing.check_key(request.idempotency_key)
    opened = await open_cart(uow, settings, viewer, ref, request, key)
    if isinstance(opened, int):
        return opened
    cart = opened
    channel = ref.channels.by_id(cart.channel_id)
    if channel is None:  # pragma: no cover - carts are deleted with their channel
        raise EmptyCart("The cart's channel no longer exists", field="cartId")
    cart_lines = list((await cart_repository.lines_for_change(session, cart.id)).values())
    if not cart_lines:
        raise EmptyCart("The cart is empty", field="cartId")
    method, store = check_delivery(cart, ref)
    view = carts.view_of(cart)
    # Keyed by variant: a variant appears once per cart.
    pricing = await price_cart_lines(
        session,
        channel_id=cart.channel_id,
        currency_code=cart.currency_code,
        customer_id=cart.customer_id,
        lines=[CartLineInput(ln.variant_id, ln.variant_id, ln.quantity) for ln in cart_lines],
        codes=cart.discount_codes,
        tax=await tax_rule_for(session, view, store),
        shipping=shipping_terms(settings, view),
        at=utcnow(),
    )
    priced = pricing.priced
    if request.expected_total is not None:
        expected = int((request.expected_total * 100).to_integral_value())
        if expected != priced.total:
            raise PriceChanged(
                "The cart's total changed since it was read; review it and try again",
                field="expectedTotal",
            )
    quantities = {ln.variant_id: ln.quantity for ln in cart_lines}
    lines = priced_lines(pricing, quantities)
    decided = await plan(
        uow, settings, ref, channel=channel, method=method, lines=quantities,
        pickup_location_id=store.id if store else None, address=cart.shipping_address,
    )  # fmt: skip
    if not decided.filled:
        raise OutOfStock("Not enough stock to fill this order", field="cartId")
    new = placing.NewOrder(
        channel_id=channel.id,
        channel_code=channel.code,
        currency_code=cart.currency_code,
        customer_id=cart.customer_id,
        email=cart.email,
        lines=lines,
        totals=placing.Totals(
            subtotal=priced.subtotal,
            discount=priced.discount_total,
            shipping=priced.shipping or 0,
            tax=priced.tax,
            total=priced.total,
            prices_include_tax=priced.prices_include_tax,
            discounts=[
                {"promotion": d.promotion.name, "code": d.promotion.code, "amount": d.amount}
                for d in priced.discounts
            ],
        ),
        method=method,
        route=decided,
        shipping_address=cart.shipping_address if method is FulfillmentMethod.SHIPPING else None,
        pickup_location_id=store.id if store else None,
        cart_id=cart.id,
        idempotency_key=key,
        request_digest=request.digest(),
    )
    transfer_id = None
    if decided.rule == placing.TRANSFER_RULE and store is not None:
        skus = {line.variant_id: line.sku for line in lines}
        transfer_id = await placing.send_to_store(uow, broker, decided, store.id, skus)
    else:
        await placing.reserve_route(uow, broker, decided)
    order = await placing.write_order(uow, new, transfer_id)
    await redeem_codes(
        uow,
        cart_id=cart.id,
        customer_id=cart.customer_id,
        codes=[c.code for c in pricing.codes if c.applicable],
    )
    carts.complete_cart(cart)
    await placing.announce(uow, order, new)
    if order.total > 0:
        authorization = await gateway.authorize(
            token=request.payment_token, amount=order.total,
            currency_code=order.currency_code, idempotency_key=key,
        )  # fmt: skip
        placing.add_payment(uow, order, gateway.name, "CARD", authorization)
    await session.flush()
    return order.id
