"""Channel reads. Channels are public: storefronts list them to pick a currency and locale."""

from __future__ import annotations

from collections.abc import Sequence

from app.channels.views import ChannelView
from app.reference.cache import ReferenceCache


async def all_channels(reference: ReferenceCache) -> list[ChannelView]:
    return (await reference.channels()).all()


async def channels_by_ids(reference: ReferenceCache, ids: Sequence[int]) -> dict[int, ChannelView]:
    directory = await reference.channels()
    return {i: c for i in ids if (c := directory.by_id(i)) is not None}
