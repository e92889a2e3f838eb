"""Order inputs."""

from __future__ import annotations

import strawberry


@strawberry.input
class CheckoutPaymentInput:
    token: str = strawberry.field(
        description="A card token from the payment gateway's client library (the test gateway "
        "approves tok_visa, tok_mastercard, tok_amex and declines tok_declined, "
        "tok_insufficient_funds, tok_expired)."
    )
