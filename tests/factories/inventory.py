from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.auth.viewer import Viewer, ViewerKind
from app.database import Database
from app.inventory import reservations, service
from app.inventory.rules import StockLine
from app.inventory.views import StockLevelView
from app.models.catalog import Variant
from app.models.staff import StaffRole

# Factories act as an administrator working outside any request.
ADMIN = Viewer(kind=ViewerKind.STAFF, role=StaffRole.ADMIN)


async def variant_id(db: Database, sku: str) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(Variant.id).where(Variant.sku == sku))).scalar_one())


async def set_pool(
    db: Database, channel_id: int, location_ids: Sequence[int], *, buffer: int = 0
) -> None:
    async with db.write() as uow:
        await service.set_channel_pool(uow, channel_id, location_ids, buffer)


async def stock(
    db: Database,
    sku: str,
    location_id: int,
    on_hand: int,
    *,
    reserved: int = 0,
    safety_stock: int = 0,
) -> StockLevelView:
    """Put stock on a shelf the way production does: a receipt, then reservations."""
    async with db.write() as uow:
        level = await service.receive(
            uow, ADMIN, None, location_id=location_id, lines=[StockLine(sku, on_hand)]
        )
        if safety_stock:
            level = [
                await service.set_safety_stock(
                    uow, ADMIN, None, location_id=location_id, sku=sku, quantity=safety_stock
                )
            ]
    if reserved:
        async with db.write() as uow:
            level = [
                await reservations.reserve(
                    uow,
                    None,
                    variant_id=level[0].variant_id,
                    location_id=location_id,
                    quantity=reserved,
                )
            ]
    return level[0]
