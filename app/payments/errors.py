"""Payment error codes; the API shows them as `userErrors[].code`."""

from __future__ import annotations

from app.errors import Conflict, Invalid


class PaymentDeclined(Conflict):
    code = "PAYMENT_DECLINED"


class PaymentInsufficient(Invalid):
    code = "PAYMENT_INSUFFICIENT"


class InvalidPayment(Invalid):
    code = "INVALID_PAYMENT"
