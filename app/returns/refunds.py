"""Refunding a received return: what its units are worth from the order's price snapshot
(see app/returns/arithmetic.py), shipping paid back with the return that brings the last unit
of the order back, never more than the return is worth nor than the order was paid, summed
over every refund. Paid back to the original payments in the order they were taken (cards
through the gateway; cash and store credit recorded against their tender at the till), or as
a store credit note. The same idempotency key with the same request returns the same refund."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.auth.access import can_act_at_location
from app.auth.viewer import Viewer
from app.customers.timeline import record_customer_event
from app.database import UnitOfWork
from app.events import outbox
from app.kit.clock import utcnow
from app.kit.money import to_minor
from app.models.order import Order, OrderLine, Payment, PaymentStatus
from app.models.returns import Refund, RefundMethod, RefundPayment, Return, ReturnStatus
from app.orders import placing
from app.orders import repository as order_repository
from app.orders.errors import IdempotencyKeyReused, OrderForbidden
from app.payments.gateway import PaymentGateway
from app.returns import arithmetic, repository
from app.returns.errors import (
    InvalidRefundAmount,
    RefundExceedsRefundable,
    ReturnNotReceived,
    UnknownReturn,
)

REFUND_CREATED = "REFUND_CREATED"
# Payments recorded at a till, paid back there rather than through the card gateway.
TILL = "till"
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class RefundRequest:
    return_id: int
    idempotency_key: str
    amount: Decimal | None = None
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT
    reason: str = ""

    def digest(self) -> str:
        amount = None if self.amount is None else str(self.amount)
        return placing.digest(
            {"op": "refundCreate", "returnId": self.return_id, "amount": amount,
             "method": self.method.value}
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Refundable:
    """What a return can still get back, and the shipping part of its worth."""

    worth: int
    shipping: int
    refunded: int
    order_left: int

    @property
    def left(self) -> int:
        return max(0, min(self.worth - self.refunded, self.order_left))


def _paid_for(order: Order, line: OrderLine) -> int:
    """What the customer paid for a line: its total after allocated discounts, with its tax
    when prices exclude it."""
    return line.total + (0 if order.prices_include_tax else line.tax)


def _paid(payments: list[Payment]) -> int:
    settled = (PaymentStatus.CAPTURED, PaymentStatus.REFUNDED)
    return sum(p.amount for p in payments if p.status in settled)


async def refundable(uow: UnitOfWork, order: Order, found: Return) -> Refundable:
    session = uow.session
    lines = await repository.order_lines(session, order.id)
    before = await repository.received_before(session, order.id, found.id)
    worth = 0
    received = dict(before)
    for line in await repository.lines_of(session, found.id):
        units = line.restocked + line.damaged
        snapshot = lines[line.order_line_id]
        worth += arithmetic.units_worth(
            _paid_for(order, snapshot), snapshot.quantity, before.get(line.order_line_id, 0),
            units,
        )  # fmt: skip
        received[line.order_line_id] = received.get(line.order_line_id, 0) + units
    # Shipping comes back with the return that completes the order's return, and only then.
    completes = all(received.get(i, 0) >= ln.quantity for i, ln in lines.items()) and any(
        before.get(i, 0) < ln.quantity for i, ln in lines.items()
    )
    # What the lines do not account for: shipping and its tax (and any rounding of the tax).
    rest = max(0, order.total - sum(_paid_for(order, ln) for ln in lines.values()))
    shipping = rest if completes else 0
    refunds = await repository.refunds_of_order(session, order.id)
    paid = _paid(await order_repository.payments_of(session, order.id))
    return Refundable(
        worth=worth + shipping,
        shipping=shipping,
        refunded=sum(r.amount for r in refunds if r.return_id == found.id),
        order_left=paid - sum(r.amount for r in refunds),
    )


async def _pay_back(uow: UnitOfWork, gateway: PaymentGateway, order: Order, refund: Refund) -> None:
    payments = [
        p
        for p in await order_repository.payments_of(uow.session, order.id)
        if p.status in (PaymentStatus.CAPTURED, PaymentStatus.REFUNDED)
    ]
    done = await repository.refunded_per_payment(uow.session, order.id)
    rooms = [p.amount - done.get(p.id, 0) for p in payments]
    parts = arithmetic.split_over_payments(refund.amount, rooms)
    for payment, room, part in zip(payments, rooms, parts, strict=True):
        if not part:
            continue
        if payment.gateway != TILL:
            await gateway.refund(payment.reference, part)
        uow.session.add(RefundPayment(refund_id=refund.id, payment_id=payment.id, amount=part))
        if part == room:
            payment.status = PaymentStatus.REFUNDED
        payment.updated_at = utcnow()


async def _replay(uow: UnitOfWork, key: str, request: RefundRequest) -> int | None:
    existing = await repository.refund_by_key(uow.session, key)
    if existing is None:
        return None
    if existing.request_digest != request.digest() or existing.return_id != request.return_id:
        raise IdempotencyKeyReused(
            "This idempotency key already made another refund", field="idempotencyKey"
        )
    return existing.id


async def create_refund(
    uow: UnitOfWork, gateway: PaymentGateway, viewer: Viewer, request: RefundRequest
) -> int:
    session = uow.session
    key = placing.check_key(request.idempotency_key)
    replayed = await _replay(uow, key, request)
    if replayed is not None:
        return replayed
    found = await session.get(Return, request.return_id)
    if found is None or not viewer.is_staff:
        raise UnknownReturn("No such return", field="returnId")
    if not can_act_at_location(viewer, found.location_id):
        raise OrderForbidden(
            "Only staff of the location that received the return may refund it",
            field="returnId",
        )
    # The order row serialises refunds of one order, so their sum cannot pass what was paid.
    order = await order_repository.lock_order(session, found.order_id)
    assert order is not None  # returns are deleted with their order
    await session.refresh(found)
    # A retry that waited on the lock finds the refund its twin just committed.
    replayed = await _replay(uow, key, request)
    if replayed is not None:
        return replayed
    if found.status is not ReturnStatus.RECEIVED:
        raise ReturnNotReceived("Receive the return before refunding it", field="returnId")
    due = await refundable(uow, order, found)
    asked = None
    if request.amount is not None:
        asked = to_minor(request.amount, order.currency_code, "amount")
        if asked <= 0:
            raise InvalidRefundAmount("A refund is a positive amount", field="amount")
    amount = due.left if asked is None else asked
    if amount == 0 or amount > due.left:
        raise RefundExceedsRefundable(
            f"At most {due.left} (minor units) of this return can still be refunded",
            field="amount",
        )
    items_worth = due.worth - due.shipping
    shipping = max(0, due.refunded + amount - items_worth) - max(0, due.refunded - items_worth)
    refund = Refund(
        order_id=order.id, return_id=found.id, method=request.method, amount=amount,
        shipping=shipping, currency_code=order.currency_code,
        reason=request.reason.strip()[:MAX_REASON], idempotency_key=key,
        request_digest=request.digest(), staff_user_id=viewer.staff_id, created_at=utcnow(),
    )  # fmt: skip
    session.add(refund)
    await session.flush()
    if request.method is RefundMethod.STORE_CREDIT:
        refund.credit_note = f"SC-{100000 + refund.id}"
    else:
        await _pay_back(uow, gateway, order, refund)
    data = {
        "refundId": refund.id, "orderId": order.id, "orderNumber": order.number,
        "returnId": found.id, "returnNumber": found.number, "amount": amount,
        "shipping": shipping, "currencyCode": order.currency_code,
        "method": request.method.value, "creditNote": refund.credit_note,
    }  # fmt: skip
    await outbox.emit(session, "refund.created", aggregate_id=order.id, data=data)
    if order.customer_id is not None:
        await record_customer_event(
            session, order.customer_id, REFUND_CREATED, location_id=found.location_id,
            staff_user_id=viewer.staff_id, data=data,
        )  # fmt: skip
    await session.flush()
    return refund.id
