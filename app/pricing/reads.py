"""Reading promotions: staff only, here beside the rules that change them."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.access import ensure_staff
from app.auth.viewer import Viewer
from app.database import Database
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.models.pricing import Promotion, PromotionStatus
from app.pricing import repository
from app.pricing.promotions import PROMOTION_ROLES
from app.pricing.views import CodeView, PromotionView

_P = Promotion.__table__.c


async def promotion_page(
    db: Database,
    viewer: Viewer,
    *,
    status: PromotionStatus | None,
    page: PageRequest,
    default_size: int,
    max_size: int,
) -> Page[PromotionView]:
    ensure_staff(viewer)
    stmt = select(*[_P[c.name] for c in Promotion.__table__.columns])
    if status is not None:
        stmt = stmt.where(_P.status == status)
    order = [SortColumn(_P.priority, "priority"), SortColumn(_P.id, "id")]
    return await paginate(
        db,
        stmt,
        order,
        page,
        default_size=default_size,
        max_size=max_size,
        build=repository.promotion_view,
    )


async def promotion_for(db: Database, viewer: Viewer, promotion_id: int) -> PromotionView | None:
    ensure_staff(viewer)
    async with db.read() as conn:
        return (await repository.promotions_by_ids(conn, [promotion_id])).get(promotion_id)


async def codes_of(
    db: Database, viewer: Viewer, promotion_ids: list[int]
) -> dict[int, list[CodeView]]:
    # Codes are worth money: only those who manage promotions read them.
    ensure_staff(viewer, *PROMOTION_ROLES)
    return await repository.code_page(db, promotion_ids)
