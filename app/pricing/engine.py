"""The price engine: one pure function from lines, promotions and tax to a priced cart.

Carts, checkout, the POS and product pages all call `price_lines`, so a listing and a cart
cannot disagree. Order of operations (docs/carts.md walks through an example):

1. Base: each line's unit price in the cart's currency, times its quantity (the subtotal).
2. Promotions that are live, offered on the channel to this shopper, and (for CODE ones)
   unlocked by a code in the cart, in priority order (lower first, then older first). Each
   takes its discount from what earlier ones left; an exclusive (non-combinable) promotion
   applies only when nothing applied before it, and nothing applies after it. A spend
   threshold compares with the eligible lines' subtotal before any discount.
3. Shipping, from the delivery method (free over the threshold after discounts).
4. Tax, per line and on shipping, at the destination's rate: added on top when the channel's
   prices exclude tax, carved out of the amounts when they include it.

Rounding: amounts are integers in minor units. A promotion's discount is computed exactly
as a fraction and rounded half up once; it is then allocated to lines in proportion to what
each line has left, floors first, the remaining units to the largest fractional parts
(earlier lines first on ties), so allocations always sum to the discount exactly. Tax is
rounded half up per line and once for shipping.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction

from app.models.pricing import CustomerSegment, PromotionKind, PromotionTarget, PromotionTrigger
from app.pricing.views import (
    Allocation,
    AppliedPromotion,
    PricedCart,
    PricedLine,
    PricingLine,
    PromotionView,
    TaxRule,
)

BASIS_POINTS = 10_000
PPM = 1_000_000


def round_half_up(value: Fraction) -> int:
    """Nearest integer, halves away from zero (amounts here are never negative)."""
    return int((value + Fraction(1, 2)).__floor__())


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder); the parts sum to it."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    parts = [int(e.__floor__()) for e in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def _targets(promotion: PromotionView, line: PricingLine) -> bool:
    match promotion.target:
        case PromotionTarget.ORDER:
            return True
        case PromotionTarget.PRODUCTS:
            return line.product_id in promotion.product_ids
        case PromotionTarget.CATEGORIES:
            return bool(line.category_ids & promotion.category_ids)


def _discounts(
    promotion: PromotionView,
    lines: Sequence[PricingLine],
    remaining: dict[int, int],
    currency_code: str,
) -> dict[int, int]:
    """What `promotion` takes off each eligible line, never more than the line has left."""
    eligible = [ln for ln in lines if ln.unit_price is not None and _targets(promotion, ln)]
    if not eligible:
        return {}
    threshold = promotion.minimum_subtotals.get(currency_code)
    if threshold is not None:
        spent = sum((ln.unit_price or 0) * ln.quantity for ln in eligible)
        if spent < threshold:
            return {}
    weights = [remaining[ln.key] for ln in eligible]
    match promotion.kind:
        case PromotionKind.PERCENTAGE:
            rate = Fraction(promotion.percentage_bp or 0, BASIS_POINTS)
            total = min(round_half_up(sum(weights) * rate), sum(weights))
        case PromotionKind.FIXED_AMOUNT:
            amount = promotion.amounts.get(currency_code)
            if amount is None:
                return {}
            if promotion.target is PromotionTarget.ORDER:
                total = min(amount, sum(weights))
            else:
                # A fixed amount off each eligible unit.
                return {
                    ln.key: min(amount * ln.quantity, remaining[ln.key])
                    for ln in eligible
                    if remaining[ln.key] > 0
                }
        case PromotionKind.BUY_X_GET_Y:
            weights = _free_unit_values(promotion, eligible, remaining)
            rate = Fraction(promotion.percentage_bp or BASIS_POINTS, BASIS_POINTS)
            total = min(round_half_up(sum(weights) * rate), sum(weights))
    return dict(zip([ln.key for ln in eligible], allocate(total, weights), strict=True))


def _free_unit_values(
    promotion: PromotionView, eligible: Sequence[PricingLine], remaining: dict[int, int]
) -> list[int]:
    """Per line, the value of its units that come free: in every group of X + Y units, the
    Y cheapest (dearest units fill the groups first, so the shopper pays for those)."""
    buy, get = promotion.buy_quantity or 1, promotion.get_quantity or 1
    units = sum(ln.quantity for ln in eligible)
    free = (units // (buy + get)) * get
    free_per_line = dict.fromkeys((ln.key for ln in eligible), 0)
    cheapest_first = sorted(eligible, key=lambda ln: (ln.unit_price or 0, ln.key))
    for line in cheapest_first:
        if free <= 0:
            break
        take = min(free, line.quantity)
        free_per_line[line.key] = take
        free -= take
    return [min(free_per_line[ln.key] * (ln.unit_price or 0), remaining[ln.key]) for ln in eligible]


def _tax(amount: int, rule: TaxRule) -> int:
    if rule.rate_ppm == 0 or amount <= 0:
        return 0
    if rule.prices_include_tax:
        return round_half_up(Fraction(amount * rule.rate_ppm, PPM + rule.rate_ppm))
    return round_half_up(Fraction(amount * rule.rate_ppm, PPM))


def price_lines(
    lines: Sequence[PricingLine],
    *,
    currency_code: str,
    channel_id: int,
    segments: frozenset[CustomerSegment],
    promotions: Sequence[PromotionView],
    codes: dict[int, str],
    tax: TaxRule,
    shipping: tuple[int, int] | None,
    at: datetime,
) -> PricedCart:
    """Price `lines`.

    `codes` maps CODE promotions to the code that unlocks them in this cart; `shipping` is
    (rate, free-from threshold) for a shipped cart, (0, 0) for pickup, None when not chosen.
    """
    priced = {
        ln.key: PricedLine(
            key=ln.key,
            unit_price=ln.unit_price,
            compare_at_price=ln.compare_at_price,
            subtotal=(ln.unit_price or 0) * ln.quantity,
        )
        for ln in lines
    }
    remaining = {key: p.subtotal for key, p in priced.items()}
    candidates = sorted(
        (
            p
            for p in promotions
            if p.live_at(at)
            and p.offered_to(channel_id, segments)
            and (p.trigger is PromotionTrigger.AUTOMATIC or p.id in codes)
        ),
        key=lambda p: (p.priority, p.created_at, p.id),
    )
    applied: list[Allocation] = []
    for promotion in candidates:
        if applied and not promotion.combinable:
            continue
        taken = {
            k: v for k, v in _discounts(promotion, lines, remaining, currency_code).items() if v > 0
        }
        if not taken:
            continue
        named = AppliedPromotion(promotion.id, promotion.name, codes.get(promotion.id))
        for key, amount in taken.items():
            remaining[key] -= amount
            priced[key].allocations.append(Allocation(named, amount))
        applied.append(Allocation(named, sum(taken.values())))
        if not promotion.combinable:
            break
    discounted = sum(remaining.values())
    shipping_amount: int | None = None
    if shipping is not None:
        rate, free_from = shipping
        shipping_amount = 0 if discounted >= free_from else rate
    for line in priced.values():
        line.tax = _tax(line.total, tax)
    tax_total = sum(p.tax for p in priced.values()) + _tax(shipping_amount or 0, tax)
    return PricedCart(
        currency_code=currency_code,
        lines=[priced[ln.key] for ln in lines],
        discounts=applied,
        subtotal=sum(p.subtotal for p in priced.values()),
        shipping=shipping_amount,
        tax=tax_total,
        prices_include_tax=tax.prices_include_tax,
        tax_rate_ppm=tax.rate_ppm,
    )
