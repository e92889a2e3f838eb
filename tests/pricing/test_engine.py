"""The price engine's rules, case by case, called directly (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.models.pricing import (
    CustomerSegment,
    PromotionKind,
    PromotionStatus,
    PromotionTarget,
    PromotionTrigger,
)
from app.pricing.engine import allocate, price_lines
from app.pricing.views import PricedCart, PricingLine, PromotionView, TaxRule

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
GUEST = frozenset({CustomerSegment.GUESTS})
NO_TAX = TaxRule(0, False, "CA", "QC")


def promo(pid: int, **fields: Any) -> PromotionView:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"P{pid}",
        "status": PromotionStatus.ACTIVE,
        "trigger": PromotionTrigger.AUTOMATIC,
        "kind": PromotionKind.PERCENTAGE,
        "target": PromotionTarget.ORDER,
        "percentage_bp": 1000,
        "amounts": {},
        "minimum_subtotals": {},
        "buy_quantity": None,
        "get_quantity": None,
        "product_ids": frozenset(),
        "category_ids": frozenset(),
        "channel_ids": frozenset(),
        "segments": frozenset(),
        "starts_at": None,
        "ends_at": None,
        "priority": 100,
        "combinable": True,
        "usage_limit_per_customer": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    base.update(fields)
    return PromotionView(**base)


def ln(
    key: int, price: int, qty: int = 1, product: int = 1, cats: frozenset[int] = frozenset()
) -> PricingLine:
    return PricingLine(key, key, product, cats, qty, price, None)


def run(lines: list[PricingLine], promotions: list[PromotionView], **kw: Any) -> PricedCart:
    args: dict[str, Any] = {
        "currency_code": "CAD",
        "channel_id": 1,
        "segments": GUEST,
        "promotions": promotions,
        "codes": {},
        "tax": NO_TAX,
        "shipping": None,
        "at": NOW,
    }
    args.update(kw)
    return price_lines(lines, **args)


@given(
    total=st.integers(min_value=0, max_value=10**7),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30),
)
def test_allocations_sum_exactly_to_the_discount_and_never_exceed_a_weight(
    total: int, weights: list[int]
) -> None:
    total = min(total, sum(weights))
    parts = allocate(total, weights)
    assert sum(parts) == (total if sum(weights) else 0)
    assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


def test_a_third_off_three_lines_rounds_once_and_spreads_the_cents() -> None:
    # given: 10 % of 3 x 3.33 = 0.999 -> 1.00, allocated 34/33/33
    cart = run([ln(1, 333), ln(2, 333), ln(3, 333)], [promo(1)])
    # then
    assert cart.discount_total == 100
    assert [ln.discount for ln in cart.lines] == [34, 33, 33]


def test_exclusive_promotion_applies_only_alone() -> None:
    # given
    lines = [ln(1, 10000)]
    first = promo(1, percentage_bp=1000, priority=1)
    exclusive_later = promo(2, percentage_bp=5000, priority=2, combinable=False)
    exclusive_first = promo(3, percentage_bp=2000, priority=0, combinable=False)
    # then
    assert [d.promotion.name for d in run(lines, [first, exclusive_later]).discounts] == ["P1"]
    assert [d.promotion.name for d in run(lines, [first, exclusive_first]).discounts] == ["P3"]


def test_promotions_stack_on_what_earlier_ones_left() -> None:
    cart = run([ln(1, 10000)], [promo(1, priority=1), promo(2, priority=2)])
    assert [d.amount for d in cart.discounts] == [1000, 900]


def test_buy_two_get_one_free_gives_the_cheapest_unit() -> None:
    # given: three mugs at 12, 13, 15: the 12 one is free
    free = promo(
        1,
        kind=PromotionKind.BUY_X_GET_Y,
        target=PromotionTarget.CATEGORIES,
        category_ids=frozenset({7}),
        buy_quantity=2,
        get_quantity=1,
        percentage_bp=10000,
    )
    lines = [
        ln(1, 1500, cats=frozenset({7})),
        ln(2, 1200, cats=frozenset({7})),
        ln(3, 1300, cats=frozenset({7})),
        ln(4, 999),
    ]
    # when
    cart = run(lines, [free])
    # then
    assert [p.discount for p in cart.lines] == [0, 1200, 0, 0]


def test_spend_threshold_counts_eligible_lines_before_discounts() -> None:
    over = promo(
        1, kind=PromotionKind.FIXED_AMOUNT, amounts={"CAD": 1500}, minimum_subtotals={"CAD": 10000}
    )
    assert run([ln(1, 9999)], [over]).discount_total == 0
    assert run([ln(1, 5000, qty=2)], [over]).discount_total == 1500


def test_fixed_amount_off_products_is_per_unit_and_capped_by_the_price() -> None:
    off = promo(
        1,
        kind=PromotionKind.FIXED_AMOUNT,
        target=PromotionTarget.PRODUCTS,
        product_ids=frozenset({5}),
        amounts={"CAD": 700},
    )
    cart = run([ln(1, 2000, qty=3, product=5), ln(2, 500, product=5), ln(3, 800)], [off])
    assert [p.discount for p in cart.lines] == [2100, 500, 0]


def test_scopes_windows_and_codes_decide_what_is_offered() -> None:
    lines = [ln(1, 10000)]
    app_only = promo(1, channel_ids=frozenset({2}))
    members = promo(2, segments=frozenset({CustomerSegment.LOYALTY_MEMBERS}))
    later = promo(3, starts_at=NOW + timedelta(days=1))
    coded = promo(4, trigger=PromotionTrigger.CODE)
    assert run(lines, [app_only, members, later, coded]).discounts == []
    assert [d.promotion.code for d in run(lines, [coded], codes={4: "SAVE"}).discounts] == ["SAVE"]
    assert len(run(lines, [app_only], channel_id=2).discounts) == 1


def test_tax_is_added_when_excluded_and_carved_out_when_included() -> None:
    lines = [ln(1, 10000)]
    excluded = run(lines, [], tax=TaxRule(149750, False, "CA", "QC"), shipping=(1500, 20000))
    included = run(lines, [], tax=TaxRule(149750, True, "CA", "QC"), shipping=(0, 0))
    assert (excluded.tax, excluded.shipping, excluded.total) == (1498 + 225, 1500, 13223)
    # 100.00 including 14.975 %: 100 - 100 / 1.14975 = 13.02
    assert (included.tax, included.total) == (1302, 10000)
