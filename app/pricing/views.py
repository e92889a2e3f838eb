"""Read models of the price engine: promotions, codes, tax rules, and priced results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.models.pricing import (
    CustomerSegment,
    PromotionKind,
    PromotionStatus,
    PromotionTarget,
    PromotionTrigger,
)


@dataclass(frozen=True, slots=True)
class PromotionView:
    id: int
    name: str
    status: PromotionStatus
    trigger: PromotionTrigger
    kind: PromotionKind
    target: PromotionTarget
    percentage_bp: int | None
    amounts: dict[str, int]
    minimum_subtotals: dict[str, int]
    buy_quantity: int | None
    get_quantity: int | None
    product_ids: frozenset[int]
    category_ids: frozenset[int]
    channel_ids: frozenset[int]
    segments: frozenset[CustomerSegment]
    starts_at: datetime | None
    ends_at: datetime | None
    priority: int
    combinable: bool
    usage_limit_per_customer: int | None
    created_at: datetime
    updated_at: datetime

    def live_at(self, moment: datetime) -> bool:
        return (
            self.status is PromotionStatus.ACTIVE
            and (self.starts_at is None or self.starts_at <= moment)
            and (self.ends_at is None or moment < self.ends_at)
        )

    def offered_to(self, channel_id: int, segments: frozenset[CustomerSegment]) -> bool:
        """Every channel and shopper unless the promotion is scoped to some."""
        return (not self.channel_ids or channel_id in self.channel_ids) and (
            not self.segments or bool(self.segments & segments)
        )


@dataclass(frozen=True, slots=True)
class CodeView:
    id: int
    promotion_id: int
    code: str
    usage_limit: int | None
    times_used: int
    created_at: datetime

    @property
    def exhausted(self) -> bool:
        return self.usage_limit is not None and self.times_used >= self.usage_limit


@dataclass(frozen=True, slots=True)
class TaxRule:
    rate_ppm: int
    prices_include_tax: bool
    country_code: str
    region: str


@dataclass(frozen=True, slots=True)
class PricingLine:
    """One line as the engine sees it; `unit_price` None means not sellable in the currency."""

    key: int
    variant_id: int
    product_id: int
    category_ids: frozenset[int]
    quantity: int
    unit_price: int | None
    compare_at_price: int | None


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    """A promotion in a cart, as the shopper sees it named; `code` when a code unlocked it."""

    promotion_id: int
    name: str
    code: str | None


@dataclass(frozen=True, slots=True)
class Allocation:
    promotion: AppliedPromotion
    amount: int


@dataclass(slots=True)
class PricedLine:
    key: int
    unit_price: int | None
    compare_at_price: int | None
    subtotal: int
    allocations: list[Allocation] = field(default_factory=list)
    tax: int = 0

    @property
    def discount(self) -> int:
        return sum(a.amount for a in self.allocations)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


@dataclass(slots=True)
class PricedCart:
    currency_code: str
    lines: list[PricedLine]
    discounts: list[Allocation]
    subtotal: int
    shipping: int | None
    tax: int
    prices_include_tax: bool
    tax_rate_ppm: int

    @property
    def discount_total(self) -> int:
        return sum(d.amount for d in self.discounts)

    @property
    def total(self) -> int:
        extra_tax = 0 if self.prices_include_tax else self.tax
        return self.subtotal - self.discount_total + (self.shipping or 0) + extra_tax
