"""Order error codes; the API shows them as `userErrors[].code`."""

from __future__ import annotations

from app.errors import Conflict, Forbidden, Invalid, NotFound


class EmptyCart(Invalid):
    code = "EMPTY_CART"


class DeliveryRequired(Invalid):
    code = "DELIVERY_METHOD_REQUIRED"


class ShippingAddressRequired(Invalid):
    code = "SHIPPING_ADDRESS_REQUIRED"


class PickupNotAvailable(Invalid):
    code = "PICKUP_NOT_AVAILABLE"


class OutOfStock(Conflict):
    code = "OUT_OF_STOCK"


class PriceChanged(Conflict):
    code = "PRICE_CHANGED"


class VariantUnavailable(Invalid):
    code = "VARIANT_UNAVAILABLE"


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"


class InvalidIdempotencyKey(Invalid):
    code = "INVALID_IDEMPOTENCY_KEY"


class UnknownOrder(NotFound):
    code = "NOT_FOUND"


class IllegalTransition(Conflict):
    code = "ILLEGAL_TRANSITION"


class WrongPickupCode(Invalid):
    code = "WRONG_PICKUP_CODE"


class PickupIdentityRequired(Invalid):
    code = "PICKUP_CODE_REQUIRED"


class OrderForbidden(Forbidden):
    code = "FORBIDDEN"
