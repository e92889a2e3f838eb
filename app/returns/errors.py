"""Return and refund error codes; the API shows them as `userErrors[].code`."""

from __future__ import annotations

from app.errors import Conflict, Invalid, NotFound


class UnknownReturn(NotFound):
    code = "NOT_FOUND"


class NoReturnLines(Invalid):
    code = "RETURN_LINES_REQUIRED"


class NotReturnable(Invalid):
    """More units than were handed over or shipped, less those already returned."""

    code = "QUANTITY_NOT_RETURNABLE"


class ReturnWindowClosed(Invalid):
    code = "RETURN_WINDOW_CLOSED"


class ReturnLocationRequired(Invalid):
    code = "RETURN_LOCATION_REQUIRED"


class LocationRefusesReturns(Invalid):
    code = "LOCATION_DOES_NOT_ACCEPT_RETURNS"


class NoMailReturnLocation(Invalid):
    code = "NO_MAIL_RETURN_LOCATION"


class ReturnAlreadyReceived(Conflict):
    code = "RETURN_ALREADY_RECEIVED"


class ReturnNotReceived(Conflict):
    code = "RETURN_NOT_RECEIVED"


class RefundExceedsRefundable(Invalid):
    code = "REFUND_EXCEEDS_REFUNDABLE"


class InvalidRefundAmount(Invalid):
    code = "INVALID_REFUND_AMOUNT"
