"""Staff mutations for promotions and discount codes."""

from __future__ import annotations

import strawberry

from app.database import UnitOfWork
from app.pricing import promotions, reads
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import StaffRoles
from schema.pricing.inputs import DiscountCodesCreateInput, PromotionCreateInput, PromotionInput
from schema.pricing.types import Promotion
from schema.relay import decode_id

PromotionManager = StaffRoles(*promotions.PROMOTION_ROLES)


@strawberry.type
class PromotionPayload:
    promotion: Promotion | None
    user_errors: list[UserError]


@strawberry.type
class DiscountCodesCreatePayload:
    promotion: Promotion | None
    codes: list[str]
    user_errors: list[UserError]


async def _promotion(info: Info, promotion_id: int | None) -> Promotion | None:
    if promotion_id is None:
        return None
    ctx = info.context
    view = await reads.promotion_for(ctx.db, ctx.viewer, promotion_id)
    if view is None:
        return None
    codes = await reads.codes_of(ctx.db, ctx.viewer, [promotion_id])
    return Promotion.from_view(view, await ctx.channels(), codes.get(promotion_id, []))


@strawberry.type
class PricingMutation:
    @strawberry.mutation(
        permission_classes=[PromotionManager],
        description="Create a promotion (automatic, or unlocked by codes).",
    )
    async def promotion_create(self, info: Info, input: PromotionCreateInput) -> PromotionPayload:
        ctx = info.context
        directory = await ctx.channels()

        async def action(uow: UnitOfWork) -> int:
            data = input.to_domain(directory)
            return (await promotions.create_promotion(uow.session, ctx.viewer, data)).id

        found, errors = await perform(info, action)
        return PromotionPayload(promotion=await _promotion(info, found), user_errors=errors)

    @strawberry.mutation(permission_classes=[PromotionManager])
    async def promotion_update(
        self, info: Info, id: strawberry.ID, input: PromotionInput
    ) -> PromotionPayload:
        ctx = info.context
        directory = await ctx.channels()

        async def action(uow: UnitOfWork) -> int:
            changes = input.to_domain(directory)
            promotion_id = decode_id(id, "Promotion")
            return (
                await promotions.update_promotion(uow.session, ctx.viewer, promotion_id, changes)
            ).id

        found, errors = await perform(info, action)
        return PromotionPayload(promotion=await _promotion(info, found), user_errors=errors)

    @strawberry.mutation(
        permission_classes=[PromotionManager],
        description="Stop a promotion at once; its codes stop being accepted.",
    )
    async def promotion_archive(self, info: Info, id: strawberry.ID) -> PromotionPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            promotion_id = decode_id(id, "Promotion")
            return (await promotions.archive_promotion(uow.session, ctx.viewer, promotion_id)).id

        found, errors = await perform(info, action)
        return PromotionPayload(promotion=await _promotion(info, found), user_errors=errors)

    @strawberry.mutation(
        permission_classes=[PromotionManager],
        description="Add codes to a CODE promotion: the ones given, or `count` generated ones.",
    )
    async def discount_codes_create(
        self, info: Info, input: DiscountCodesCreateInput
    ) -> DiscountCodesCreatePayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> tuple[int, list[str]]:
            promotion_id = decode_id(input.promotion_id, "Promotion", "promotionId")
            made = await promotions.create_codes(
                uow.session,
                ctx.viewer,
                ctx.settings,
                promotion_id,
                codes=input.codes or (),
                count=input.count or 0,
                prefix=input.prefix,
                usage_limit=input.usage_limit,
            )
            return promotion_id, made

        found, errors = await perform(info, action)
        if found is None:
            return DiscountCodesCreatePayload(promotion=None, codes=[], user_errors=errors)
        return DiscountCodesCreatePayload(
            promotion=await _promotion(info, found[0]), codes=found[1], user_errors=errors
        )
