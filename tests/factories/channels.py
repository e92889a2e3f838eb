from __future__ import annotations

from app.database import Database
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind
from app.reference import cache as reference


async def create_channel(
    db: Database,
    *,
    code: str = "web",
    kind: ChannelKind = ChannelKind.WEB,
    currency_code: str = "CAD",
    default_locale: str = "en",
    name: str | None = None,
) -> Channel:
    async with db.write() as uow:
        channel = Channel(
            code=code,
            name=name or code.title(),
            kind=kind,
            currency_code=currency_code,
            default_locale=default_locale,
        )
        uow.session.add(channel)
        reference.changed(uow)
    return channel


async def create_location(
    db: Database,
    *,
    code: str = "store-1",
    kind: LocationKind = LocationKind.STORE,
    latitude: float = 45.5017,
    longitude: float = -73.5673,
    **fields: object,
) -> Location:
    async with db.write() as uow:
        location = Location(
            code=code,
            name=str(fields.pop("name", code)),
            kind=kind,
            latitude=latitude,
            longitude=longitude,
            **fields,
        )
        uow.session.add(location)
        reference.changed(uow)
    return location
