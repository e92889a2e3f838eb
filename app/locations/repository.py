"""Location reads. There are tens to hundreds of locations, so callers load them whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.database import Database
from app.locations.views import LocationView
from app.models.location import Location, LocationKind, LocationStatus

_L = Location.__table__.c
_COLUMNS = (
    _L.id, _L.code, _L.name, _L.kind, _L.status, _L.address_line1, _L.city, _L.region,
    _L.postal_code, _L.country_code, _L.latitude, _L.longitude, _L.ships, _L.pickup,
    _L.accepts_returns, _L.priority,
)  # fmt: skip


def _view(row: Any) -> LocationView:
    return LocationView(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=LocationKind(row.kind),
        status=LocationStatus(row.status),
        address_line1=row.address_line1,
        city=row.city,
        region=row.region,
        postal_code=row.postal_code,
        country_code=row.country_code,
        latitude=row.latitude,
        longitude=row.longitude,
        ships=row.ships,
        pickup=row.pickup,
        accepts_returns=row.accepts_returns,
        priority=row.priority,
    )


async def all_locations(db: Database) -> dict[int, LocationView]:
    async with db.read() as conn:
        return await _all(conn)


async def _all(conn: AsyncConnection) -> dict[int, LocationView]:
    rows = await conn.execute(select(*_COLUMNS).order_by(_L.priority, _L.id))
    return {row.id: _view(row) for row in rows}


async def location_by_id(session: AsyncSession, location_id: int) -> LocationView | None:
    row = (await session.execute(select(*_COLUMNS).where(_L.id == location_id))).first()
    return _view(row) if row is not None else None


async def locations_in(session: AsyncSession, ids: list[int]) -> dict[int, LocationView]:
    rows = await session.execute(select(*_COLUMNS).where(_L.id.in_(ids)))
    return {row.id: _view(row) for row in rows}
