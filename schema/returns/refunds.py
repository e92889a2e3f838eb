"""Refund types and the refundCreate mutation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from app.database import UnitOfWork
from app.models.returns import RefundMethod
from app.payments.gateway import gateway_for
from app.returns import refund_reads, refunds
from app.returns.refund_reads import RefundRead
from schema.catalog.types import Money, _money
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import IsStaff
from schema.relay import decode_id, to_global_id

RefundMethodEnum = strawberry.enum(RefundMethod, name="RefundMethod")


@strawberry.type
class RefundPart:
    payment_id: strawberry.ID
    amount: Money


@strawberry.type(description="Money paid back against an order, for one of its returns.")
class Refund:
    id: strawberry.ID
    order_id: strawberry.ID
    return_id: strawberry.ID | None
    method: RefundMethodEnum  # type: ignore[valid-type]
    amount: Money
    shipping: Money = strawberry.field(
        description="The part of the amount that is shipping and its tax."
    )
    credit_note: str | None = strawberry.field(
        description="The store credit note's number, spent at a till as a STORE_CREDIT tender."
    )
    payments: list[RefundPart] = strawberry.field(
        description="How much went back to each original payment."
    )
    reason: str
    created_at: datetime


@strawberry.type
class RefundPayload:
    refund: Refund | None
    user_errors: list[UserError]


@strawberry.input
class RefundCreateInput:
    return_id: strawberry.ID
    idempotency_key: str
    amount: Decimal | None = strawberry.field(
        default=None, description="Less than what is refundable for a partial refund; "
        "by default all that is left."
    )  # fmt: skip
    method: RefundMethodEnum = RefundMethod.ORIGINAL_PAYMENT  # type: ignore[valid-type]
    reason: str = ""


def build_refund(read: RefundRead) -> Refund:
    cur = read.currency_code
    return Refund(
        id=strawberry.ID(to_global_id("Refund", read.id)),
        order_id=strawberry.ID(to_global_id("Order", read.order_id)),
        return_id=strawberry.ID(to_global_id("Return", read.return_id)) if read.return_id else None,
        method=read.method,
        amount=_money(read.amount, cur),
        shipping=_money(read.shipping, cur),
        credit_note=read.credit_note,
        payments=[
            RefundPart(
                payment_id=strawberry.ID(to_global_id("Payment", p.payment_id)),
                amount=_money(p.amount, cur),
            )
            for p in read.parts
        ],
        reason=read.reason,
        created_at=read.created_at,
    )


@strawberry.type
class RefundMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Refund a received return: its units at their price snapshot (order "
        "discounts as allocated), shipping with the return that completes the order; back to "
        "the original payments in the order they were taken, or as store credit. Never more "
        "than was paid over all refunds; the same idempotencyKey returns the same refund.",
    )
    async def refund_create(self, info: Info, input: RefundCreateInput) -> RefundPayload:
        ctx = info.context
        gateway = gateway_for(ctx.settings.payment_gateway)

        async def action(uow: UnitOfWork) -> int:
            request = refunds.RefundRequest(
                return_id=decode_id(input.return_id, "Return", "returnId"),
                idempotency_key=input.idempotency_key,
                amount=input.amount,
                method=input.method,
                reason=input.reason,
            )
            return await refunds.create_refund(uow, gateway, ctx.viewer, request)

        found, errors = await perform(info, action)
        if found is None:
            return RefundPayload(refund=None, user_errors=errors)
        read = (await refund_reads.refunds_by_ids(ctx.db, [found]))[found]
        return RefundPayload(refund=build_refund(read), user_errors=errors)
