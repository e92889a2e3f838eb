"""Order inputs."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from app.orders.tenders import TenderKind

TenderKindEnum = strawberry.enum(TenderKind, name="TenderKind")


@strawberry.input
class CheckoutPaymentInput:
    token: str = strawberry.field(
        description="A card token from the payment gateway's client library (the test gateway "
        "approves tok_visa, tok_mastercard, tok_amex and declines tok_declined, "
        "tok_insufficient_funds, tok_expired)."
    )


@strawberry.input
class TenderInput:
    kind: TenderKindEnum  # type: ignore[valid-type]
    amount: Decimal
    reference: str | None = strawberry.field(
        default=None,
        description="CARD_PRESENT: the terminal's card token; STORE_CREDIT: the credit note.",
    )


@strawberry.input
class OrderCreateInStoreInput:
    cart_id: strawberry.ID = strawberry.field(
        description="A POS cart. Without a delivery it is handed over at the associate's store "
        "now; with shipping or pickup at another store it is an endless-aisle order."
    )
    idempotency_key: str
    tenders: list[TenderInput]
