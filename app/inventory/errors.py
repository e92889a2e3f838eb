"""Inventory error codes; the API shows them as `userErrors[].code`."""

from __future__ import annotations

from app.errors import Conflict, Forbidden, Invalid, NotFound


class UnknownSku(NotFound):
    code = "UNKNOWN_SKU"


class UnknownLocation(NotFound):
    code = "UNKNOWN_LOCATION"


class UnknownTransfer(NotFound):
    code = "UNKNOWN_TRANSFER"


class InvalidQuantity(Invalid):
    code = "INVALID_QUANTITY"


class DuplicateSku(Invalid):
    code = "DUPLICATE_SKU"


class ReasonRequired(Invalid):
    code = "REASON_REQUIRED"


class SameLocation(Invalid):
    code = "SAME_LOCATION"


class LocationClosed(Conflict):
    code = "LOCATION_CLOSED"


class InsufficientStock(Conflict):
    code = "INSUFFICIENT_STOCK"


class BelowReserved(Conflict):
    code = "BELOW_RESERVED"


class StaleCount(Conflict):
    code = "STALE_COUNT"


class NotOnTransfer(Invalid):
    code = "NOT_ON_TRANSFER"


class OverReceipt(Conflict):
    code = "OVER_RECEIPT"


class TransferClosed(Conflict):
    code = "TRANSFER_CLOSED"


class LocationForbidden(Forbidden):
    code = "LOCATION_FORBIDDEN"
