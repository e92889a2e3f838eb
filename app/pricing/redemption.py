"""Consuming discount codes at checkout: the one place code usage counts grow."""

from __future__ import annotations

from collections.abc import Sequence

from app.database import UnitOfWork
from app.kit.clock import utcnow
from app.pricing import repository
from app.pricing.errors import DiscountCodeExhausted, UnknownDiscountCode


async def redeem_codes(
    uow: UnitOfWork, *, cart_id: int | None, customer_id: int | None, codes: Sequence[str]
) -> None:
    """Use each code once for this cart's order, in the checkout's transaction.

    Each use is a guarded UPDATE (`times_used < usage_limit`), taken in code order so two
    checkouts lock codes in the same order; the row lock it holds also serialises the
    per-customer count that follows, and the promotion's row lock serialises that count
    across different codes of one promotion. A code with no use left raises DISCOUNT_CODE_EXHAUSTED
    and the checkout's transaction rolls back, so no use is consumed without an order.
    """
    session = uow.session
    found = await repository.codes_by_value(session, list(codes))
    for value in sorted(set(codes)):
        code = found.get(value)
        if code is None:
            raise UnknownDiscountCode(f"There is no discount code '{value}'", field="discountCodes")
        if not await repository.consume_code(session, code.id):
            raise DiscountCodeExhausted(
                f"The code '{value}' has no uses left", field="discountCodes"
            )
        if customer_id is not None:
            limit = await repository.per_customer_limit(session, code.promotion_id)
            used = await repository.customer_redemptions_of_promotion(
                session, customer_id, code.promotion_id
            )
            if limit is not None and used >= limit:
                raise DiscountCodeExhausted(
                    f"You have already used the code '{value}'", field="discountCodes"
                )
        repository.add_redemption(session, code.id, customer_id, cart_id, utcnow())
    await session.flush()
