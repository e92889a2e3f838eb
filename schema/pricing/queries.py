from __future__ import annotations

import strawberry

from app.kit.pagination import PageRequest
from app.models.pricing import PromotionStatus
from app.pricing import reads
from schema.context import Info
from schema.permissions import IsStaff
from schema.pricing.types import Promotion
from schema.relay import Connection
from schema.selection import connection_nodes, selection_tree


@strawberry.type
class PricingQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="Promotions with their codes, by priority (staff).",
    )
    async def promotions(
        self,
        info: Info,
        status: PromotionStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Promotion]:
        ctx = info.context
        page = await reads.promotion_page(
            ctx.db,
            ctx.viewer,
            status=status,
            page=PageRequest(first, after, last, before),
            default_size=ctx.settings.page_size_default,
            max_size=ctx.settings.page_size_max,
        )
        # Codes are read (and their stricter rule applied) only when the query asks for them.
        wants_codes = "codes" in connection_nodes(selection_tree(info))
        ids = [p.id for p in page.items]
        codes = await reads.codes_of(ctx.db, ctx.viewer, ids) if wants_codes else {}
        channels = await ctx.channels()
        nodes = [Promotion.from_view(p, channels, codes.get(p.id, [])) for p in page.items]
        return Connection[Promotion].from_page(page, nodes)
