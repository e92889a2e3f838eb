"""Transfer SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.inventory.views import (
    TransferLineView,
    TransferView,
)
from app.kit.sql import id_in
from app.models.catalog import Variant
from app.models.inventory import (
    ChannelLocation,
    ChannelStockPool,
    InventoryMovement,
    InventoryTransfer,
    InventoryTransferLine,
    StockLevel,
    TransferStatus,
)
from app.models.location import Location

_S = StockLevel.__table__.c
_M = InventoryMovement.__table__.c
_V = Variant.__table__.c
_L = Location.__table__.c
_CL = ChannelLocation.__table__.c
_POOL = ChannelStockPool.__table__.c
_TL = InventoryTransferLine.__table__.c
_T = InventoryTransfer.__table__.c

_LEVEL_COLUMNS = (
    _S.variant_id, _S.location_id, _S.on_hand, _S.reserved, _S.safety_stock, _S.incoming,
    _S.updated_at,
)  # fmt: skip


def _transfer(r: Any) -> TransferView:
    return TransferView(
        r.id, r.from_location_id, r.to_location_id, TransferStatus(r.status), r.reference,
        r.created_by_id, r.created_at, r.received_at,
    )  # fmt: skip


async def transfers_by_ids(db: Database, ids: Sequence[int]) -> dict[int, TransferView]:
    if not ids:
        return {}
    dialect = db.engine.dialect.name
    transfers = select(
        _T.id, _T.from_location_id, _T.to_location_id, _T.status, _T.reference,
        _T.created_by_id, _T.created_at, _T.received_at,
    ).where(id_in(_T.id, ids, dialect))  # fmt: skip
    lines = (
        select(_TL.transfer_id, _TL.variant_id, _V.sku, _TL.quantity_sent, _TL.quantity_received)
        .join(Variant.__table__, _V.id == _TL.variant_id)
        .where(id_in(_TL.transfer_id, ids, dialect))
        .order_by(_TL.transfer_id, _TL.id)
    )
    async with db.read() as conn:
        found = {r.id: _transfer(r) for r in await conn.execute(transfers)}
        for r in await conn.execute(lines):
            found[r.transfer_id].lines.append(
                TransferLineView(r.variant_id, r.sku, r.quantity_sent, r.quantity_received)
            )
    return found


async def transfer_for_update(session: AsyncSession, transfer_id: int) -> InventoryTransfer | None:
    stmt = select(InventoryTransfer).where(InventoryTransfer.id == transfer_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def transfer_lines(session: AsyncSession, transfer_id: int) -> list[InventoryTransferLine]:
    stmt = (
        select(InventoryTransferLine)
        .where(InventoryTransferLine.transfer_id == transfer_id)
        .order_by(InventoryTransferLine.id)
    )
    return list((await session.execute(stmt)).scalars())
