"""Promotion inputs; amounts arrive as decimals and leave as minor units."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from app.channels.service import ChannelDirectory
from app.kit.money import to_minor, validate_currency
from app.models.pricing import CustomerSegment, PromotionKind, PromotionTarget, PromotionTrigger
from app.pricing.errors import InvalidPromotion
from app.pricing.promotions import PromotionFields
from schema.relay import decode_id


@strawberry.input
class MoneyInput:
    amount: Decimal
    currency_code: str


def _amounts(values: list[MoneyInput] | None, field: str) -> dict[str, int] | None:
    if values is None:
        return None
    result: dict[str, int] = {}
    for i, v in enumerate(values):
        currency = validate_currency(v.currency_code, f"{field}.{i}.currencyCode")
        result[currency] = to_minor(v.amount, currency, f"{field}.{i}.amount")
    return result


def _percentage(value: Decimal | None) -> int | None:
    if value is None:
        return None
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise InvalidPromotion("A percentage has at most two decimals", field="percentage")
    return int(scaled)


@strawberry.input(description="Promotion settings; on update, omitted fields stay as they are.")
class PromotionInput:
    name: str | None = None
    kind: PromotionKind | None = None
    target: PromotionTarget | None = None
    percentage: Decimal | None = strawberry.field(default=None, description="15 is 15 %.")
    amounts: list[MoneyInput] | None = None
    minimum_subtotals: list[MoneyInput] | None = None
    buy_quantity: int | None = None
    get_quantity: int | None = None
    product_ids: list[strawberry.ID] | None = None
    category_ids: list[strawberry.ID] | None = None
    channels: list[str] | None = strawberry.field(
        default=None, description="Channel codes; empty: every channel."
    )
    segments: list[CustomerSegment] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int | None = None
    combinable: bool | None = None
    usage_limit_per_customer: int | None = None

    def to_domain(
        self, channels: ChannelDirectory, trigger: PromotionTrigger | None = None
    ) -> PromotionFields:
        return PromotionFields(
            name=self.name,
            trigger=trigger,
            kind=self.kind,
            target=self.target,
            percentage_bp=_percentage(self.percentage),
            amounts=_amounts(self.amounts, "amounts"),
            minimum_subtotals=_amounts(self.minimum_subtotals, "minimumSubtotals"),
            buy_quantity=self.buy_quantity,
            get_quantity=self.get_quantity,
            product_ids=(
                [decode_id(p, "Product", f"productIds.{i}") for i, p in enumerate(self.product_ids)]
                if self.product_ids is not None
                else None
            ),
            category_ids=(
                [
                    decode_id(c, "Category", f"categoryIds.{i}")
                    for i, c in enumerate(self.category_ids)
                ]
                if self.category_ids is not None
                else None
            ),
            channel_ids=(
                [channels.by_code(c, f"channels.{i}").id for i, c in enumerate(self.channels)]
                if self.channels is not None
                else None
            ),
            segments=list(self.segments) if self.segments is not None else None,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            priority=self.priority,
            combinable=self.combinable,
            usage_limit_per_customer=self.usage_limit_per_customer,
        )


@strawberry.input
class PromotionCreateInput:
    name: str
    trigger: PromotionTrigger
    kind: PromotionKind
    target: PromotionTarget
    settings: PromotionInput | None = None

    def to_domain(self, channels: ChannelDirectory) -> PromotionFields:
        base = (self.settings or PromotionInput()).to_domain(channels, self.trigger)
        from dataclasses import replace

        return replace(base, name=self.name, kind=self.kind, target=self.target)


@strawberry.input
class DiscountCodesCreateInput:
    promotion_id: strawberry.ID
    codes: list[str] | None = strawberry.field(default=None, description="Codes to add as given.")
    count: int | None = strawberry.field(default=None, description="Or generate this many.")
    prefix: str = ""
    usage_limit: int | None = strawberry.field(
        default=None, description="Uses allowed per code; null: unlimited."
    )
