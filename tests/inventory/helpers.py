"""Shared set-up and queries for the inventory tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.database import Database
from app.models.inventory import InventoryMovement, StockLevel
from app.models.location import Location
from schema.relay import to_global_id
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


@dataclass
class Shop:
    web_id: int
    warehouse: Location
    downtown: Location
    plateau: Location

    def loc(self, location: Location) -> str:
        return gid("Location", location.id)


async def shop(db: Database, *, skus: int = 2) -> Shop:
    """A web channel, a warehouse and two stores; product `tee` with SKUs TEE-0, TEE-1..."""
    web = await create_channel(db, code="web")
    warehouse = await create_location(
        db, code="wh", kind="WAREHOUSE", latitude=45.5869, longitude=-73.7650, ships=True
    )
    downtown = await create_location(
        db, code="downtown", latitude=45.5010, longitude=-73.5706, pickup=True, ships=True
    )
    plateau = await create_location(
        db, code="plateau", latitude=45.5225, longitude=-73.5837, pickup=True
    )
    await create_product(db, handle="tee", channel_ids=[web.id], variants=skus)
    return Shop(web.id, warehouse, downtown, plateau)


async def level_of(db: Database, variant_id: int, location_id: int) -> dict[str, Any] | None:
    async with db.read() as conn:
        row = (
            await conn.execute(
                select(
                    StockLevel.on_hand,
                    StockLevel.reserved,
                    StockLevel.incoming,
                    StockLevel.safety_stock,
                ).where(StockLevel.variant_id == variant_id, StockLevel.location_id == location_id)
            )
        ).first()
    return dict(row._mapping) if row is not None else None


async def movement_count(db: Database) -> int:
    async with db.read() as conn:
        result = await conn.execute(select(func.count()).select_from(InventoryMovement))
        return int(result.scalar_one())
