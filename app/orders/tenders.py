"""Paying at a till: cash (with change), a card on the terminal, store credit, or several of
them split. Together they must cover the total; change comes only out of cash."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.database import UnitOfWork
from app.kit.clock import utcnow
from app.models.order import Order, Payment, PaymentStatus
from app.payments.errors import InvalidPayment, PaymentInsufficient
from app.payments.gateway import PaymentGateway


class TenderKind(StrEnum):
    CASH = "CASH"
    CARD_PRESENT = "CARD_PRESENT"
    STORE_CREDIT = "STORE_CREDIT"


@dataclass(frozen=True, slots=True)
class Tender:
    kind: TenderKind
    amount: int
    # The terminal's card token (CARD_PRESENT) or the credit note's number (STORE_CREDIT).
    reference: str | None = None


def check_tenders(tenders: Sequence[Tender], total: int) -> int:
    """The change owed to the customer, or a coded error when the tenders cannot pay."""
    if not tenders:
        if total == 0:
            return 0
        raise PaymentInsufficient("Give at least one tender", field="tenders")
    for i, tender in enumerate(tenders):
        if tender.amount <= 0:
            raise InvalidPayment("A tender's amount is positive", field=f"tenders.{i}.amount")
        if tender.kind is not TenderKind.CASH and not (tender.reference or "").strip():
            raise InvalidPayment(
                "A card needs its terminal token, store credit its credit note number",
                field=f"tenders.{i}.reference",
            )
    given = sum(t.amount for t in tenders)
    if given < total:
        raise PaymentInsufficient(f"The tenders cover {given} of {total}", field="tenders")
    change = given - total
    cash = sum(t.amount for t in tenders if t.kind is TenderKind.CASH)
    if change > cash:
        raise PaymentInsufficient(
            "Only cash gives change: the other tenders exceed what is due", field="tenders"
        )
    return change


async def take_tenders(
    uow: UnitOfWork,
    gateway: PaymentGateway,
    order: Order,
    tenders: Sequence[Tender],
    change: int,
    key: str,
) -> None:
    """Record each tender as a captured payment; cards go through the gateway."""
    owed_change = change
    for i, tender in enumerate(tenders):
        amount = tender.amount
        tendered = None
        reference = (tender.reference or "").strip()[:100]
        last4 = None
        if tender.kind is TenderKind.CASH:
            back = min(owed_change, amount)
            owed_change -= back
            tendered, amount = amount, amount - back
            reference = f"cash-{order.number}-{i}"
            if amount == 0:
                continue
        elif tender.kind is TenderKind.CARD_PRESENT:
            authorization = await gateway.authorize(
                token=reference, amount=amount, currency_code=order.currency_code,
                idempotency_key=f"{key}:{i}",
            )  # fmt: skip
            await gateway.capture(authorization.reference, amount)
            reference, last4 = authorization.reference, authorization.card_last4
        uow.session.add(
            Payment(
                order_id=order.id, gateway=gateway.name if tender.kind is TenderKind.CARD_PRESENT
                else "till", tender=tender.kind.value, status=PaymentStatus.CAPTURED,
                amount=amount, tendered=tendered, currency_code=order.currency_code,
                reference=reference, card_last4=last4, created_at=utcnow(), updated_at=utcnow(),
            )
        )  # fmt: skip
