"""The price engine's entry points: a cart's lines, a product page's variants, and the code
redemption that checkout performs. Everything that prices goes through `price_cart_lines` or
`listing_prices`, which both call the one engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.database import Database
from app.models.pricing import CustomerSegment, PromotionTrigger
from app.pricing import repository
from app.pricing.engine import price_lines
from app.pricing.errors import DiscountCodeExhausted, DiscountCodeExpired, UnknownDiscountCode
from app.pricing.repository import Conn, VariantFacts
from app.pricing.views import CodeView, PricedCart, PricingLine, PromotionView, TaxRule

NO_TAX = TaxRule(0, False, "", "")


def normalise_code(code: str) -> str:
    return code.strip().upper()


async def shopper_segments(conn: Conn, customer_id: int | None) -> frozenset[CustomerSegment]:
    if customer_id is None:
        return frozenset({CustomerSegment.GUESTS})
    if await repository.is_loyalty_member(conn, customer_id):
        return frozenset({CustomerSegment.CUSTOMERS, CustomerSegment.LOYALTY_MEMBERS})
    return frozenset({CustomerSegment.CUSTOMERS})


@dataclass(frozen=True, slots=True)
class CodeState:
    """A code held by a cart, and whether it takes effect on it now."""

    code: str
    applicable: bool
    promotion_id: int | None


@dataclass(frozen=True, slots=True)
class CartLineInput:
    key: int
    variant_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class CartPricing:
    priced: PricedCart
    facts: dict[int, VariantFacts]
    codes: list[CodeState]


def _code_problem(
    code: CodeView | None, promotion: PromotionView | None, at: datetime, used_by_customer: int
) -> str | None:
    if code is None or promotion is None or promotion.trigger is not PromotionTrigger.CODE:
        return UnknownDiscountCode.code
    if not promotion.live_at(at):
        return DiscountCodeExpired.code
    if code.exhausted:
        return DiscountCodeExhausted.code
    limit = promotion.usage_limit_per_customer
    if limit is not None and used_by_customer >= limit:
        return DiscountCodeExhausted.code
    return None


async def check_codes(
    conn: Conn, codes: Sequence[str], customer_id: int | None, at: datetime, field: str
) -> list[str]:
    """The codes normalised, or the first problem as a coded error (nothing is written)."""
    wanted = list(dict.fromkeys(normalise_code(c) for c in codes if c.strip()))
    found = await repository.codes_by_value(conn, wanted)
    promotions = await repository.promotions_by_ids(conn, [c.promotion_id for c in found.values()])
    used = (
        await repository.redemptions_by_customer(conn, customer_id, [c.id for c in found.values()])
        if customer_id is not None
        else {}
    )
    for i, value in enumerate(wanted):
        code = found.get(value)
        promotion = promotions.get(code.promotion_id) if code else None
        problem = _code_problem(code, promotion, at, used.get(code.promotion_id, 0) if code else 0)
        messages = {
            UnknownDiscountCode.code: (UnknownDiscountCode, f"There is no discount code '{value}'"),
            DiscountCodeExpired.code: (DiscountCodeExpired, f"The code '{value}' is not valid now"),
            DiscountCodeExhausted.code: (
                DiscountCodeExhausted,
                f"The code '{value}' has no uses left",
            ),
        }
        if problem is not None:
            error, message = messages[problem]
            raise error(message, field=f"{field}.{i}")
    return wanted


async def price_cart_lines(
    conn: Conn,
    *,
    channel_id: int,
    currency_code: str,
    customer_id: int | None,
    lines: Sequence[CartLineInput],
    codes: Sequence[str],
    tax: TaxRule,
    shipping: tuple[int, int] | None,
    at: datetime,
) -> CartPricing:
    facts = await repository.variant_facts(
        conn, [ln.variant_id for ln in lines], currency_code, channel_id
    )
    promotions = await repository.live_promotions(conn, at)
    segments = await shopper_segments(conn, customer_id)
    found = await repository.codes_by_value(conn, list(codes))
    used = (
        await repository.redemptions_by_customer(conn, customer_id, [c.id for c in found.values()])
        if customer_id is not None
        else {}
    )
    by_id = {p.id: p for p in promotions}
    unlocked: dict[int, str] = {}
    states = []
    for value in codes:
        code = found.get(value)
        promotion = by_id.get(code.promotion_id) if code else None
        usable = (
            code is not None
            and promotion is not None
            and _code_problem(code, promotion, at, used.get(promotion.id, 0)) is None
            and promotion.offered_to(channel_id, segments)
        )
        if usable and code is not None:
            unlocked.setdefault(code.promotion_id, value)
        states.append(CodeState(value, usable, code.promotion_id if code else None))
    pricing_lines = [_pricing_line(ln.key, ln.variant_id, ln.quantity, facts) for ln in lines]
    priced = price_lines(
        pricing_lines,
        currency_code=currency_code,
        channel_id=channel_id,
        segments=segments,
        promotions=promotions,
        codes=unlocked,
        tax=tax,
        shipping=shipping,
        at=at,
    )
    # A code whose promotion lost out (an exclusive one elsewhere) does not apply either.
    applied = {d.promotion.promotion_id for d in priced.discounts}
    states = [
        CodeState(s.code, s.applicable and s.promotion_id in applied, s.promotion_id)
        for s in states
    ]
    return CartPricing(priced, facts, states)


def _pricing_line(
    key: int, variant_id: int, quantity: int, facts: dict[int, VariantFacts]
) -> PricingLine:
    fact = facts.get(variant_id)
    sellable = fact is not None and fact.product_active and fact.published
    return PricingLine(
        key=key,
        variant_id=variant_id,
        product_id=fact.product_id if fact else 0,
        category_ids=fact.category_ids if fact else frozenset(),
        quantity=quantity,
        unit_price=fact.unit_price if fact and sellable else None,
        compare_at_price=fact.compare_at_price if fact and sellable else None,
    )


@dataclass(frozen=True, slots=True)
class ListingPrice:
    """A variant's price on a product page: what one unit costs in a guest's cart."""

    price: int
    compare_at_price: int | None
    currency_code: str
    promotions: list[str]


async def listing_prices(
    db: Database,
    *,
    channel_id: int,
    currency_code: str,
    variant_ids: Sequence[int],
    at: datetime,
) -> dict[int, ListingPrice]:
    """Each variant priced by the engine as the only unit of a guest's cart with no code, so a
    listing and that cart agree by construction; tax and shipping play no part."""
    async with db.read() as conn:
        facts = await repository.variant_facts(conn, variant_ids, currency_code, channel_id)
        live = await repository.live_promotions(conn, at)
    promotions = [p for p in live if p.trigger is PromotionTrigger.AUTOMATIC]
    segments = frozenset({CustomerSegment.GUESTS})
    result: dict[int, ListingPrice] = {}
    for variant_id, fact in facts.items():
        if fact.unit_price is None:
            continue
        line = _pricing_line(variant_id, variant_id, 1, facts)
        if line.unit_price is None:
            line = PricingLine(
                variant_id,
                variant_id,
                fact.product_id,
                fact.category_ids,
                1,
                fact.unit_price,
                fact.compare_at_price,
            )
        priced = price_lines(
            [line],
            currency_code=currency_code,
            channel_id=channel_id,
            segments=segments,
            promotions=promotions,
            codes={},
            tax=NO_TAX,
            shipping=None,
            at=at,
        )
        total = priced.lines[0].total
        compare_at = fact.compare_at_price
        if compare_at is None and total < fact.unit_price:
            compare_at = fact.unit_price
        result[variant_id] = ListingPrice(
            total, compare_at, currency_code, [d.promotion.name for d in priced.discounts]
        )
    return result
