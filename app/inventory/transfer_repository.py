"""Transfer SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.inventory.tables import TL, T, V
from app.inventory.views import (
    TransferLineView,
    TransferView,
)
from app.kit.sql import id_in
from app.models.catalog import Variant
from app.models.inventory import (
    InventoryTransfer,
    InventoryTransferLine,
    TransferStatus,
)


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
        T.id, T.from_location_id, T.to_location_id, T.status, T.reference,
        T.created_by_id, T.created_at, T.received_at,
    ).where(id_in(T.id, ids, dialect))  # fmt: skip
    lines = (
        select(TL.transfer_id, TL.variant_id, V.sku, TL.quantity_sent, TL.quantity_received)
        .join(Variant.__table__, V.id == TL.variant_id)
        .where(id_in(TL.transfer_id, ids, dialect))
        .order_by(TL.transfer_id, TL.id)
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
