"""Pricing GraphQL types: promotions and codes for staff, prices from the engine for all."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from app.channels.service import ChannelDirectory
from app.kit.money import to_decimal
from app.models.pricing import (
    CustomerSegment,
    PromotionKind,
    PromotionStatus,
    PromotionTarget,
    PromotionTrigger,
)
from app.pricing.views import CodeView, PromotionView
from schema.catalog.types import Money
from schema.relay import Node, to_global_id

strawberry.enum(PromotionStatus)
strawberry.enum(PromotionTrigger)
strawberry.enum(PromotionKind)
strawberry.enum(PromotionTarget)
strawberry.enum(CustomerSegment)


def money(amount: int, currency_code: str) -> Money:
    return Money(amount=to_decimal(amount, currency_code), currency_code=currency_code)


def _moneys(amounts: dict[str, int]) -> list[Money]:
    return [money(v, c) for c, v in sorted(amounts.items())]


@strawberry.type(description="A code that unlocks a CODE promotion.")
class DiscountCode:
    code: str
    usage_limit: int | None = strawberry.field(description="Total uses allowed; null: unlimited.")
    times_used: int
    created_at: datetime

    @classmethod
    def from_view(cls, v: CodeView) -> DiscountCode:
        return cls(
            code=v.code,
            usage_limit=v.usage_limit,
            times_used=v.times_used,
            created_at=v.created_at,
        )


@strawberry.type(
    description="A discount rule. It applies on every channel and to every shopper unless "
    "`channels` or `segments` scope it; lower `priority` applies first."
)
class Promotion(Node):
    name: str
    status: PromotionStatus
    trigger: PromotionTrigger
    kind: PromotionKind
    target: PromotionTarget
    percentage: Decimal | None = strawberry.field(description="Percent off (15 is 15 %).")
    amounts: list[Money] = strawberry.field(description="Fixed amount off, per currency.")
    minimum_subtotals: list[Money] = strawberry.field(
        description="Spend threshold per currency, on the eligible lines before discounts."
    )
    buy_quantity: int | None
    get_quantity: int | None
    product_ids: list[strawberry.ID]
    category_ids: list[strawberry.ID]
    channels: list[str] = strawberry.field(description="Channel codes; empty: every channel.")
    segments: list[CustomerSegment] = strawberry.field(description="Empty: every shopper.")
    starts_at: datetime | None
    ends_at: datetime | None
    priority: int
    combinable: bool = strawberry.field(description="False: applies only alone (exclusive).")
    usage_limit_per_customer: int | None
    created_at: datetime
    updated_at: datetime
    codes: list[DiscountCode] = strawberry.field(description="Its codes, oldest first.")
    pk: strawberry.Private[int]

    @classmethod
    def from_view(
        cls, v: PromotionView, channels: ChannelDirectory, codes: list[CodeView]
    ) -> Promotion:
        return cls(
            id=strawberry.ID(to_global_id("Promotion", v.id)),
            pk=v.id,
            name=v.name,
            status=v.status,
            trigger=v.trigger,
            kind=v.kind,
            target=v.target,
            percentage=(Decimal(v.percentage_bp) / 100 if v.percentage_bp is not None else None),
            amounts=_moneys(v.amounts),
            minimum_subtotals=_moneys(v.minimum_subtotals),
            buy_quantity=v.buy_quantity,
            get_quantity=v.get_quantity,
            product_ids=[strawberry.ID(to_global_id("Product", i)) for i in sorted(v.product_ids)],
            category_ids=[
                strawberry.ID(to_global_id("Category", i)) for i in sorted(v.category_ids)
            ],
            channels=sorted(c.code for i in v.channel_ids if (c := channels.by_id(i))),
            segments=sorted(v.segments),
            starts_at=v.starts_at,
            ends_at=v.ends_at,
            priority=v.priority,
            combinable=v.combinable,
            usage_limit_per_customer=v.usage_limit_per_customer,
            created_at=v.created_at,
            updated_at=v.updated_at,
            codes=[DiscountCode.from_view(c) for c in codes],
        )


@strawberry.type(
    description="A variant's price from the price engine: what one unit costs in a guest's "
    "cart on the channel, automatic promotions applied (no codes, tax or shipping)."
)
class VariantPricing:
    price: Money
    compare_at_price: Money | None = strawberry.field(
        description="The stored compare-at price, else the base price when a promotion lowered it."
    )
    promotions: list[str] = strawberry.field(description="Names of the promotions applied.")
