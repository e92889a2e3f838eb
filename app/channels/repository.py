from __future__ import annotations

from sqlalchemy import select

from app.channels.views import ChannelView
from app.database import Database
from app.models.channel import Channel

_CH = Channel.__table__.c


async def all_channels(db: Database) -> list[ChannelView]:
    stmt = select(
        _CH.id, _CH.code, _CH.name, _CH.kind, _CH.currency_code, _CH.default_locale,
        _CH.return_window_days, _CH.is_active,
    ).order_by(_CH.id)  # fmt: skip
    async with db.read() as conn:
        return [ChannelView(*row) for row in await conn.execute(stmt)]
