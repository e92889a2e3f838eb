"""Cart error codes: stable, documented in docs/carts.md."""

from __future__ import annotations

from app.errors import Conflict, Forbidden, Invalid, NotFound


class CartNotFound(NotFound):
    """Unknown, or someone else's: the two answer alike so a cart ID leaks nothing."""

    code = "NOT_FOUND"


class CartExpired(Conflict):
    code = "CART_EXPIRED"


class CartMerged(Conflict):
    code = "CART_MERGED"


class CartNotActive(Conflict):
    code = "CART_NOT_ACTIVE"


class InvalidBuyer(Invalid):
    code = "INVALID_BUYER_IDENTITY"


class UnknownVariant(NotFound):
    code = "UNKNOWN_VARIANT"


class VariantUnavailable(Invalid):
    code = "VARIANT_UNAVAILABLE"


class InvalidQuantity(Invalid):
    code = "INVALID_QUANTITY"


class QuantityLimitExceeded(Invalid):
    code = "QUANTITY_LIMIT_EXCEEDED"


class TooManyLines(Invalid):
    code = "TOO_MANY_LINES"


class LineNotFound(NotFound):
    code = "LINE_NOT_FOUND"


class UnsupportedCurrency(Invalid):
    code = "UNSUPPORTED_CURRENCY"


class ChannelInactive(Invalid):
    code = "CHANNEL_INACTIVE"


class PickupUnavailable(Invalid):
    code = "PICKUP_NOT_AVAILABLE"


class UnknownLocation(NotFound):
    code = "UNKNOWN_LOCATION"


class InvalidAddress(Invalid):
    code = "INVALID_ADDRESS"


class CustomerNotAllowed(Forbidden):
    code = "FORBIDDEN"


class UnknownCustomer(NotFound):
    code = "UNKNOWN_CUSTOMER"


class TooManyCodes(Invalid):
    code = "TOO_MANY_DISCOUNT_CODES"


class NoteTooLong(Invalid):
    code = "NOTE_TOO_LONG"
