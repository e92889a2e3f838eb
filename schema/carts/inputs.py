"""Cart inputs; IDs are decoded inside the mutation so a bad one becomes a userError."""

from __future__ import annotations

import strawberry

from app.carts.details import AddressInput
from app.carts.service import BuyerIdentity, LineInput, LineUpdate
from app.models.cart import DeliveryMethod
from schema.relay import decode_id


@strawberry.input
class CartLineInput:
    merchandise_id: strawberry.ID = strawberry.field(description="A ProductVariant ID.")
    quantity: int = 1

    def to_domain(self, index: int) -> LineInput:
        field = f"lines.{index}.merchandiseId"
        return LineInput(decode_id(self.merchandise_id, "ProductVariant", field), self.quantity)


@strawberry.input
class CartLineUpdateInput:
    id: strawberry.ID = strawberry.field(description="A CartLine ID.")
    quantity: int = strawberry.field(description="0 removes the line.")

    def to_domain(self, index: int) -> LineUpdate:
        return LineUpdate(decode_id(self.id, "CartLine", f"lines.{index}.id"), self.quantity)


@strawberry.input
class CartBuyerIdentityInput:
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Staff name the customer they serve; a signed-in customer is implied.",
    )
    email: str | None = None
    country_code: str | None = None

    def to_domain(self) -> BuyerIdentity:
        customer = (
            decode_id(self.customer_id, "Customer", "buyerIdentity.customerId")
            if self.customer_id
            else None
        )
        return BuyerIdentity(customer, self.email, self.country_code)


@strawberry.input
class CartInput:
    channel: str = strawberry.field(description="The code of the channel the cart sells on.")
    lines: list[CartLineInput] = strawberry.field(default_factory=list)
    buyer_identity: CartBuyerIdentityInput | None = None
    discount_codes: list[str] = strawberry.field(default_factory=list)
    currency_code: str | None = strawberry.field(
        default=None, description="Must be the channel's currency when given."
    )
    note: str | None = None


@strawberry.input
class CartAddressInput:
    line1: str
    city: str
    country_code: str
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def to_domain(self) -> AddressInput:
        return AddressInput(
            line1=self.line1,
            city=self.city,
            country_code=self.country_code,
            line2=self.line2,
            region=self.region,
            postal_code=self.postal_code,
            latitude=self.latitude,
            longitude=self.longitude,
        )


@strawberry.input
class CartDeliveryMethodInput:
    method: DeliveryMethod
    address: CartAddressInput | None = strawberry.field(default=None, description="For SHIPPING.")
    pickup_location_id: strawberry.ID | None = strawberry.field(
        default=None, description="For PICKUP: a store that offers pickup."
    )
