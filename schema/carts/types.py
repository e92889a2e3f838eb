"""Cart GraphQL types, built from the read model `app.carts.reads` returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.dataloader import DataLoader

from app.carts.views import CartRead, CartWarningCode
from app.models.cart import CartStatus, DeliveryMethod
from app.pricing.views import Allocation, PricedLine
from schema.catalog.types import Money
from schema.channels.types import Channel
from schema.context import Info
from schema.inventory.inputs import GeoPointInput
from schema.pricing.types import money
from schema.relay import resolve_nodes, to_global_id

if TYPE_CHECKING:
    from schema.catalog.types import ProductVariant
    from schema.inventory.types import Location
    from schema.orders.promise import FulfillmentOptions

strawberry.enum(CartStatus)
strawberry.enum(DeliveryMethod)
strawberry.enum(CartWarningCode)


@strawberry.type(description="A promotion's share of a line or of the cart.")
class CartDiscount:
    promotion: str = strawberry.field(description="The promotion's name, as shown to shoppers.")
    promotion_id: strawberry.ID
    code: str | None = strawberry.field(description="The code that unlocked it, if any.")
    amount: Money


def _discount(a: Allocation, currency_code: str) -> CartDiscount:
    return CartDiscount(
        promotion=a.promotion.name,
        promotion_id=strawberry.ID(to_global_id("Promotion", a.promotion.promotion_id)),
        code=a.promotion.code,
        amount=money(a.amount, currency_code),
    )


@strawberry.type
class CartLineCost:
    unit_price: Money | None = strawberry.field(
        description="Base unit price; null when the product is no longer sold here."
    )
    compare_at_price: Money | None
    subtotal: Money
    discount_allocations: list[CartDiscount]
    total: Money


@strawberry.type(description="A cart's amounts; allocations sum exactly to each discount.")
class CartCost:
    subtotal: Money = strawberry.field(description="Lines at base price.")
    discounts: list[CartDiscount]
    shipping: Money | None = strawberry.field(description="Null until a delivery is chosen.")
    tax: Money
    tax_included: bool = strawberry.field(
        description="True when the channel's prices include tax (then `total` does not add it)."
    )
    total: Money


@strawberry.type
class CartLine:
    id: strawberry.ID
    quantity: int
    merchandise_id: strawberry.ID
    sku: str | None
    cost: CartLineCost
    variant_pk: strawberry.Private[int]

    @strawberry.field(description="The variant; null when it is no longer visible.")
    async def merchandise(
        self, info: Info
    ) -> Annotated[ProductVariant, strawberry.lazy("schema.catalog.types")] | None:
        return await _variants(info).load(self.variant_pk)  # type: ignore[no-any-return]


def _variants(info: Info) -> DataLoader[int, Any]:
    """Every line's variant in one node lookup per request."""
    loader: DataLoader[int, Any] | None = info.context.extras.get("carts.variants")
    if loader is None:

        async def load(ids: Sequence[int]) -> list[Any]:
            return list(await resolve_nodes(info, [to_global_id("ProductVariant", i) for i in ids]))

        loader = info.context.extras["carts.variants"] = DataLoader(load)
    return loader


@strawberry.type
class CartWarning:
    code: CartWarningCode
    line_id: strawberry.ID | None
    message: str


@strawberry.type
class CartDiscountCode:
    code: str
    applicable: bool = strawberry.field(
        description="Whether it takes effect on this cart now (channel, shopper, exclusivity)."
    )


@strawberry.type
class CartBuyerIdentity:
    customer_id: strawberry.ID | None
    email: str | None
    country_code: str | None


@strawberry.type
class CartAddress:
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str
    latitude: float | None
    longitude: float | None


@strawberry.type
class CartDelivery:
    method: DeliveryMethod
    address: CartAddress | None
    pickup_location_id: strawberry.ID | None
    location: strawberry.Private[Any] = None

    @strawberry.field(description="The pickup store.")
    def pickup_location(
        self,
    ) -> Annotated[Location, strawberry.lazy("schema.inventory.types")] | None:
        return cast("Location | None", self.location)


@strawberry.type(
    description="A cart. Its ID is unguessable: a guest cart is reachable by the ID alone; a "
    "customer's needs that customer's token (or staff serving them)."
)
class Cart:
    id: strawberry.ID
    status: CartStatus
    channel: Channel
    buyer_identity: CartBuyerIdentity
    lines: list[CartLine] = strawberry.field(description="Oldest first (at most a few hundred).")
    total_quantity: int
    cost: CartCost
    discount_codes: list[CartDiscountCode]
    delivery: CartDelivery | None
    note: str
    warnings: list[CartWarning]
    created_at: datetime
    updated_at: datetime
    expires_at: datetime = strawberry.field(description="When it expires if left untouched.")
    # What the delivery promise needs: the cart's channel, variants and shipping address.
    read: strawberry.Private[CartRead]

    @strawberry.field(
        description="What checkout would do for these lines now: pickup at the nearest stores "
        "(ready now, or after a transfer, with an estimated ready time) and shipping (from "
        "which location, split or not)."
    )
    async def fulfillment_options(
        self, info: Info, near: GeoPointInput | None = None, first: int = 3
    ) -> Annotated[FulfillmentOptions, strawberry.lazy("schema.orders.promise")]:
        from schema.orders.promise import cart_fulfillment_options

        return await cart_fulfillment_options(info, self.read, near, first)


def _line_cost(p: PricedLine, currency_code: str) -> CartLineCost:
    return CartLineCost(
        unit_price=money(p.unit_price, currency_code) if p.unit_price is not None else None,
        compare_at_price=(
            money(p.compare_at_price, currency_code) if p.compare_at_price is not None else None
        ),
        subtotal=money(p.subtotal, currency_code),
        discount_allocations=[_discount(a, currency_code) for a in p.allocations],
        total=money(p.total, currency_code),
    )


def _delivery(read: CartRead) -> CartDelivery | None:
    from schema.inventory.types import Location

    cart = read.cart
    if cart.delivery_method is None:
        return None
    address = None
    if cart.shipping_address:
        a = cart.shipping_address
        address = CartAddress(
            line1=a.get("line1", ""),
            line2=a.get("line2", ""),
            city=a.get("city", ""),
            region=a.get("region", ""),
            postal_code=a.get("postalCode", ""),
            country_code=a.get("countryCode", ""),
            latitude=a.get("latitude"),
            longitude=a.get("longitude"),
        )
    pickup = cart.pickup_location_id
    return CartDelivery(
        method=cart.delivery_method,
        address=address,
        pickup_location_id=strawberry.ID(to_global_id("Location", pickup)) if pickup else None,
        location=Location.from_view(read.pickup_location) if read.pickup_location else None,
    )


def build_cart(read: CartRead) -> Cart:
    cart, priced = read.cart, read.pricing.priced
    currency = cart.currency_code
    by_key = {p.key: p for p in priced.lines}
    return Cart(
        id=strawberry.ID(cart.token),
        status=cart.status,
        channel=Channel.from_view(read.channel),
        buyer_identity=CartBuyerIdentity(
            customer_id=(
                strawberry.ID(to_global_id("Customer", cart.customer_id))
                if cart.customer_id
                else None
            ),
            email=cart.email,
            country_code=cart.country_code,
        ),
        lines=[
            CartLine(
                id=strawberry.ID(to_global_id("CartLine", ln.id)),
                quantity=ln.quantity,
                merchandise_id=strawberry.ID(to_global_id("ProductVariant", ln.variant_id)),
                sku=fact.sku if (fact := read.pricing.facts.get(ln.variant_id)) else None,
                cost=_line_cost(by_key[ln.id], currency),
                variant_pk=ln.variant_id,
            )
            for ln in read.lines
        ],
        total_quantity=sum(ln.quantity for ln in read.lines),
        cost=CartCost(
            subtotal=money(priced.subtotal, currency),
            discounts=[_discount(d, currency) for d in priced.discounts],
            shipping=money(priced.shipping, currency) if priced.shipping is not None else None,
            tax=money(priced.tax, currency),
            tax_included=priced.prices_include_tax,
            total=money(priced.total, currency),
        ),
        discount_codes=[
            CartDiscountCode(code=c.code, applicable=c.applicable) for c in read.pricing.codes
        ],
        delivery=_delivery(read),
        note=cart.note,
        warnings=[
            CartWarning(
                code=w.code,
                line_id=strawberry.ID(to_global_id("CartLine", w.line_id)) if w.line_id else None,
                message=w.message,
            )
            for w in read.warnings
        ],
        created_at=cart.created_at,
        updated_at=cart.updated_at,
        expires_at=read.expires_at,
        read=read,
    )
