"""Staff manage promotions and their codes; shoppers never reach these."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import ensure_staff
from app.auth.viewer import Viewer
from app.config import Settings
from app.kit.clock import utcnow
from app.models.pricing import (
    CustomerSegment,
    Promotion,
    PromotionKind,
    PromotionStatus,
    PromotionTarget,
    PromotionTrigger,
)
from app.models.staff import StaffRole
from app.pricing import repository
from app.pricing.errors import DiscountCodeTaken, InvalidPromotion, PromotionNotFound
from app.pricing.service import normalise_code

PROMOTION_ROLES = (StaffRole.ADMIN, StaffRole.OPERATIONS)
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,63}$")
# No 0/O or 1/I: codes are read aloud and typed from receipts.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GENERATED_LENGTH = 10


@dataclass(frozen=True, slots=True)
class PromotionFields:
    """A promotion's settings; None leaves a field as it is (on update) or at its default."""

    name: str | None = None
    trigger: PromotionTrigger | None = None
    kind: PromotionKind | None = None
    target: PromotionTarget | None = None
    percentage_bp: int | None = None
    amounts: dict[str, int] | None = None
    minimum_subtotals: dict[str, int] | None = None
    buy_quantity: int | None = None
    get_quantity: int | None = None
    product_ids: list[int] | None = None
    category_ids: list[int] | None = None
    channel_ids: list[int] | None = None
    segments: list[CustomerSegment] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int | None = None
    combinable: bool | None = None
    usage_limit_per_customer: int | None = None


def _invalid(message: str, field: str) -> InvalidPromotion:
    return InvalidPromotion(message, field=field)


def _validate(p: Promotion) -> None:
    if not p.name.strip() or len(p.name) > 200:
        raise _invalid("A name needs 1 to 200 characters", "name")
    if p.kind is PromotionKind.PERCENTAGE and p.percentage_bp is None:
        raise _invalid("A percentage promotion needs a percentage", "percentage")
    if p.percentage_bp is not None and not 0 < p.percentage_bp <= 10_000:
        raise _invalid("A percentage is above 0 and at most 100", "percentage")
    if p.kind is PromotionKind.FIXED_AMOUNT and not p.amounts:
        raise _invalid("A fixed-amount promotion needs an amount per currency", "amounts")
    if any(v <= 0 for v in p.amounts.values()):
        raise _invalid("Amounts are positive", "amounts")
    if any(v < 0 for v in p.minimum_subtotals.values()):
        raise _invalid("Thresholds are not negative", "minimumSubtotals")
    if p.kind is PromotionKind.BUY_X_GET_Y and not (
        p.buy_quantity and p.get_quantity and p.buy_quantity >= 1 and p.get_quantity >= 1
    ):
        raise _invalid("Buy X get Y needs both quantities (at least 1)", "buyQuantity")
    if p.target is PromotionTarget.PRODUCTS and not p.product_ids:
        raise _invalid("Name the products the promotion applies to", "productIds")
    if p.target is PromotionTarget.CATEGORIES and not p.category_ids:
        raise _invalid("Name the categories the promotion applies to", "categoryIds")
    if p.starts_at and p.ends_at and p.ends_at <= p.starts_at:
        raise _invalid("The end comes after the start", "endsAt")
    if not 0 <= p.priority <= 10_000:
        raise _invalid("Priority is between 0 and 10000", "priority")
    limit = p.usage_limit_per_customer
    if limit is not None and limit < 1:
        raise _invalid("A per-customer limit is at least 1", "usageLimitPerCustomer")


def _apply(promotion: Promotion, changes: PromotionFields) -> None:
    for f in fields(changes):
        value = getattr(changes, f.name)
        if value is not None:
            setattr(promotion, f.name, list(value) if isinstance(value, list) else value)


async def create_promotion(
    session: AsyncSession, viewer: Viewer, data: PromotionFields
) -> Promotion:
    ensure_staff(viewer, *PROMOTION_ROLES)
    for name in ("name", "trigger", "kind", "target"):
        if getattr(data, name) is None:
            raise _invalid(f"{name} is required", name)
    promotion = Promotion(
        status=PromotionStatus.ACTIVE,
        amounts={},
        minimum_subtotals={},
        product_ids=[],
        category_ids=[],
        channel_ids=[],
        segments=[],
        priority=100,
        combinable=True,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    _apply(promotion, data)
    if promotion.kind is PromotionKind.BUY_X_GET_Y and promotion.percentage_bp is None:
        promotion.percentage_bp = 10_000
    _validate(promotion)
    session.add(promotion)
    await session.flush()
    return promotion


async def _get(session: AsyncSession, promotion_id: int) -> Promotion:
    promotion = await session.get(Promotion, promotion_id, with_for_update=True)
    if promotion is None:
        raise PromotionNotFound("No such promotion", field="id")
    return promotion


async def update_promotion(
    session: AsyncSession, viewer: Viewer, promotion_id: int, changes: PromotionFields
) -> Promotion:
    ensure_staff(viewer, *PROMOTION_ROLES)
    promotion = await _get(session, promotion_id)
    if changes.trigger is not None and changes.trigger is not promotion.trigger:
        raise _invalid("A promotion's trigger cannot change; create another one", "trigger")
    _apply(promotion, changes)
    _validate(promotion)
    promotion.updated_at = utcnow()
    await session.flush()
    return promotion


async def archive_promotion(session: AsyncSession, viewer: Viewer, promotion_id: int) -> Promotion:
    """Archived promotions stop applying at once; their codes stop being accepted."""
    ensure_staff(viewer, *PROMOTION_ROLES)
    promotion = await _get(session, promotion_id)
    promotion.status = PromotionStatus.ARCHIVED
    promotion.updated_at = utcnow()
    await session.flush()
    return promotion


def _generate(prefix: str, count: int) -> list[str]:
    return [
        prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(GENERATED_LENGTH))
        for _ in range(count)
    ]


async def create_codes(
    session: AsyncSession,
    viewer: Viewer,
    settings: Settings,
    promotion_id: int,
    *,
    codes: Sequence[str] = (),
    count: int = 0,
    prefix: str = "",
    usage_limit: int | None = None,
) -> list[str]:
    """Codes for a CODE promotion: the ones given, or `count` generated ones (unique, made in
    a few multi-row INSERTs that skip the rare collision and draw again)."""
    ensure_staff(viewer, *PROMOTION_ROLES)
    promotion = await _get(session, promotion_id)
    if promotion.trigger is not PromotionTrigger.CODE:
        raise _invalid("Only CODE promotions have codes", "promotionId")
    if usage_limit is not None and usage_limit < 1:
        raise _invalid("A usage limit is at least 1", "usageLimit")
    if bool(codes) == bool(count):
        raise _invalid("Give either codes or a count", "count")
    if (
        not 0 <= count <= settings.discount_codes_bulk_max
        or len(codes) > settings.discount_codes_bulk_max
    ):
        raise _invalid(f"At most {settings.discount_codes_bulk_max} codes at once", "count")
    prefix = normalise_code(prefix) if prefix else ""
    if prefix and not re.fullmatch(r"[A-Z0-9_-]{1,40}", prefix):
        raise _invalid("A prefix is letters, digits, - and _ (at most 40)", "prefix")
    now = utcnow()
    if codes:
        wanted = [normalise_code(c) for c in codes]
        for i, code in enumerate(wanted):
            if not CODE_PATTERN.match(code):
                raise _invalid("A code is 3 to 64 letters, digits, - and _", f"codes.{i}")
        if len(set(wanted)) != len(wanted):
            raise _invalid("A code is given twice", "codes")
        inserted = await repository.insert_codes(session, promotion.id, wanted, usage_limit, now)
        taken = [c for c in wanted if c not in inserted]
        if taken:
            raise DiscountCodeTaken(f"Codes already exist: {', '.join(taken[:5])}", field="codes")
        return wanted
    made: list[str] = []
    for _ in range(5):
        batch = list(dict.fromkeys(_generate(prefix, count - len(made))))
        made.extend(
            sorted(await repository.insert_codes(session, promotion.id, batch, usage_limit, now))
        )
        if len(made) == count:
            return made
    raise DiscountCodeTaken(
        "Could not draw enough unique codes; use a longer prefix", field="prefix"
    )
