"""The payment gateway interface, and the built-in test gateway.

Checkout authorises the order's total; shipment or handover captures it; a cancellation voids
an authorisation or refunds a capture. A real gateway (card processor, wallet) implements
`PaymentGateway` and is chosen by `PAYMENT_GATEWAY`; nothing else in the code knows which
one runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from app.payments.errors import InvalidPayment, PaymentDeclined


@dataclass(frozen=True, slots=True)
class Authorization:
    reference: str
    amount: int
    currency_code: str
    card_last4: str | None


class PaymentGateway(Protocol):
    name: str

    async def authorize(
        self, *, token: str, amount: int, currency_code: str, idempotency_key: str
    ) -> Authorization:
        """Hold `amount` on the card behind `token`, or raise PaymentDeclined."""
        ...

    async def capture(self, reference: str, amount: int) -> None: ...

    async def void(self, reference: str) -> None: ...

    async def refund(self, reference: str, amount: int) -> None: ...


# Test card tokens and what the test gateway answers for them.
TEST_DECLINES = {
    "tok_declined": "The card was declined",
    "tok_insufficient_funds": "The card has insufficient funds",
    "tok_expired": "The card has expired",
}
TEST_APPROVALS = {"tok_visa": "4242", "tok_mastercard": "4444", "tok_amex": "0005"}


class TestGateway:
    """Deterministic answers by card token, so tests and the demo need no network: the
    approving tokens of TEST_APPROVALS authorise any amount, those of TEST_DECLINES are
    refused with their reason, anything else is not a token."""

    name = "test"

    def __init__(self) -> None:
        self.captured: dict[str, int] = {}
        self.voided: set[str] = set()
        self.refunded: dict[str, int] = {}

    async def authorize(
        self, *, token: str, amount: int, currency_code: str, idempotency_key: str
    ) -> Authorization:
        token = token.strip()
        if token in TEST_DECLINES:
            raise PaymentDeclined(TEST_DECLINES[token], field="payment.token")
        last4 = TEST_APPROVALS.get(token)
        if last4 is None:
            raise InvalidPayment("Not a card token this gateway knows", field="payment.token")
        # The same request authorises once: the reference is derived from its key.
        digest = hashlib.sha256(f"{idempotency_key}:{amount}".encode()).hexdigest()[:20]
        return Authorization(f"auth_{digest}", amount, currency_code, last4)

    async def capture(self, reference: str, amount: int) -> None:
        self.captured[reference] = amount

    async def void(self, reference: str) -> None:
        self.voided.add(reference)

    async def refund(self, reference: str, amount: int) -> None:
        self.refunded[reference] = self.refunded.get(reference, 0) + amount


_test_gateway = TestGateway()


def gateway_for(name: str) -> PaymentGateway:
    """The configured gateway; only the test gateway is built in."""
    if name == "test":
        return _test_gateway
    raise ValueError(f"Unknown payment gateway {name!r}")
